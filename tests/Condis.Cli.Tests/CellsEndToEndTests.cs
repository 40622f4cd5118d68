using System.Text.Json;
using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary>
/// <c>condis cells</c> as a process over real captures of ../shared/captures: tshark (the outside judge; skipped
/// without it) decodes every record as ATM on the VPI/VCI asked for, down to IP; every AAL5 CRC-32 of an ERF AAL5
/// file is correct; frames it cannot carry are counted; bad options exit 2 naming the option; a bad file exits 3 with one line.
/// </summary>
public sealed class CellsEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("condis-cells").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string Capture(string name)
    {
        var path = Path.Combine(Captures, name);
        if (!File.Exists(path))
            Assert.Skip($"{path} is not there (../shared/captures, see its MANIFEST.md)");
        return path;
    }

    private string Cells(string input, string format, params string[] more)
    {
        var output = Path.Combine(_dir, $"{Path.GetFileNameWithoutExtension(input)}.{format}.{string.Join('.', more.Select(m => m.TrimStart('-')))}.pcap");
        var result = RunCondis(["cells", input, "-o", output, "--format", format, .. more]);
        Assert.True(result.Exit == 0, $"exit {result.Exit}: {result.Stderr}");
        Assert.Equal("", result.Stderr);
        return output;
    }

    private static string[] Fields(string tshark, string path, params string[] fields)
    {
        var arguments = new List<string> { "-n", "-r", path, "-T", "fields", "-E", "separator=|" };
        foreach (var field in fields)
            arguments.AddRange(["-e", field]);
        var result = Run(tshark, arguments);
        Assert.True(result.Exit == 0 && result.Stderr.Length == 0, result.Stderr);
        return Lines(result.Stdout);
    }

    [Theory]
    [InlineData("sunatm", "llc")]
    [InlineData("sunatm", "vcmux")]
    [InlineData("erf-aal5", "llc")]
    [InlineData("erf-aal5", "vcmux")]
    public void Every_frame_of_an_ethernet_capture_decodes_as_bridged_ethernet_and_ip_on_the_vc_given(string format, string encap)
    {
        var tshark = RequireTool("tshark");
        var input = Capture("afs.pcap");
        var output = Cells(input, format, "--vpi", "3", "--vci", "141", "--encap", encap);
        var rows = Fields(tshark, output, "atm.vpi", "atm.vci", "eth.type", "ip.src");
        var expected = Fields(tshark, input, "eth.type", "ip.src");
        Assert.Equal(601, rows.Length);
        Assert.Equal(expected.Select(e => "3|141|" + e), rows);
    }

    [Fact]
    public void Every_aal5_crc_of_an_erf_aal5_file_is_correct_by_tshark()
    {
        var tshark = RequireTool("tshark");
        var output = Cells(Capture("afs.pcap"), "erf-aal5", "--vci", "100");
        var result = Run(tshark, ["-n", "-r", output, "-V"]);
        Assert.True(result.Exit == 0, result.Stderr);
        var lines = result.Stdout.Split('\n');
        Assert.Equal(601, lines.Count(l => l.Contains("AAL5 CRC", StringComparison.Ordinal) && l.Contains("(correct)", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("(incorrect)", StringComparison.Ordinal));
    }

    [Fact]
    public void Erf_cell_records_are_one_per_cell_on_the_vc_given_with_the_end_of_pdu_bit_once_per_frame()
    {
        var tshark = RequireTool("tshark");
        var input = Capture("afs.pcap");
        var output = Path.Combine(_dir, "cells.pcap");
        var result = RunCondis("cells", input, "-o", output, "--format", "erf-cells", "--vpi", "7", "--vci", "4000", "--json");
        Assert.True(result.Exit == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        long cells = json.RootElement.GetProperty("cells").GetInt64();
        Assert.Equal(cells, json.RootElement.GetProperty("recordsWritten").GetInt64());
        var rows = Fields(tshark, output, "atm.vpi", "atm.vci", "atm.payload_type");
        Assert.Equal(cells, rows.Length);
        Assert.All(rows, r => Assert.StartsWith("7|4000|", r, StringComparison.Ordinal));
        Assert.Equal(601, rows.Count(r => r.EndsWith("|1", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_raw_ip_capture_goes_routed_and_decodes_to_ipv4_and_ipv6()
    {
        var tshark = RequireTool("tshark");
        var input = Capture("raw_ip.pcap");
        var output = Cells(input, "sunatm", "--vci", "33");
        var rows = Fields(tshark, output, "atm.vci", "llc.type", "ip.version", "ipv6.version");
        var expected = Fields(tshark, input, "ip.version", "ipv6.version");
        Assert.Equal(expected.Select(e => "33|" + (e.StartsWith('4') ? "0x0800" : "0x86dd") + "|" + e), rows);
    }

    [Fact]
    public void Frames_of_another_link_type_are_counted_in_the_summary_not_dropped_silently()
    {
        var output = Path.Combine(_dir, "mixed.pcap");
        var result = RunCondis("cells", Capture("pcapng-example.pcapng"), "-o", output, "--format", "sunatm", "--json");
        Assert.True(result.Exit == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        // 159 packets: 59 on the Ethernet interface, 100 on the Linux SLL one.
        Assert.Equal(159, root.GetProperty("packetsRead").GetInt64());
        Assert.Equal(59, root.GetProperty("framesEncoded").GetInt64());
        Assert.Equal(100, root.GetProperty("skipped").GetProperty("linkType").GetInt64());
        Assert.Equal(159, root.GetProperty("framesEncoded").GetInt64() + root.GetProperty("skipped").GetProperty("total").GetInt64());
        var text = RunCondis("cells", Capture("pcapng-example.pcapng"), "-o", output, "--format", "sunatm");
        Assert.Contains("100 not written (100 another link type", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Standard_input_to_standard_output_pipes_through_and_the_summary_goes_to_stderr()
    {
        var tshark = RequireTool("tshark");
        var path = Path.Combine(_dir, "piped.pcap");
        var result = Run("sh", ["-c", $"dotnet '{Dll}' cells - -o - --format sunatm < '{Capture("VlanPackets.pcap")}' > '{path}'"]);
        Assert.Equal(0, result.Exit);
        Assert.Contains("26 packets read", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
        Assert.Equal(26, Fields(tshark, path, "atm.vci").Count(r => r == "32"));
    }

    [Theory]
    [InlineData("--vpi", "256", "--vpi must be from 0 to 255")]
    [InlineData("--vpi", "-1", "--vpi must be from 0 to 255")]
    [InlineData("--vci", "65536", "--vci must be from 32 to 65535")]
    [InlineData("--vci", "5", "--vci 5 is reserved")]
    [InlineData("--vci", "0", "--vci 0 is reserved")]
    [InlineData("--vci", "x", "--vci")]
    [InlineData("--encap", "lane", "--encap")]
    [InlineData("--format", "cell", "--format")]
    public void A_bad_option_value_exits_2_naming_the_option(string option, string value, string message)
    {
        var output = Path.Combine(_dir, "never.pcap");
        string[] arguments = option == "--format"
            ? ["cells", Capture("afs.pcap"), "-o", output, option, value]
            : ["cells", Capture("afs.pcap"), "-o", output, "--format", "sunatm", option, value];
        var result = RunCondis(arguments);
        Assert.Equal(2, result.Exit);
        Assert.Contains(message, Lines(result.Stderr)[0], StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_missing_format_or_output_exits_2()
    {
        Assert.Equal(2, RunCondis("cells", Capture("afs.pcap"), "-o", Path.Combine(_dir, "x.pcap")).Exit);
        Assert.Equal(2, RunCondis("cells", Capture("afs.pcap"), "--format", "sunatm").Exit);
    }

    [Fact]
    public void A_truncated_capture_exits_3_with_one_line_naming_the_file_and_offset_and_leaves_no_output()
    {
        var input = Path.Combine(_dir, "cut.pcap");
        File.WriteAllBytes(input, File.ReadAllBytes(Capture("afs.pcap"))[..100]);
        var output = Path.Combine(_dir, "cut.out.pcap");
        var result = RunCondis("cells", input, "-o", output, "--format", "erf-aal5");
        Assert.Equal(3, result.Exit);
        var line = Assert.Single(Lines(result.Stderr));
        Assert.StartsWith($"condis cells: {input}: offset 24: ", line, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Garbage_and_a_missing_file_exit_3_with_one_line()
    {
        var garbage = Path.Combine(_dir, "garbage.pcap");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 200).Select(i => (byte)(i * 37))]);
        foreach (var input in new[] { garbage, Path.Combine(_dir, "absent.pcap") })
        {
            var result = RunCondis("cells", input, "-o", Path.Combine(_dir, "g.pcap"), "--format", "sunatm");
            Assert.Equal(3, result.Exit);
            Assert.StartsWith($"condis cells: {input}: ", Assert.Single(Lines(result.Stderr)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Help_shows_the_formats_and_an_example()
    {
        var result = RunCondis("cells", "--help");
        Assert.Equal(0, result.Exit);
        Assert.Contains("erf-aal5", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("condis cells in.pcap -o atm.pcap --format sunatm", result.Stdout, StringComparison.Ordinal);
    }
}
