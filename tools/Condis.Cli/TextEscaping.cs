using System.Globalization;
using System.Text;

namespace Condis.Cli;

/// <summary>
/// Makes a string read from a file safe to print as text: control characters (C0, DEL, C1), line and paragraph
/// separators and bidirectional overrides become visible escapes (\n, \r, \t, \0, \xHH, \u{HHHH}); a backslash is
/// doubled so that an escape in the output is never ambiguous. One line in, one line out.
/// </summary>
internal static class TextEscaping
{
    public static string Escape(string? text)
    {
        if (text is null)
            return "";
        int first = IndexOfUnsafe(text);
        if (first < 0)
            return text;
        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\\': escaped.Append(@"\\"); break;
                case '\n': escaped.Append(@"\n"); break;
                case '\r': escaped.Append(@"\r"); break;
                case '\t': escaped.Append(@"\t"); break;
                case '\0': escaped.Append(@"\0"); break;
                default:
                    if (c < 0x100 && IsUnsafe(c))
                        escaped.Append(@"\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    else if (IsUnsafe(c))
                        escaped.Append(@"\u{").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append('}');
                    else
                        escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }

    private static int IndexOfUnsafe(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' || IsUnsafe(text[i]))
                return i;
        }

        return -1;
    }

    private static bool IsUnsafe(char c) =>
        c < 0x20 || c is >= '\x7F' and <= '\x9F' || c is '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';
}
