using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Condis.Cli.Tests;

/// <summary>Runs the built <c>condis</c> (dotnet condis.dll) as a process: inspect agrees with capinfos; bad input exits 3 with one line.</summary>
public sealed class InspectEndToEndTests
{
    private static string Captures() => CliProcess.Captures;

    public static TheoryData<string> Files() => CliProcess.AllCaptures();

    private static (int Exit, string Stdout, string Stderr) Run(string file, string[] arguments) => CliProcess.Run(file, arguments);

    private static (int Exit, string Stdout, string Stderr) Condis(params string[] arguments) => CliProcess.RunCondis(arguments);

    private static (int Exit, string Stdout, string Stderr) CondisWithInput(byte[]? stdin, params string[] arguments) => CliProcess.CondisIn(null, stdin, arguments);

    private static string? Tool(string name) => CliProcess.Tool(name);

    [Theory]
    [MemberData(nameof(Files))]
    public void Inspect_json_agrees_with_capinfos(string name)
    {
        var capinfosPath = Tool("capinfos");
        if (capinfosPath is null)
            Assert.Skip("capinfos is not installed (apt-get install wireshark-common; .ci/run installs it)");
        var path = Path.Combine(Captures(), name);
        var ours = Condis("inspect", "--json", path);
        Assert.True(ours.Exit == 0, ours.Stderr);
        using var json = JsonDocument.Parse(ours.Stdout);
        var root = json.RootElement;

        var capinfos = Run(capinfosPath, ["-T", "-M", "-r", "-t", "-c", "-d", "-a", "-e", "-S", path]);
        Assert.Equal(0, capinfos.Exit);
        var cols = capinfos.Stdout.TrimEnd('\n').Split('\t');
        // cols: file, type, packets, data size (sum of original lengths), start, end
        Assert.Equal(cols[1] == "nsecpcap" ? "pcap" : cols[1], root.GetProperty("format").GetString());
        long packets = long.Parse(cols[2], CultureInfo.InvariantCulture);
        Assert.Equal(packets, root.GetProperty("packetCount").GetInt64());
        long dataSize = long.Parse(cols[3], CultureInfo.InvariantCulture);
        // Wireshark moves LINKTYPE_SUNATM's 4-byte pseudo-header out of each frame, so capinfos counts 4 bytes fewer per packet.
        bool sunAtm = root.GetProperty("interfaces").EnumerateArray().Any(i => i.GetProperty("linkType").GetUInt32() == 123);
        Assert.Equal(dataSize + (sunAtm ? 4 * packets : 0), root.GetProperty("originalBytes").GetInt64());
        Assert.True(root.GetProperty("capturedBytes").GetInt64() <= root.GetProperty("originalBytes").GetInt64() || root.GetProperty("lenient").GetProperty("capturedAboveOriginal").GetInt64() > 0);
        // capinfos prints n/a for the times when any packet has none (SPB); we report the timestamped packets.
        // capinfos 4.0's start/end are not the earliest/latest packet times on two files whose per-packet times tshark
        // reports exactly as we do (see the Hardware tshark agreement test): zero-time records (bgp_vpn_rt-oobr) and
        // ticks near 2^64 µs (pcapng-example). There the comparison is skipped; it is documented in docs/capture.md.
        bool capinfosQuirk = name is "bgp_vpn_rt-oobr.pcap" or "pcapng-example.pcapng";
        if (cols[4] != "n/a" && !capinfosQuirk)
        {
            int digits = cols[4].Contains('.', StringComparison.Ordinal) ? cols[4].Split('.')[1].Length : 0;
            Assert.Equal(Normalise(cols[4]), Truncate(root.GetProperty("earliestTimestampEpoch").GetString()!, digits));
            Assert.Equal(Normalise(cols[5]), Truncate(root.GetProperty("latestTimestampEpoch").GetString()!, digits));
        }

        foreach (var field in new[] { "format", "interfaces", "packetCount", "truncatedCount", "capturedBytes", "firstTimestamp", "lastTimestamp" })
            Assert.True(root.TryGetProperty(field, out _), field);
    }

    /// <summary>capinfos -S prints seconds '.' fraction at the file's precision, unnormalised (.1000000 for 1000000 µs).</summary>
    private static decimal Normalise(string epoch)
    {
        var parts = epoch.Split('.');
        decimal seconds = decimal.Parse(parts[0], CultureInfo.InvariantCulture);
        if (parts.Length == 1)
            return seconds;
        int digits = parts[1].Length;
        decimal fraction = decimal.Parse(parts[1], CultureInfo.InvariantCulture);
        int scale = digits is 7 or 10 ? digits - 1 : digits;
        for (int i = 0; i < scale; i++)
            fraction /= 10;
        return seconds + fraction;
    }

    /// <summary>Our seconds.nanoseconds cut to the digits capinfos printed (it prints at the file's precision).</summary>
    private static decimal Truncate(string epoch, int digits)
    {
        var value = Normalise(epoch);
        decimal scale = 1;
        for (int i = 0; i < (digits is 7 or 10 ? digits - 1 : digits); i++)
            scale *= 10;
        return Math.Floor(value * scale) / scale;
    }

    [Fact]
    public void Inspect_reads_standard_input_given_a_dash()
    {
        var path = Path.Combine(Captures(), "pcapng-example.pcapng");
        var fromFile = JsonDocument.Parse(Condis("inspect", "--json", path).Stdout).RootElement;
        var piped = CondisWithInput(File.ReadAllBytes(path), "inspect", "--json", "-");
        Assert.Equal(0, piped.Exit);
        var fromStdin = JsonDocument.Parse(piped.Stdout).RootElement;
        Assert.Equal(fromFile.GetProperty("packetCount").GetInt64(), fromStdin.GetProperty("packetCount").GetInt64());
        Assert.Equal(fromFile.GetProperty("capturedBytes").GetInt64(), fromStdin.GetProperty("capturedBytes").GetInt64());
        Assert.Equal(fromFile.GetProperty("lastTimestampEpoch").GetString(), fromStdin.GetProperty("lastTimestampEpoch").GetString());
    }

    [Fact]
    public void Inspect_text_names_format_interfaces_and_counts()
    {
        var result = Condis("inspect", Path.Combine(Captures(), "pcapng-example.pcapng"));
        Assert.Equal(0, result.Exit);
        Assert.Contains("pcapng", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Packets:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("name lo", result.Stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> CorruptInputs()
    {
        var afs = File.ReadAllBytes(Path.Combine(Captures(), "afs.pcap"));
        var ng = File.ReadAllBytes(Path.Combine(Captures(), "pcapng-example.pcapng"));
        var badLength = (byte[])ng.Clone();
        badLength[ng.Length - 1] ^= 0x40;
        var huge = (byte[])afs.Clone();
        huge[24 + 8 + 3] = 0x7F;
        using var gz = new MemoryStream();
        using (var zip = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            zip.Write(afs);
        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "bad-magic", "not a capture file at all"u8.ToArray() },
            { "truncated-header", afs[..20] },
            { "truncated-record", afs[..1000] },
            { "caplen-huge", huge },
            { "pcapng-trailer-disagrees", badLength },
            { "pcapng-truncated", ng[..^100] },
            { "gzip", gz.ToArray() },
        };
    }

    [Theory]
    [MemberData(nameof(CorruptInputs))]
    public void Corrupt_input_exits_3_with_one_line_naming_file_and_offset(string name, byte[] content)
    {
        var file = Path.Combine(Path.GetTempPath(), $"condis-corrupt-{Environment.ProcessId}-{name}.pcap");
        File.WriteAllBytes(file, content);
        try
        {
            var result = Condis("inspect", "--json", file);
            Assert.Equal(3, result.Exit);
            Assert.Equal("", result.Stdout);
            var line = Assert.Single(result.Stderr.Split('\n'));
            Assert.Contains(file, line, StringComparison.Ordinal);
            Assert.Contains("offset ", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Missing_file_exits_3_with_one_line()
    {
        var result = Condis("inspect", "/nonexistent/capture.pcap");
        Assert.Equal(3, result.Exit);
        Assert.Single(result.Stderr.Split('\n'));
    }

    [Fact]
    public void Inspect_without_a_file_is_a_usage_error()
    {
        var result = Condis("inspect");
        Assert.Equal(2, result.Exit);
        Assert.Contains("Required argument missing", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, Condis("inspect", "--bogus", "x").Exit);
    }
}
