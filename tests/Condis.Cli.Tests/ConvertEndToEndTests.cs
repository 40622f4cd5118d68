using System.Globalization;
using System.Text.Json;
using CoNdis.Hardware.Capture;
using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary>
/// <c>condis convert</c> as a process over every capture of ../shared/captures on all four pairings: --verify passes,
/// the four pairings write the same bytes, and tshark opens each output without a warning and finds the input's frames.
/// tshark runs on the native/native outputs only: the other three are proven byte-identical to them.
/// </summary>
public sealed partial class ConvertEndToEndTests(ConvertedCaptures converted) : IClassFixture<ConvertedCaptures>
{
    /// <summary>MDL addresses differ from process to process.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("@0x[0-9A-F]+")]
    private static partial System.Text.RegularExpressions.Regex Addresses();

    public static TheoryData<string> Pairings() => new(ConvertedCaptures.Pairings);

    [Theory]
    [MemberData(nameof(Pairings))]
    public void Convert_verify_passes_on_every_capture(string pairing)
    {
        var result = converted.Results.GetValueOrDefault(pairing);
        Assert.True(result.Exit == 0, $"{pairing}: exit {result.Exit}: {result.Stderr}");
        Assert.Equal("", result.Stderr);
        var json = converted.Json(pairing);
        var files = json.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(CaptureNames.Count(), files.Count);
        foreach (var file in files)
        {
            Assert.Equal(0, file.GetProperty("exitCode").GetInt32());
            Assert.Equal("in flight and read back", file.GetProperty("verified").GetString());
            Assert.Equal(0, file.GetProperty("differences").GetArrayLength());
            Assert.Equal(0, file.GetProperty("problems").GetInt32());
            long packets = file.GetProperty("packets").GetInt64();
            Assert.Equal(packets, file.GetProperty("carried").GetInt64() + file.GetProperty("passedThrough").GetProperty("total").GetInt64());
        }
    }

    [Theory]
    [MemberData(nameof(Pairings))]
    public void Every_pairing_writes_the_same_bytes_as_native_native(string pairing)
    {
        foreach (var name in CaptureNames)
        {
            var expected = File.ReadAllBytes(Path.Combine(converted.Output("native/native"), name));
            var actual = File.ReadAllBytes(Path.Combine(converted.Output(pairing), name));
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{pairing}: {name} differs from native/native's");
        }
    }

    [Fact]
    public void Frames_the_device_cannot_carry_pass_through_and_are_counted_by_reason()
    {
        var files = converted.Json("native/legacy").GetProperty("files").EnumerateArray().ToDictionary(f => Path.GetFileName(f.GetProperty("input").GetString()!), f => f);
        // raw_ip.pcap: LINKTYPE_RAW, nothing the Ethernet NIC carries.
        Assert.Equal(0, files["raw_ip.pcap"].GetProperty("carried").GetInt64());
        Assert.Equal(100, files["raw_ip.pcap"].GetProperty("passedThrough").GetProperty("linkType").GetInt64());
        // many_interfaces-1.pcapng: 62 Ethernet frames cross, 2 on a NULL interface pass through.
        Assert.Equal(62, files["many_interfaces-1.pcapng"].GetProperty("carried").GetInt64());
        Assert.Equal(2, files["many_interfaces-1.pcapng"].GetProperty("passedThrough").GetProperty("linkType").GetInt64());
        // bigtcp-ipv4.pcap: one 80,066-byte frame, longer than the NIC's 9,216-byte frames.
        Assert.Equal(1, files["bigtcp-ipv4.pcap"].GetProperty("passedThrough").GetProperty("tooLong").GetInt64());
        // bgp_vpn_rt-oobr.pcap: 37 of its 38 records have no bytes (tshark: 37 with frame.cap_len 0).
        Assert.Equal(37, files["bgp_vpn_rt-oobr.pcap"].GetProperty("passedThrough").GetProperty("empty").GetInt64());
        // afs.pcap: every frame crosses, and the 5.x miniport side translated each one (plus the call's signalling).
        Assert.Equal(601, files["afs.pcap"].GetProperty("carried").GetInt64());
        Assert.True(files["afs.pcap"].GetProperty("translation").GetProperty("packetsBuilt").GetInt64() >= 601);
        Assert.True(files["afs.pcap"].GetProperty("deviceCopies").GetProperty("dma").GetInt64() >= 2 * 601);
    }

    [Theory]
    [MemberData(nameof(AllCaptures), MemberType = typeof(CliProcess))]
    public void Tshark_opens_the_output_without_a_warning_and_finds_the_input_frames(string name)
    {
        var tshark = RequireTool("tshark");
        var input = Path.Combine(Captures, name);
        var output = Path.Combine(converted.Output("native/native"), name);
        Assert.True(File.Exists(output), $"{output} was not written");
        var (inFields, _) = Fields(tshark, input);
        var (outFields, warnings) = Fields(tshark, output);
        Assert.True(warnings.Length == 0, $"tshark warned about {name}'s output: {warnings}");
        Assert.Equal(inFields, outFields);
        var inHex = Run(tshark, ["-n", "-r", input, "-x", "-Y", "frame.encap_type"]);
        var outHex = Run(tshark, ["-n", "-r", output, "-x", "-Y", "frame.encap_type"]);
        Assert.Equal(0, outHex.Exit);
        Assert.Equal(PacketHex(inHex.Stdout), PacketHex(outHex.Stdout));
    }

    /// <summary>
    /// Per packet record: time (in microseconds, normalised: Wireshark prints a fraction of a full second as such), lengths,
    /// interface, encapsulation. pcapng custom blocks, which tshark lists as records without an encapsulation, are not
    /// packets and are left out; convert does not keep them (nor NRB, ISB, DSB).
    /// </summary>
    private static (List<string> Rows, string Warnings) Fields(string tshark, string path)
    {
        var result = Run(tshark, ["-n", "-r", path, "-T", "fields", "-e", "frame.encap_type", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.interface_id"]);
        Assert.True(result.Exit == 0, result.Stderr);
        var rows = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split('\t')).Where(c => c[0].Length > 0)
            .Select(c => $"{c[0]} {Microseconds(c[1])} {c[2]} {c[3]} {c[4]}").ToList();
        return (rows, result.Stderr.Trim());
    }

    private static string Microseconds(string epoch)
    {
        if (epoch.Length == 0)
            return "none";
        var parts = epoch.Split('.');
        long seconds = long.Parse(parts[0], CultureInfo.InvariantCulture);
        long nanoseconds = parts.Length > 1 ? long.Parse(parts[1].PadRight(9, '0'), CultureInfo.InvariantCulture) : 0;
        if (parts.Length > 1 && parts[1].Length > 9)
            nanoseconds = long.Parse(parts[1], CultureInfo.InvariantCulture);
        var total = ((Int128)seconds * 1_000_000_000) + nanoseconds;
        return (total / 1000).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The hex dump lines of tshark -x (the summary lines, with relative times, are left out).</summary>
    private static List<string> PacketHex(string text) =>
        text.Split('\n').Where(l => l.Length > 6 && l[4] == ' ' && l[5] == ' ' && Uri.IsHexDigit(l[0])).ToList();

    [Fact]
    public void Annotate_writes_per_packet_the_layout_inspect_packets_prints()
    {
        var dir = Directory.CreateTempSubdirectory("condis-annotate").FullName;
        try
        {
            var input = Path.Combine(Captures, "VlanPackets.pcap");
            var output = Path.Combine(dir, "vlan.pcapng");
            var result = RunCondis("convert", input, "-o", output, "--miniport", "legacy", "--annotate", "--verify");
            Assert.True(result.Exit == 0, result.Stderr);
            var inspect = RunCondis("inspect", "--packets", input);
            Assert.Equal(0, inspect.Exit);
            var blocks = inspect.Stdout.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(b => b.StartsWith("Packet ", StringComparison.Ordinal)).ToList();
            using var reader = CaptureReader.Open(output);
            int number = 0;
            while (reader.TryReadPacket(out var packet))
            {
                var comments = PcapNgOptions.Strings(packet.Options, PcapNgOptions.Comment);
                var comment = Assert.Single(comments);
                Assert.StartsWith("condis convert, native/legacy over loopback:", comment, StringComparison.Ordinal);
                Assert.EndsWith(Addresses().Replace(blocks[number].TrimEnd('\n'), "@0x?"), Addresses().Replace(comment, "@0x?"), StringComparison.Ordinal);
                Assert.Contains("NDIS_PACKET", comment, StringComparison.Ordinal);
                number++;
            }

            Assert.Equal(26, number);
            var tshark = Tool("tshark");
            if (tshark is not null)
            {
                var comments = Run(tshark, ["-n", "-r", output, "-Y", "frame.comment", "-T", "fields", "-e", "frame.number"]);
                Assert.Equal("", comments.Stderr);
                Assert.Equal(26, Lines(comments.Stdout).Length);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Wire_records_every_frame_as_the_nic_put_it_on_the_link_tags_inserted()
    {
        var dir = Directory.CreateTempSubdirectory("condis-wire").FullName;
        try
        {
            var input = Path.Combine(Captures, "VlanPackets.pcap");
            var wire = Path.Combine(dir, "wire.pcapng");
            var result = RunCondis("convert", input, "-o", Path.Combine(dir, "out.pcap"), "--client", "legacy", "--wire", wire, "--json");
            Assert.True(result.Exit == 0, result.Stderr);
            var frames = new List<byte[]>();
            using (var reader = CaptureReader.Open(input))
            {
                while (reader.TryReadPacket(out var packet))
                    frames.Add(packet.Data.ToArray());
            }

            Assert.Contains(frames, f => f[12] == 0x81 && f[13] == 0x00);
            var onWire = new List<byte[]>();
            using (var reader = CaptureReader.Open(wire))
            {
                while (reader.TryReadPacket(out var packet))
                    onWire.Add(packet.Data.ToArray());
            }

            // The wire also carries the call's signalling (SETUP, CONNECT, RELEASE on channel 0); the data frames are the input's, in order.
            int next = 0;
            foreach (var frame in onWire)
            {
                if (next < frames.Count && frame.AsSpan().SequenceEqual(frames[next]))
                    next++;
            }

            Assert.Equal(frames.Count, next);
            using var json = JsonDocument.Parse(result.Stdout);
            Assert.Equal(onWire.Count, json.RootElement.GetProperty("files")[0].GetProperty("wireFrames").GetInt64());
            var tshark = Tool("tshark");
            if (tshark is not null)
            {
                var read = Run(tshark, ["-n", "-r", wire]);
                Assert.True(read.Exit == 0 && read.Stderr.Length == 0, read.Stderr);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Standard_input_to_standard_output_keeps_every_frame_and_the_summary_goes_to_stderr()
    {
        var cancel = TestContext.Current.CancellationToken;
        var input = Path.Combine(Captures, "afs.pcap");
        var bytes = await File.ReadAllBytesAsync(input, cancel);
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Dll, "convert", "-", "-o", "-", "--client", "legacy", "--miniport", "legacy", "--format", "pcapng", "--verify" })
            info.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancel);
        await process.StandardInput.BaseStream.WriteAsync(bytes, cancel);
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        await copy;
        string errors = await stderr;
        Assert.True(process.ExitCode == 0, errors);
        Assert.Contains("Verify:", errors, StringComparison.Ordinal);
        Assert.Contains("in flight", errors, StringComparison.Ordinal);
        stdout.Position = 0;
        using var produced = CaptureReader.Open(stdout);
        Assert.Equal(CaptureFormat.PcapNg, produced.Format);
        using var original = CaptureReader.Open(input);
        int count = 0;
        while (original.TryReadPacket(out var a))
        {
            Assert.True(produced.TryReadPacket(out var b));
            Assert.True(a.Data.SequenceEqual(b.Data));
            Assert.Equal(a.Timestamp, b.Timestamp);
            Assert.Equal(a.OriginalLength, b.OriginalLength);
            count++;
        }

        Assert.False(produced.TryReadPacket(out _));
        Assert.Equal(601, count);
    }

    [Theory]
    [InlineData("tcp-handshake-nano.pcap", "pcapng")]
    [InlineData("pcapng-example.pcapng", "pcapng")]
    [InlineData("time_2106_overflow.pcapng", "pcapng")]
    [InlineData("pcapng-gen_test009_le.pcapng", "pcap")]
    [InlineData("microsecs_big_endian.pcap", "pcapng")]
    public void Converting_between_formats_keeps_every_frame_and_timestamp(string name, string format)
    {
        var dir = Directory.CreateTempSubdirectory("condis-format").FullName;
        try
        {
            var output = Path.Combine(dir, "out." + format);
            var result = RunCondis("convert", Path.Combine(Captures, name), "-o", output, "--format", format, "--verify");
            Assert.True(result.Exit == 0, result.Stderr);
            using var reader = CaptureReader.Open(output);
            Assert.Equal(format == "pcap" ? CaptureFormat.Pcap : CaptureFormat.PcapNg, reader.Format);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("many_interfaces-1.pcapng")]
    [InlineData("time_2106_overflow.pcapng")]
    public void A_pcap_that_cannot_hold_the_input_is_a_usage_error_with_one_line_and_no_output(string name)
    {
        var dir = Directory.CreateTempSubdirectory("condis-refuse").FullName;
        try
        {
            var output = Path.Combine(dir, "out.pcap");
            var result = RunCondis("convert", Path.Combine(Captures, name), "-o", output, "--format", "pcap");
            Assert.Equal(2, result.Exit);
            var line = Assert.Single(Lines(result.Stderr));
            Assert.Contains(name, line, StringComparison.Ordinal);
            Assert.Contains("pcap", line, StringComparison.Ordinal);
            Assert.False(File.Exists(output));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
