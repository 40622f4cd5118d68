using System.Text.Json;
using CoNdis.Hardware.Capture;
using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary>
/// <c>condis convert --device atm</c> as a process: every capture of ../shared/captures crosses a UNI call between two
/// ATM hosts on all four pairings with --verify passing (bytes, lengths, timestamps, link types identical, in flight
/// and read back), the four pairings write the same files, frames the call cannot carry pass through counted by
/// reason, and --wire records SunATM that tshark decodes as the Q.2931 call and the data on its VC.
/// </summary>
public sealed class ConvertAtmEndToEndTests(AtmConvertedCaptures converted) : IClassFixture<AtmConvertedCaptures>
{
    public static TheoryData<string> Pairings() => new(ConvertedCaptures.Pairings);

    [Theory]
    [MemberData(nameof(Pairings))]
    public void Convert_over_atm_verify_passes_on_every_capture(string pairing)
    {
        var result = converted.Results.GetValueOrDefault(pairing);
        Assert.True(result.Exit == 0, $"{pairing}: exit {result.Exit}: {result.Stderr}");
        Assert.Equal("", result.Stderr);
        var json = converted.Json(pairing);
        Assert.Equal("atm", json.GetProperty("device").GetString());
        var files = json.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(CaptureNames.Count(), files.Count);
        foreach (var file in files)
        {
            string name = file.GetProperty("input").GetString()!;
            Assert.True(file.GetProperty("exitCode").GetInt32() == 0, $"{pairing} {name}: {file.GetProperty("error")}");
            Assert.Equal("in flight and read back", file.GetProperty("verified").GetString());
            Assert.Equal(0, file.GetProperty("differences").GetArrayLength());
            Assert.Equal(0, file.GetProperty("problems").GetInt32());
            long packets = file.GetProperty("packets").GetInt64();
            Assert.Equal(packets, file.GetProperty("carried").GetInt64() + file.GetProperty("passedThrough").GetProperty("total").GetInt64());
            var atm = file.GetProperty("atm");
            Assert.Equal((0, 32), (atm.GetProperty("vpi").GetInt32(), atm.GetProperty("vci").GetInt32()));
            Assert.Equal(0, atm.GetProperty("reassemblyErrors").GetInt64());
        }
    }

    [Theory]
    [MemberData(nameof(Pairings))]
    public void Every_pairing_over_atm_writes_the_same_bytes_as_native_native(string pairing)
    {
        foreach (var name in CaptureNames)
        {
            var expected = File.ReadAllBytes(Path.Combine(converted.Output("native/native"), name));
            var actual = File.ReadAllBytes(Path.Combine(converted.Output(pairing), name));
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{pairing}: {name} differs from native/native's");
        }
    }

    [Fact]
    public void Frames_the_atm_call_cannot_carry_pass_through_and_are_counted_by_reason()
    {
        var files = converted.Json("legacy/native").GetProperty("files").EnumerateArray().ToDictionary(f => Path.GetFileName(f.GetProperty("input").GetString()!), f => f);
        Assert.SkipUnless(files.ContainsKey("raw_ip.pcap") && files.ContainsKey("bigtcp-ipv4.pcap") && files.ContainsKey("afs.pcap"), "the shared capture set is not the one MANIFEST.md lists");
        // raw_ip.pcap: LINKTYPE_RAW, not an Ethernet frame the bridged call carries.
        Assert.Equal(0, files["raw_ip.pcap"].GetProperty("carried").GetInt64());
        Assert.Equal(100, files["raw_ip.pcap"].GetProperty("passedThrough").GetProperty("linkType").GetInt64());
        // bigtcp-ipv4.pcap: one 80066-byte frame, longer than the call's 9180-octet SDU less the 10-octet LLC/SNAP header.
        Assert.Equal(1, files["bigtcp-ipv4.pcap"].GetProperty("passedThrough").GetProperty("tooLong").GetInt64());
        // afs.pcap: every frame crosses, in 11137 cells of data (the summary counts signalling cells too).
        Assert.Equal(601, files["afs.pcap"].GetProperty("carried").GetInt64());
        Assert.True(files["afs.pcap"].GetProperty("atm").GetProperty("cellsSent").GetInt64() >= 11137);
    }

    [Theory]
    [MemberData(nameof(Pairings))]
    public void The_atm_wire_decodes_as_a_q2931_call_and_the_data_on_its_vc(string pairing)
    {
        var tshark = RequireTool("tshark");
        var input = Path.Combine(Captures, "VlanPackets.pcap");
        Assert.SkipUnless(File.Exists(input), $"{input} is not there");
        var dir = Directory.CreateTempSubdirectory("condis-atm-wire").FullName;
        try
        {
            var wire = Path.Combine(dir, "uni.pcapng");
            var parts = pairing.Split('/');
            var result = RunCondis("convert", input, "-o", Path.Combine(dir, "out.pcap"), "--device", "atm", "--client", parts[0], "--miniport", parts[1], "--wire", wire, "--verify", "--json");
            Assert.True(result.Exit == 0, result.Stderr);
            using var json = JsonDocument.Parse(result.Stdout);
            long recorded = json.RootElement.GetProperty("files")[0].GetProperty("wireFrames").GetInt64();
            var decoded = Run(tshark, ["-n", "-r", wire, "-T", "fields", "-E", "separator=|", "-e", "atm.vpi", "-e", "atm.vci", "-e", "q2931.message_type", "-e", "q2931.number.string", "-e", "eth.src"]);
            Assert.True(decoded.Exit == 0 && decoded.Stderr.Length == 0, decoded.Stderr);
            var rows = Lines(decoded.Stdout).Select(r => r.Split('|')).ToList();
            Assert.Equal(recorded, rows.Count);
            var q2931 = rows.Where(r => r[2].Length > 0).ToList();
            // SETUP, CALL PROCEEDING, CONNECT, CONNECT ACKNOWLEDGE, RELEASE (host A closes), RELEASE COMPLETE.
            Assert.Equal([0x05, 0x02, 0x07, 0x0F, 0x4D, 0x5A], q2931.Select(r => Convert.ToInt32(r[2], 16)));
            Assert.All(q2931, r => Assert.Equal(("0", "5"), (r[0], r[1])));
            Assert.StartsWith("4712", q2931[0][3], StringComparison.Ordinal);
            // Every one of the 26 Ethernet frames crossed bridged on the call's VC, 0/32.
            var data = rows.Where(r => r[4].Length > 0).ToList();
            Assert.Equal(26, data.Count);
            Assert.All(data, r => Assert.Equal(("0", "32"), (r[0], r[1])));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Standard_input_to_standard_output_crosses_the_atm_call_and_the_summary_goes_to_stderr()
    {
        var input = Path.Combine(Captures, "afs.pcap");
        Assert.SkipUnless(File.Exists(input), $"{input} is not there");
        var dir = Directory.CreateTempSubdirectory("condis-atm-pipe").FullName;
        try
        {
            var output = Path.Combine(dir, "out.pcap");
            var result = Run("sh", ["-c", $"dotnet '{Dll}' convert - -o - --device atm --client legacy --miniport native --verify < '{input}' > '{output}'"]);
            Assert.True(result.Exit == 0, result.Stderr);
            Assert.Contains("ATM:", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("every frame out equals the frame in (in flight", result.Stderr, StringComparison.Ordinal);
            using var original = CaptureReader.Open(input);
            using var produced = CaptureReader.Open(output);
            int count = 0;
            while (original.TryReadPacket(out var a))
            {
                Assert.True(produced.TryReadPacket(out var b));
                Assert.True(a.Data.SequenceEqual(b.Data), $"packet {count + 1} differs");
                Assert.Equal((a.Timestamp, a.OriginalLength, a.LinkType), (b.Timestamp, b.OriginalLength, b.LinkType));
                count++;
            }

            Assert.False(produced.TryReadPacket(out _));
            Assert.Equal(601, count);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Help_names_the_atm_device_and_an_example()
    {
        var result = RunCondis("convert", "--help");
        Assert.Equal(0, result.Exit);
        Assert.Contains("atm (two hosts on an ATM link", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--device atm --verify", result.Stdout, StringComparison.Ordinal);
    }
}
