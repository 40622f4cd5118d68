using System.Globalization;
using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Capture;
using CoNdis.Hardware.Tests.Capture;
using Xunit;

namespace CoNdis.Hardware.Tests.Atm;

/// <summary>
/// The SunATM and ERF writers and the capture encoder behind <c>condis cells</c>: the records read back with our
/// reader, and tshark (the outside judge; tests skip without it) decodes them to IP/UDP on the right VPI/VCI, with
/// every AAL5 CRC-32 correct.
/// </summary>
public sealed class AtmCaptureTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("condis-atm-capture-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly CaptureTimestamp s_start = CaptureTimestamp.FromUnixNanoseconds(1_600_000_000_123_456_789);

    private static List<byte[]> UdpFrames(int count) => Enumerable.Range(0, count)
        .Select(i => AtmTestFrames.Ethernet(AtmTestFrames.Udp(1, 2, (ushort)(4000 + i), 9000, AtmTestFrames.Payload(i, 20 + i * 97 % 1400), (ushort)(i + 1))))
        .ToList();

    private string Encode(AtmRecordFormat format, AtmCaptureEncoderOptions options, List<byte[]> frames, string name)
    {
        var path = Path.Combine(_directory, name);
        using (var encoder = new AtmCaptureEncoder(File.Create(path), format, options))
        {
            for (int i = 0; i < frames.Count; i++)
                Assert.Equal(AtmEncodeResult.Encoded, encoder.Encode(new CaptureTimestamp(s_start.Seconds + i, s_start.Nanoseconds), frames[i]));
        }
        return path;
    }

    private static string[] Fields(string path, params string[] fields)
    {
        var arguments = new List<string> { "-r", path, "-T", "fields", "-E", "separator=|" };
        foreach (var field in fields)
            arguments.AddRange(["-e", field]);
        var (exit, stdout, stderr) = ExternalTool.Run("tshark", [.. arguments]);
        Assert.True(exit == 0, stderr);
        Assert.True(stderr.Length == 0, stderr);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Theory]
    [InlineData(AtmRecordFormat.SunAtm, CaptureFormat.Pcap)]
    [InlineData(AtmRecordFormat.SunAtm, CaptureFormat.PcapNg)]
    [InlineData(AtmRecordFormat.ErfAal5, CaptureFormat.Pcap)]
    [InlineData(AtmRecordFormat.ErfAal5, CaptureFormat.PcapNg)]
    public void Llc_routed_frames_decode_to_ip_and_udp_on_the_vc_they_were_written_on(AtmRecordFormat format, CaptureFormat container)
    {
        var frames = UdpFrames(6);
        var path = Encode(format, new AtmCaptureEncoderOptions { Vpi = 3, Vci = 141, Container = container }, frames, $"llc.{format}.{container}");
        var rows = Fields(path, "atm.vpi", "atm.vci", "llc.type", "ip.src", "ip.dst", "udp.srcport", "udp.dstport", "udp.length");
        Assert.Equal(frames.Count, rows.Length);
        for (int i = 0; i < rows.Length; i++)
            Assert.Equal($"3|141|0x0800|10.0.0.1|10.0.0.2|{4000 + i}|9000|{frames[i].Length - 14 - 20}", rows[i]);
    }

    [Fact]
    public void Every_aal5_crc_in_an_erf_aal5_capture_is_one_tshark_calls_correct()
    {
        var frames = UdpFrames(25);
        var path = Encode(AtmRecordFormat.ErfAal5, new AtmCaptureEncoderOptions { Vci = 100 }, frames, "crc.pcap");
        var (exit, stdout, stderr) = ExternalTool.Run("tshark", "-r", path, "-V");
        Assert.True(exit == 0, stderr);
        int correct = stdout.Split('\n').Count(line => line.Contains("AAL5 CRC", StringComparison.Ordinal) && line.Contains("(correct)", StringComparison.Ordinal));
        int incorrect = stdout.Split('\n').Count(line => line.Contains("(incorrect)", StringComparison.Ordinal));
        Assert.Equal(frames.Count, correct);
        Assert.Equal(0, incorrect);
    }

    [Fact]
    public void Bridged_and_vc_multiplexed_frames_decode_down_to_udp()
    {
        var frames = UdpFrames(3);
        foreach (var encapsulation in new[] { Rfc2684Encapsulation.LlcSnapBridged, Rfc2684Encapsulation.VcMuxBridged, Rfc2684Encapsulation.VcMuxRouted })
        {
            var path = Encode(AtmRecordFormat.SunAtm, new AtmCaptureEncoderOptions { Vci = 77, Encapsulation = encapsulation }, frames, $"enc.{encapsulation}");
            var rows = Fields(path, "atm.vci", "udp.dstport");
            Assert.Equal(Enumerable.Repeat("77|9000", frames.Count), rows);
        }
    }

    [Fact]
    public void Cell_records_carry_each_cell_of_the_pdu_with_the_end_of_pdu_bit_on_the_last_one_slot_apart()
    {
        var frames = UdpFrames(4);
        var path = Encode(AtmRecordFormat.ErfCell, new AtmCaptureEncoderOptions { Vpi = 1, Vci = 33 }, frames, "cells.pcap");
        var expectedCells = frames.Select(f => Aal5.CellCount(8 + f.Length - 14)).ToArray();
        var rows = Fields(path, "atm.vpi", "atm.vci", "atm.payload_type", "frame.time_epoch");
        Assert.Equal(expectedCells.Sum(), rows.Length);
        int row = 0;
        foreach (int cells in expectedCells)
        {
            for (int c = 0; c < cells; c++, row++)
            {
                var parts = rows[row].Split('|');
                Assert.Equal("1", parts[0]);
                Assert.Equal("33", parts[1]);
                Assert.Equal(c == cells - 1 ? "1" : "0", parts[2]);
            }
        }
        // One OC-3 cell slot is 2.831 µs: the second cell of the first frame is that much after the first.
        var first = decimal.Parse(rows[0].Split('|')[3], CultureInfo.InvariantCulture);
        var second = decimal.Parse(rows[1].Split('|')[3], CultureInfo.InvariantCulture);
        Assert.Equal(0.000002831m, second - first);
    }

    [Fact]
    public void Cell_records_reassemble_to_the_frames_that_were_encoded()
    {
        var frames = UdpFrames(5);
        var path = Encode(AtmRecordFormat.ErfCell, new AtmCaptureEncoderOptions { Vci = 40 }, frames, "reassemble.pcap");
        var reassembler = new Aal5Reassembler(9180, TimeSpan.Zero);
        var sdus = new List<byte[]>();
        using var reader = CaptureReader.Open(path);
        while (reader.TryReadPacket(out var packet))
        {
            var record = packet.Data;
            Assert.Equal((byte)ErfRecordType.AtmCell, record[8]);
            var header = AtmCellHeader.Read(record[16..]);
            if (reassembler.Accept(record.Slice(20, 48), header.IsEndOfPdu, 0, out var sdu, out _) == Aal5Status.Valid)
                sdus.Add(sdu.ToArray());
        }
        Assert.Equal(frames.Select(f => f[14..]), sdus.Select(s => s[8..]));
    }

    [Fact]
    public void Routed_encapsulation_skips_802_3_length_frames_and_counts_them()
    {
        var path = Path.Combine(_directory, "skip.pcap");
        using var encoder = new AtmCaptureEncoder(File.Create(path), AtmRecordFormat.SunAtm);
        var llcFrame = AtmTestFrames.Ethernet(new byte[40], etherType: 40);
        Assert.Equal(AtmEncodeResult.NotRouted, encoder.Encode(s_start, llcFrame));
        Assert.Equal(AtmEncodeResult.Empty, encoder.Encode(s_start, []));
        Assert.Equal((0L, 2L), (encoder.FramesEncoded, encoder.FramesSkipped));
    }

    [Fact]
    public void A_bridged_encapsulation_of_network_layer_packets_is_refused_at_construction()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new AtmCaptureEncoder(new MemoryStream(), AtmRecordFormat.SunAtm, new AtmCaptureEncoderOptions { Encapsulation = Rfc2684Encapsulation.VcMuxBridged, Input = AtmFrameKind.Packet }));
        Assert.Equal("Input", error.ParamName);
    }

    [Fact]
    public void Sunatm_records_hold_the_pseudo_header_and_the_cpcs_sdu()
    {
        var stream = new MemoryStream();
        using (var writer = new SunAtmWriter(stream, leaveOpen: true))
            writer.WriteSdu(s_start, 0, 5, SunAtmTrafficType.Signalling, AtmCaptureDirection.Received, new byte[] { 1, 2, 3 });
        stream.Position = 0;
        using var reader = CaptureReader.Open(stream);
        Assert.True(reader.TryReadPacket(out var packet));
        Assert.Equal(SunAtmWriter.LinkType, packet.Interface.LinkType);
        Assert.Equal("06000005010203", Convert.ToHexString(packet.Data));
    }

    [Fact]
    public void Erf_timestamps_are_32_32_fixed_point_seconds()
    {
        var ts = new CaptureTimestamp(1_600_000_000, 500_000_000);
        Assert.Equal((1_600_000_000UL << 32) | 0x8000_0000UL, ErfWriter.ToErfTimestamp(ts));
        var path = Encode(AtmRecordFormat.ErfAal5, new AtmCaptureEncoderOptions(), UdpFrames(1), "ts.pcap");
        var rows = Fields(path, "frame.time_epoch", "erf.flags.vlen", "erf.types.type");
        Assert.StartsWith("1600000000.12345", rows[0], StringComparison.Ordinal);
        Assert.EndsWith("|1|4", rows[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_whole_ethernet_capture_encodes_frame_by_frame_and_other_link_types_are_counted_not_written()
    {
        var source = Path.Combine(_directory, "source.pcapng");
        var frames = UdpFrames(7);
        using (var writer = new PcapNgWriter(File.Create(source)))
        {
            int ethernet = writer.AddInterface(new CaptureInterface(1, 65535));
            int raw = writer.AddInterface(new CaptureInterface(101, 65535));
            for (int i = 0; i < frames.Count; i++)
                writer.WritePacket(ethernet, new CaptureTimestamp(s_start.Seconds + i, 0), frames[i], (uint)frames[i].Length);
            writer.WritePacket(raw, s_start, frames[0].AsSpan(14), (uint)frames[0].Length - 14);
            writer.WritePacket(ethernet, s_start, frames[1].AsSpan(0, 30), (uint)frames[1].Length); // truncated
        }
        var target = Path.Combine(_directory, "encoded.pcap");
        AtmEncodeSummary summary;
        using (var reader = CaptureReader.Open(source))
        using (var encoder = new AtmCaptureEncoder(File.Create(target), AtmRecordFormat.ErfCell, new AtmCaptureEncoderOptions { Vci = 99 }))
            summary = encoder.EncodeAll(reader);
        Assert.Equal(new AtmEncodeSummary(9, 7, 1, 1, 0, summary.Cells, summary.Cells), summary);
        Assert.Equal(frames.Sum(f => Aal5.CellCount(8 + f.Length - 14)), summary.Cells);
        Assert.Equal(Enumerable.Repeat("99", (int)summary.Cells), Fields(target, "atm.vci"));
    }
}
