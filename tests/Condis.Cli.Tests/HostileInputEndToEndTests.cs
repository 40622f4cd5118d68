using System.Buffers.Binary;
using System.Text;
using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary>Hostile files through the CLI: exit 3 with one line and nothing on stdout; strings from the file cannot forge output.</summary>
public sealed class HostileInputEndToEndTests
{
    private static byte[] Block(uint type, byte[] body)
    {
        int padded = (body.Length + 3) & ~3;
        var block = new byte[12 + padded];
        BinaryPrimitives.WriteUInt32LittleEndian(block, type);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), (uint)block.Length);
        body.CopyTo(block, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(block.Length - 4), (uint)block.Length);
        return block;
    }

    private static byte[] Shb(ushort minor = 0)
    {
        var body = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(body, 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(6), minor);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), -1);
        return Block(0x0A0D0D0A, body);
    }

    private static byte[] Idb(byte[] options)
    {
        var body = new byte[8 + options.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 1);
        options.CopyTo(body, 8);
        return Block(1, body);
    }

    private static byte[] Option(ushort code, byte[] value, ushort? length = null)
    {
        var option = new byte[4 + ((value.Length + 3) & ~3)];
        BinaryPrimitives.WriteUInt16LittleEndian(option, code);
        BinaryPrimitives.WriteUInt16LittleEndian(option.AsSpan(2), length ?? (ushort)value.Length);
        value.CopyTo(option, 4);
        return option;
    }

    private static byte[] Epb(int length)
    {
        var body = new byte[20 + ((length + 3) & ~3)];
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(16), (uint)length);
        return Block(6, body);
    }

    private static byte[] PcapRecord(uint caplen)
    {
        var file = new byte[24 + 16 + caplen];
        BinaryPrimitives.WriteUInt32LittleEndian(file, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), 262144);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(32), caplen);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(36), caplen);
        return file;
    }

    public static TheoryData<string, byte[], string> Hostile() => new()
    {
        { "shb-1.1", [.. Shb(1), .. Idb([]), .. Epb(60)], "unsupported pcapng section version 1.1" },
        { "end-of-options-past-block", [.. Shb(), .. Idb([.. Option(2, "eth0"u8.ToArray()), .. Option(0, [], 8)]), .. Epb(60)], "end-of-options marker of length 8" },
        { "caplen-262145", PcapRecord(262_145), "record captured length 262145 exceeds the maximum of 262144 bytes" },
        { "epb-caplen-262145", [.. Shb(), .. Idb([]), .. Epb(262_145)], "captured length 262145 exceeds the maximum of 262144 bytes" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_file_exits_3_with_one_line_and_no_output(string name, byte[] content, string problem)
    {
        var file = Path.Combine(Path.GetTempPath(), $"condis-hostile-{Environment.ProcessId}-{name}.pcapng");
        File.WriteAllBytes(file, content);
        try
        {
            foreach (var arguments in new[] { new[] { "inspect", file }, ["inspect", "--json", file], ["inspect", "--packets", "--json", file] })
            {
                var result = RunCondis(arguments);
                Assert.Equal(3, result.Exit);
                Assert.Equal("", result.Stdout.Trim());
                var line = Assert.Single(Lines(result.Stderr));
                Assert.StartsWith($"condis inspect: {file}: offset ", line, StringComparison.Ordinal);
                Assert.Contains(problem, line, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_file_given_to_convert_exits_3_with_one_line_and_leaves_no_output(string name, byte[] content, string problem)
    {
        var dir = Directory.CreateTempSubdirectory("condis-hostile-convert").FullName;
        var file = Path.Combine(dir, $"{name}.pcapng");
        File.WriteAllBytes(file, content);
        try
        {
            foreach (var pairing in new[] { new[] { "native", "native" }, ["legacy", "legacy"] })
            {
                var output = Path.Combine(dir, "out.pcapng");
                var result = RunCondis("convert", file, "-o", output, "--client", pairing[0], "--miniport", pairing[1], "--verify");
                Assert.Equal(3, result.Exit);
                Assert.Equal("", result.Stdout.Trim());
                var line = Assert.Single(Lines(result.Stderr));
                Assert.StartsWith($"condis convert: {file}: offset ", line, StringComparison.Ordinal);
                Assert.Contains(problem, line, StringComparison.Ordinal);
                Assert.False(File.Exists(output), "a failed conversion leaves no half-written output");
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_pcap_record_its_own_format_cannot_hold_is_a_bad_input_exit_3_and_converts_to_pcapng()
    {
        // Seconds 0xFFFFFFFF and a fraction of 1,500,000 µs: read as Wireshark reads it, the time is past 2106-02-07,
        // which no pcap record holds. Written as pcap (the input's own format) the file is at fault; pcapng holds it.
        var content = PcapRecord(60);
        BinaryPrimitives.WriteUInt32LittleEndian(content.AsSpan(24), uint.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(content.AsSpan(28), 1_500_000);
        var dir = Directory.CreateTempSubdirectory("condis-hostile-time").FullName;
        var file = Path.Combine(dir, "past-2106.pcap");
        File.WriteAllBytes(file, content);
        try
        {
            foreach (var format in new[] { Array.Empty<string>(), ["--format", "pcap"] })
            {
                var result = RunCondis(["convert", file, "-o", Path.Combine(dir, "out.pcap"), .. format]);
                Assert.Equal(3, result.Exit);
                var line = Assert.Single(Lines(result.Stderr));
                Assert.StartsWith($"condis convert: {file}: packet 1 cannot be written as pcap", line, StringComparison.Ordinal);
            }
            Assert.Equal(0, RunCondis("convert", file, "-o", Path.Combine(dir, "out.pcapng"), "--format", "pcapng", "--verify").Exit);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_bad_file_in_a_directory_fails_alone_exit_3_and_the_good_ones_are_converted()
    {
        var dir = Directory.CreateTempSubdirectory("condis-hostile-dir").FullName;
        try
        {
            var inputs = Directory.CreateDirectory(Path.Combine(dir, "in")).FullName;
            File.Copy(Path.Combine(Captures, "afs.pcap"), Path.Combine(inputs, "good.pcap"));
            File.WriteAllBytes(Path.Combine(inputs, "bad.pcap"), PcapRecord(262_145));
            File.WriteAllText(Path.Combine(inputs, "notes.txt"), "not a capture, and not taken for one");
            var output = Path.Combine(dir, "out");
            var result = RunCondis("convert", inputs, "-o", output, "--verify", "--json");
            Assert.Equal(3, result.Exit);
            var line = Assert.Single(Lines(result.Stderr));
            Assert.StartsWith($"condis convert: {Path.Combine(inputs, "bad.pcap")}: offset ", line, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(output, "good.pcap")));
            Assert.False(File.Exists(Path.Combine(output, "bad.pcap")));
            Assert.False(File.Exists(Path.Combine(output, "notes.txt")));
            using var json = System.Text.Json.JsonDocument.Parse(result.Stdout);
            Assert.Equal(2, json.RootElement.GetProperty("files").GetArrayLength());
            Assert.Equal(3, json.RootElement.GetProperty("exitCode").GetInt32());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("empty", new byte[0], "empty file")]
    [InlineData("bad-magic", new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, "bad magic")]
    [InlineData("truncated-header", new byte[] { 0xD4, 0xC3, 0xB2, 0xA1, 2, 0 }, "truncated")]
    public void A_file_that_is_no_capture_given_to_convert_exits_3_naming_it(string name, byte[] content, string problem)
    {
        var dir = Directory.CreateTempSubdirectory("condis-nocapture").FullName;
        var file = Path.Combine(dir, name + ".pcap");
        File.WriteAllBytes(file, content);
        try
        {
            var result = RunCondis("convert", file, "-o", Path.Combine(dir, "out.pcap"));
            Assert.Equal(3, result.Exit);
            var line = Assert.Single(Lines(result.Stderr));
            Assert.StartsWith($"condis convert: {file}: ", line, StringComparison.Ordinal);
            Assert.Contains(problem, line, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_missing_input_given_to_convert_exits_3_with_one_line()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"condis-missing-{Guid.NewGuid():N}.pcap");
        var result = RunCondis("convert", missing, "-o", missing + ".out");
        Assert.Equal(3, result.Exit);
        var line = Assert.Single(Lines(result.Stderr));
        Assert.StartsWith($"condis convert: {missing}: cannot read", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_of_262144_bytes_is_read_as_wireshark_reads_it()
    {
        var file = Path.Combine(Path.GetTempPath(), $"condis-max-{Environment.ProcessId}.pcap");
        File.WriteAllBytes(file, PcapRecord(262_144));
        try
        {
            var result = RunCondis("inspect", "--packets", "--json", file);
            Assert.True(result.Exit == 0, result.Stderr);
            Assert.Contains("\"capturedLength\":262144", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Control_characters_in_an_interface_name_are_escaped_in_text_and_cannot_forge_a_line()
    {
        var name = "eth0\nPackets:             999\r\0\u001b[2J\u2028end\\";
        var file = Path.Combine(Path.GetTempPath(), $"condis-name-{Environment.ProcessId}.pcapng");
        File.WriteAllBytes(file, [.. Shb(), .. Idb([.. Option(2, Encoding.UTF8.GetBytes(name)), .. Option(0, [])]), .. Epb(60)]);
        try
        {
            var text = RunCondis("inspect", file);
            Assert.Equal(0, text.Exit);
            var lines = text.Stdout.Split('\n');
            Assert.Single(lines, l => l.StartsWith("Packets:", StringComparison.Ordinal));
            Assert.Contains(@"name eth0\nPackets:             999\r\0\x1B[2J\u{2028}end\\,", text.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain('\r', text.Stdout);
            Assert.DoesNotContain('\0', text.Stdout);
            Assert.DoesNotContain('\u001b', text.Stdout);

            var json = RunCondis("inspect", "--json", file);
            using var document = System.Text.Json.JsonDocument.Parse(json.Stdout);
            Assert.Equal(name, document.RootElement.GetProperty("interfaces")[0].GetProperty("name").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
