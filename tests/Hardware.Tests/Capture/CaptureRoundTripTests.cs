using CoNdis.Hardware.Capture;
using Xunit;

namespace CoNdis.Hardware.Tests.Capture;

/// <summary>What the writers produce reads back identically and opens in Wireshark's tools without a warning.</summary>
public sealed class CaptureRoundTripTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("condis-capture-").FullName;

    public static TheoryData<string> Files => CaptureFiles.All();

    public static TheoryData<string> PcapFiles()
    {
        var data = new TheoryData<string>();
        foreach (var name in CaptureFiles.Names)
        {
            using var reader = CaptureReader.Open(CaptureFiles.PathOf(name));
            if (reader.Format == CaptureFormat.Pcap)
                data.Add(name);
        }

        return data;
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static void Copy(string from, CaptureWriter writer)
    {
        using var reader = CaptureReader.Open(from);
        while (reader.TryReadPacket(out var packet))
            writer.WritePacket(packet);
    }

    private static void Same(List<ReadPacket> expected, List<ReadPacket> actual, bool options)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Data, actual[i].Data);
            Assert.Equal(expected[i].OriginalLength, actual[i].OriginalLength);
            if (expected[i].HasTimestamp)
            {
                // A pcap fraction >= 1 s is wrapped as Wireshark wraps it and may leave sub-microsecond digits,
                // which a microsecond file cannot hold: those (and only those) are rounded up to the next microsecond.
                var gap = actual[i].Timestamp.TotalNanoseconds - expected[i].Timestamp.TotalNanoseconds;
                Assert.True(gap == 0 || (expected[i].Timestamp.Nanoseconds % 1000 != 0 && gap > 0 && gap < 1000), $"#{i + 1}: {expected[i].Timestamp} became {actual[i].Timestamp}");
            }
            else
            {
                // A Simple Packet Block has no time; on an interface other than the section's first it is written as
                // an EPB with time zero.
                Assert.True(!actual[i].HasTimestamp || actual[i].Timestamp == default, $"#{i + 1}: SPB got time {actual[i].Timestamp}");
            }

            Assert.Equal(expected[i].LinkType & 0x0FFFFFFF, actual[i].LinkType & 0x0FFFFFFF);
            if (options)
                Assert.Equal(expected[i].Options, actual[i].Options);
        }
    }

    [Theory]
    [MemberData(nameof(PcapFiles))]
    public void Pcap_to_pcapng_to_pcap_keeps_every_packet_and_the_link_type_field(string name)
    {
        var source = CaptureFiles.PathOf(name);
        var ng = Path.Combine(_temp, name + ".pcapng");
        var back = Path.Combine(_temp, name + ".back.pcap");
        using (var writer = new PcapNgWriter(File.Create(ng)))
            Copy(source, writer);
        uint field;
        using (var reader = CaptureReader.Open(ng))
        {
            var ngInterface = reader.Interfaces.Count > 0 ? reader.Interfaces[0] : null;
            _ = ReadPacket.ReadAll(reader);
            ngInterface ??= reader.Interfaces.Count > 0 ? reader.Interfaces[0] : null;
            using var original = CaptureReader.Open(source);
            field = original.Interfaces[0].PcapLinkTypeField;
            using var writer = ngInterface is null
                ? PcapWriter.ForInterface(File.Create(back), original.Interfaces[0])
                : PcapWriter.ForInterface(File.Create(back), ngInterface);
            Copy(ng, writer);
        }

        Same(ReadPacket.ReadAll(source), ReadPacket.ReadAll(ng), options: false);
        Same(ReadPacket.ReadAll(source), ReadPacket.ReadAll(back), options: false);
        using var backReader = CaptureReader.Open(back);
        Assert.Equal(field, backReader.Interfaces[0].LinkType);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Pcapng_written_back_keeps_packets_options_and_interface_options(string name)
    {
        var source = CaptureFiles.PathOf(name);
        var ng = Path.Combine(_temp, name + ".pcapng");
        using (var reader = CaptureReader.Open(source))
        using (var writer = new PcapNgWriter(File.Create(ng), reader.SectionOptions.Count > 0 ? reader.SectionOptions[0].Span : default))
        {
            while (reader.TryReadPacket(out var packet))
                writer.WritePacket(packet);
        }

        Same(ReadPacket.ReadAll(source), ReadPacket.ReadAll(ng), options: true);
        using var originalReader = CaptureReader.Open(source);
        _ = ReadPacket.ReadAll(originalReader);
        using var copyReader = CaptureReader.Open(ng);
        _ = ReadPacket.ReadAll(copyReader);
        // Interfaces that carried packets are written, in first-use order, with their options byte for byte.
        foreach (var written in copyReader.Interfaces)
        {
            Assert.Contains(originalReader.Interfaces, i => (i.LinkType & 0x0FFFFFFF) == written.LinkType && i.Options.SequenceEqual(written.Options));
        }

        if (originalReader.SectionOptions.Count > 0)
            Assert.Equal(originalReader.SectionOptions[0].ToArray(), copyReader.SectionOptions[0].ToArray());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void What_we_write_opens_in_capinfos_and_tshark_without_a_warning(string name)
    {
        ExternalTool.Require("capinfos");
        var source = CaptureFiles.PathOf(name);
        var ng = Path.Combine(_temp, name + ".pcapng");
        using (var writer = new PcapNgWriter(File.Create(ng)))
            Copy(source, writer);
        var outputs = new List<string> { ng };
        using (var reader = CaptureReader.Open(source))
        {
            if (reader.Format == CaptureFormat.Pcap)
            {
                var pcap = Path.Combine(_temp, name + ".pcap");
                using (var writer = PcapWriter.ForInterface(File.Create(pcap), reader.Interfaces[0]))
                    Copy(source, writer);
                outputs.Add(pcap);
            }
        }

        foreach (var file in outputs)
        {
            var capinfos = ExternalTool.Run("capinfos", "-c", file);
            Assert.True(capinfos.ExitCode == 0 && capinfos.Stderr.Length == 0, $"capinfos {file}: exit {capinfos.ExitCode}: {capinfos.Stderr}");
            var tshark = ExternalTool.Run("tshark", "-n", "-r", file, "-T", "fields", "-e", "frame.number");
            Assert.True(tshark.ExitCode == 0 && tshark.Stderr.Length == 0, $"tshark {file}: exit {tshark.ExitCode}: {tshark.Stderr}");
        }
    }

    [Fact]
    public void Pcap_writer_refuses_a_second_link_type()
    {
        using var writer = new PcapWriter(new MemoryStream(), 1);
        var other = new CaptureInterface(101, 0);
        Assert.Throws<InvalidOperationException>(() => writer.WritePacket(new CapturePacket(other, default, [1], 1)));
    }

    [Fact]
    public void Pcap_writer_refuses_timestamps_pcap_cannot_hold()
    {
        using var writer = new PcapWriter(new MemoryStream(), 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WritePacket(new CaptureTimestamp((long)uint.MaxValue + 1, 0), [1], 1));
    }

    [Fact]
    public void Nanosecond_timestamps_survive_pcapng_at_nanosecond_resolution()
    {
        var stream = new MemoryStream();
        var time = new CaptureTimestamp(4_400_000_000, 123_456_789);
        using (var writer = new PcapNgWriter(stream, leaveOpen: true))
        {
            var options = new System.Buffers.ArrayBufferWriter<byte>();
            PcapNgOptions.Append(options, PcapNgOptions.IfTimestampResolution, [9]);
            int index = writer.AddInterface(new CaptureInterface(1, 0, options.WrittenSpan));
            writer.WritePacket(index, time, [1, 2, 3], 3);
        }

        stream.Position = 0;
        using var reader = CaptureReader.Open(stream);
        Assert.True(reader.TryReadPacket(out var packet));
        Assert.Equal(time, packet.Timestamp);
    }
}
