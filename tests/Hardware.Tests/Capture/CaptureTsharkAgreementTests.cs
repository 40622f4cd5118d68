using CoNdis.Hardware.Capture;
using Xunit;

namespace CoNdis.Hardware.Tests.Capture;

/// <summary>Every capture in ../shared/captures reads with the counts, lengths, timestamps and bytes tshark reports.</summary>
public sealed class CaptureTsharkAgreementTests
{
    private const uint LinkTypeSunAtm = 123;

    public static TheoryData<string> Files => CaptureFiles.All();

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_shared_capture_reads_with_the_packets_tshark_reports(string name)
    {
        var path = CaptureFiles.PathOf(name);
        var ours = ReadPacket.ReadAll(path);
        var theirs = TsharkRecord.Read(path).Where(r => r.IsPacket).ToList();

        Assert.Equal(theirs.Count, ours.Count);
        for (int i = 0; i < ours.Count; i++)
        {
            var (mine, tshark) = (ours[i], theirs[i]);
            // Wireshark moves LINKTYPE_SUNATM's 4-byte pseudo-header out of the frame: it reports 4 bytes fewer of
            // both lengths and the bytes after the pseudo-header; the records themselves store the 4 bytes.
            int skip = (mine.LinkType & 0x0FFFFFFF) == LinkTypeSunAtm ? Math.Min(4, mine.Data.Length) : 0;
            Assert.True(tshark.CapturedLength == mine.Data.Length - skip, $"{name} #{i + 1}: caplen {mine.Data.Length} (-{skip}) vs tshark {tshark.CapturedLength}");
            Assert.True(tshark.OriginalLength == mine.OriginalLength - skip, $"{name} #{i + 1}: len {mine.OriginalLength} (-{skip}) vs tshark {tshark.OriginalLength}");
            Assert.True(tshark.Data.AsSpan().SequenceEqual(mine.Data.AsSpan(skip)), $"{name} #{i + 1}: bytes differ");
            Assert.Equal(tshark.Timestamp.HasValue, mine.HasTimestamp);
            if (tshark.Timestamp is CaptureTimestamp ns)
                Assert.True(ns == mine.Timestamp, $"{name} #{i + 1}: timestamp {mine.Timestamp} vs tshark {ns}");
            if (tshark.InterfaceId.Length > 0)
                Assert.Equal(tshark.InterfaceId, mine.InterfaceInSection.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void The_capture_past_2106_reads_its_64_bit_timestamp()
    {
        var packets = ReadPacket.ReadAll(CaptureFiles.PathOf("time_2106_overflow.pcapng"));
        var packet = Assert.Single(packets);
        Assert.Equal(new DateTimeOffset(2106, 2, 7, 6, 28, 16, TimeSpan.Zero).ToUnixTimeSeconds(), packet.Timestamp.Seconds);
        Assert.True(packet.Timestamp.Seconds > uint.MaxValue);
        Assert.StartsWith("2106-02-07T06:28:16.", packet.Timestamp.ToIsoString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pcapng_named_pcap_is_detected_by_content()
    {
        using var reader = CaptureReader.Open(CaptureFiles.PathOf("BgpPackets.pcap"));
        Assert.Equal(CaptureFormat.PcapNg, reader.Format);
        Assert.Equal(8, ReadPacket.ReadAll(reader).Count);
        Assert.Equal(8, reader.Interfaces.Count);
    }

    [Fact]
    public void Pcap_link_type_keeps_the_fcs_bits_of_its_upper_nibble()
    {
        using var reader = CaptureReader.Open(CaptureFiles.PathOf("llc-xid-heapoverflow.pcap"));
        Assert.Equal(0x30000064u, reader.Interfaces[0].LinkType);
        Assert.Equal(2, reader.Interfaces[0].FcsLength);
        Assert.Equal(0x30000064u, reader.Interfaces[0].PcapLinkTypeField);
    }

    [Fact]
    public void Captured_length_above_snaplen_is_read_and_counted_as_wireshark_does()
    {
        using var reader = CaptureReader.Open(CaptureFiles.PathOf("pim-packet-assortment.pcap"));
        var packets = ReadPacket.ReadAll(reader);
        Assert.Equal(245, packets.Count);
        Assert.Equal(65589, packets.Max(p => p.Data.Length));
        uint snapLength = reader.Interfaces[0].SnapLength;
        int above = packets.Count(p => p.Data.Length > snapLength);
        Assert.True(above > 0, "the file has records longer than its snap length");
        Assert.Equal(above, reader.CapturedAboveSnapLengthCount);
    }

    [Fact]
    public void Zero_length_records_are_packets_with_no_bytes()
    {
        var packets = ReadPacket.ReadAll(CaptureFiles.PathOf("bgp_vpn_rt-oobr.pcap"));
        Assert.Equal(38, packets.Count);
        Assert.Equal(36, packets.Count(p => p.Data.Length == 0 && p.OriginalLength == 0));
    }

    [Fact]
    public void A_microsecond_field_of_a_full_second_is_counted_and_carried_into_the_seconds()
    {
        using var reader = CaptureReader.Open(CaptureFiles.PathOf("timestamp_invalid_micro.pcap"));
        var packets = ReadPacket.ReadAll(reader);
        Assert.Equal(2, reader.InvalidFractionCount);
        Assert.Equal(new CaptureTimestamp(1418145371, 0), packets[1].Timestamp);
    }

    [Fact]
    public void Sections_of_different_byte_order_are_read_with_their_interfaces_and_skipped_blocks()
    {
        using var reader = CaptureReader.Open(CaptureFiles.PathOf("pcapng-gen_test202_le.pcapng"));
        var packets = ReadPacket.ReadAll(reader);
        Assert.Equal(8, packets.Count);
        Assert.Equal(3, reader.SectionCount);
        Assert.Equal(5, reader.Interfaces.Count);
        Assert.Equal(5, reader.SkippedBlocks[PcapNgBlockTypes.NameResolution]);
        Assert.Equal(4, reader.SkippedBlocks[PcapNgBlockTypes.InterfaceStatistics]);
        Assert.Equal(2, packets.Count(p => !p.HasTimestamp));
    }

    [Fact]
    public void Interface_and_packet_comments_are_preserved_on_read()
    {
        using var reader = CaptureReader.Open(CaptureFiles.PathOf("pcapng-example.pcapng"));
        var packets = ReadPacket.ReadAll(reader);
        Assert.Equal("lo", reader.Interfaces[0].Name);
        Assert.Equal(9, reader.Interfaces[0].TimestampResolution);
        Assert.Equal(100, packets.Count(p => PcapNgOptions.Strings(p.Options, PcapNgOptions.Comment).Count > 0));
        Assert.NotEmpty(PcapNgOptions.Strings(reader.SectionOptions[0].Span, PcapNgOptions.Comment));
    }
}
