using Xunit;

namespace Condis.Cli.Tests;

/// <summary>Strings from a file are printed with control characters made visible, one line in, one line out.</summary>
public sealed class TextEscapingTests
{
    [Theory]
    [InlineData("eth0", "eth0")]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("a\rb", @"a\rb")]
    [InlineData("a\0b", @"a\0b")]
    [InlineData("a\tb", @"a\tb")]
    [InlineData("\u001b[31m", @"\x1B[31m")]
    [InlineData("\u007f\u0085", @"\x7F\x85")]
    [InlineData("x\u2028y\u202Ez", @"x\u{2028}y\u{202E}z")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("Grüße ☃", "Grüße ☃")]
    public void Control_characters_become_visible_escapes(string raw, string shown) =>
        Assert.Equal(shown, TextEscaping.Escape(raw));

    [Fact]
    public void No_escaped_string_holds_a_control_character()
    {
        var all = new string(Enumerable.Range(0, 0x3000).Select(i => (char)i).Where(c => !char.IsSurrogate(c)).ToArray());
        var escaped = TextEscaping.Escape(all);
        Assert.DoesNotContain(escaped, c => char.IsControl(c) || c is '\u2028' or '\u2029');
    }
}
