using CoNdis.Hardware.Capture;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.Hardware.Tests.Capture;
using CoNdis.Hardware.Tests.Miniports;
using CoNdis.NetBufferCore.CoNdis;
using Xunit;

namespace CoNdis.Hardware.Tests.Links;

/// <summary>The capture links: a replay turns a capture's frames into received frames; a record tap writes the wire as pcapng.</summary>
public sealed class CaptureLinkTests
{
    private static readonly NicOptions s_nic = new()
    {
        CompletionMode = NicCompletionMode.Inline,
        MaximumFrameSize = 262148,
        ReceiveRingSize = 16,
        ReceiveFifoFrames = 4,
        BounceBuffers = 2,
        StripVlanTags = false,
    };

    private static string Require(string name)
    {
        var path = CaptureFiles.PathOf(name);
        if (!File.Exists(path))
            Assert.Skip($"{path} is missing (the shared capture set is not checked out)");
        return path;
    }

    private static List<(byte[] Bytes, long Time)> EthernetPackets(string path)
    {
        var list = new List<(byte[], long)>();
        using var reader = CaptureReader.Open(path);
        while (reader.TryReadPacket(out var packet))
        {
            if ((packet.LinkType & 0x0FFFFFFF) == 1)
                list.Add((packet.Data.ToArray(), packet.Timestamp.TryGetUnixNanoseconds(out long ns) ? ns : 0));
        }
        return list;
    }

    public static TheoryData<string> EthernetCaptures => new() { "afs.pcap", "VlanPackets.pcap", "802.1ad_QinQ.pcap", "bgp_vpn_rt-oobr.pcap", "pim-packet-assortment.pcap", "BgpPackets.pcap", "pcapng-gen_test010_be.pcapng", "time_2106_overflow.pcapng" };

    [Theory, MemberData(nameof(EthernetCaptures))]
    public void Every_frame_of_a_replayed_capture_arrives_on_the_vc_of_its_channel_in_order_byte_identical(string name)
    {
        var path = Require(name);
        var expected = EthernetPackets(path);
        using var replay = CaptureReplayLink.Open(path, channel: 21);
        using var host = new DeviceHost(replay, s_nic);
        var vc = host.OfferPermanentVc(ChannelBinding.Both(21));
        while (!replay.IsAtEnd)
            replay.Pump();
        Wait.Until(() => host.Client.ReceivedCount == expected.Count, $"{expected.Count} frames");
        Assert.Equal(expected.Count, replay.Delivered);
        Assert.Equal(expected.Select(e => e.Bytes), host.Client.Received.Select(r => r.Bytes));
        Assert.All(host.Client.Received, r => Assert.Same(vc, r.Vc));
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void A_capture_of_a_link_type_the_nic_cannot_carry_is_refused_naming_the_link_type()
    {
        var path = Require("linktype_ipv4.pcap");
        using var replay = CaptureReplayLink.Open(path);
        using var host = new DeviceHost(replay, s_nic);
        var error = Assert.Throws<UnsupportedLinkTypeException>(() => replay.Pump());
        Assert.Equal(228u, error.LinkType);
        Assert.Equal(1, error.PacketNumber);
        Assert.Contains("link type 228", error.Message, StringComparison.Ordinal);
        Assert.Contains("ETHERNET", error.Message, StringComparison.Ordinal);
        host.HaltClean();
    }

    [Fact]
    public void With_pass_through_frames_of_other_link_types_go_to_the_handler_untouched_and_are_counted()
    {
        var path = Require("many_interfaces-1.pcapng");
        var all = new List<(uint LinkType, byte[] Bytes)>();
        using (var reader = CaptureReader.Open(path))
        {
            while (reader.TryReadPacket(out var packet))
                all.Add((packet.LinkType, packet.Data.ToArray()));
        }
        var passed = new List<byte[]>();
        using var replay = CaptureReplayLink.Open(path, channel: 3);
        replay.PassThrough = (in CapturePacket packet) => passed.Add(packet.Data.ToArray());
        using var host = new DeviceHost(replay, s_nic);
        var vc = host.OfferPermanentVc(ChannelBinding.Both(3));
        while (!replay.IsAtEnd)
            replay.Pump();
        int ethernet = all.Count(p => p.LinkType == 1);
        Assert.True(ethernet > 0 && passed.Count > 0, "this capture mixes Ethernet and NULL interfaces");
        Assert.Equal(all.Count - ethernet, replay.PassedThrough);
        Assert.Equal(all.Where(p => p.LinkType != 1).Select(p => p.Bytes), passed);
        Wait.Until(() => host.Client.ReceivedCount == ethernet, "the Ethernet frames");
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void Paced_by_timestamps_a_frame_arrives_only_when_the_device_clock_reached_its_offset_from_the_first()
    {
        var path = Require("afs.pcap");
        var expected = EthernetPackets(path).Take(4).ToList();
        var clock = new VirtualDeviceClock();
        using var replay = new CaptureReplayLink(CaptureReader.Open(path), 1, CaptureReplayPacing.Timestamps, clock, ownsReader: true);
        using var host = new DeviceHost(replay, s_nic, clock: clock);
        var vc = host.OfferPermanentVc(ChannelBinding.Both(1));
        Assert.Equal(1, replay.Pump());
        for (int i = 1; i < expected.Count; i++)
        {
            long gap = expected[i].Time - expected[i - 1].Time;
            if (gap > 0)
            {
                clock.AdvanceNanoseconds(gap - 1);
                Assert.Equal(0, replay.Pump(1));
                clock.AdvanceNanoseconds(1);
            }
            Assert.Equal(1, replay.Pump(1));
        }
        Assert.Equal(expected.Select(e => e.Bytes), host.Client.Received.Select(r => r.Bytes));
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void A_record_tap_writes_every_transmitted_frame_as_pcapng_with_its_device_clock_timestamp_and_tshark_reads_it_cleanly()
    {
        var clock = new VirtualDeviceClock(1_700_000_000_123_456_789);
        var file = Path.Combine(Path.GetTempPath(), $"condis-record-{Guid.NewGuid():N}.pcapng");
        var frames = DeviceHost.Frames(40, 10);
        try
        {
            using (var stream = File.Create(file))
            using (var writer = new PcapNgWriter(stream))
            {
                var tap = new CaptureRecordLink(writer, new LoopbackLink(), clock: clock, name: "nic0");
                using var host = new DeviceHost(tap, DeviceHost.Inline, clock: clock);
                var vc = host.OfferPermanentVc(ChannelBinding.Both(2));
                for (int i = 0; i < frames.Length; i++)
                {
                    host.Client.Send(vc, [frames[i]]);
                    clock.Advance(TimeSpan.FromMicroseconds(10));
                }
                Assert.Equal(10, tap.Recorded);
                host.RemoteClose(vc);
                Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
                host.AssertClean();
                host.HaltClean();
            }
            using (var reader = CaptureReader.Open(file))
            {
                int i = 0;
                while (reader.TryReadPacket(out var packet))
                {
                    Assert.Equal(frames[i], packet.Data.ToArray());
                    Assert.Equal(1u, packet.LinkType);
                    Assert.Equal("nic0", packet.Interface.Name);
                    Assert.True(packet.Timestamp.TryGetUnixNanoseconds(out long ns));
                    Assert.Equal(1_700_000_000_123_456_789 + i * 10_000L, ns);
                    i++;
                }
                Assert.Equal(10, i);
            }
            if (ExternalTool.Find("capinfos") is null)
                return;
            var (exit, stdout, stderr) = ExternalTool.Run("capinfos", "-c", "-M", file);
            Assert.Equal(0, exit);
            Assert.Equal("", stderr.Replace("Running as user \"root\" and group \"root\". This could be dangerous.", "", StringComparison.Ordinal).Trim());
            Assert.Contains("10", stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
