using CoNdis.Hardware.Capture;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.Hardware.Tests.Capture;
using CoNdis.Hardware.Tests.Miniports;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Info;
using Xunit;

namespace CoNdis.Hardware.Tests.Nic;

/// <summary>
/// Checksum and 802.1Q offloads on the real captures of ../shared/captures, judged against the tests' own checksum
/// computation (<see cref="IndependentChecksums"/>) and, where tshark is installed, against Wireshark's validation.
/// </summary>
public sealed class OffloadCaptureTests
{
    public static TheoryData<string> EthernetCapturesWithIp => new() { "afs.pcap", "pim-packet-assortment.pcap", "pptp.pcap", "BgpPackets.pcap", "pcapng-example.pcapng", "VlanPackets.pcap", "no-ip-frag.pcap", "many_interfaces-1.pcapng" };

    private static readonly NicOptions s_nic = new()
    {
        CompletionMode = NicCompletionMode.Inline,
        MaximumFrameSize = 262148,
        ReceiveRingSize = 16,
        TransmitRingSize = 64,
        ReceiveFifoFrames = 4,
        BounceBuffers = 2,
        StripVlanTags = false,
    };

    /// <summary>The complete (not truncated) Ethernet frames of a capture.</summary>
    private static List<byte[]> EthernetFrames(string name)
    {
        var path = CaptureFiles.PathOf(name);
        if (!File.Exists(path))
            Assert.Skip($"{path} is missing (the shared capture set is not checked out)");
        var frames = new List<byte[]>();
        using var reader = CaptureReader.Open(path);
        while (reader.TryReadPacket(out var packet))
        {
            if ((packet.LinkType & 0x0FFFFFFF) == 1 && !packet.IsTruncated && packet.Data.Length >= 14)
                frames.Add(packet.Data.ToArray());
        }
        return frames;
    }

    private static (DeviceHost Host, VirtualConnection Vc) Rig(ILinkPort port, NicOptions? nic = null)
    {
        var host = new DeviceHost(port, nic ?? s_nic);
        return (host, host.OfferPermanentVc(ChannelBinding.Both(5)));
    }

    [Theory, MemberData(nameof(EthernetCapturesWithIp))]
    public void Checksums_the_nic_inserts_on_transmit_equal_the_independently_computed_ones_and_tshark_finds_none_bad(string name)
    {
        var frames = EthernetFrames(name);
        var cases = new List<(byte[] Original, byte[] Zeroed, IndependentChecksums.Headers H)>();
        foreach (var frame in frames)
        {
            var h = IndependentChecksums.Find(frame);
            if (h is null || !h.V4 && h.TransportLength == 0)
                continue;
            var zeroed = (byte[])frame.Clone();
            if (h.V4)
                zeroed[h.Ip + 10] = zeroed[h.Ip + 11] = 0;
            if (h.TransportLength > 0)
                zeroed[IndependentChecksums.TransportField(h)] = zeroed[IndependentChecksums.TransportField(h) + 1] = 0;
            cases.Add((frame, zeroed, h));
        }
        Assert.NotEmpty(cases);
        var wire = new MemoryStream();
        using (var writer = new PcapNgWriter(wire, leaveOpen: true))
        {
            var tap = new CaptureRecordLink(writer, new LoopbackLink());
            var (host, vc) = Rig(tap);
            using (host)
            {
                host.Client.RecordFrames = true;
                foreach (var (_, zeroed, h) in cases)
                {
                    var request = new TcpIpChecksumInfo
                    {
                        IsIPv4 = h.V4,
                        IsIPv6 = !h.V4,
                        IpHeaderChecksum = h.V4,
                        TcpChecksum = h.Protocol == 6,
                        UdpChecksum = h.Protocol == 17,
                    };
                    host.Client.Send(vc, [zeroed], checksum: request.Value);
                }
                Wait.Until(() => host.Client.ReceivedCount == cases.Count, "every frame back");
                var received = host.Client.Received;
                for (int i = 0; i < cases.Count; i++)
                {
                    var (original, _, h) = cases[i];
                    var bytes = received[i].Bytes;
                    if (h.V4)
                        Assert.Equal(IndependentChecksums.Ipv4Header(original, h), IndependentChecksums.Word(bytes, h.Ip + 10));
                    if (h.TransportLength > 0)
                        Assert.Equal(IndependentChecksums.Transport(original, h), IndependentChecksums.Word(bytes, IndependentChecksums.TransportField(h)));
                    // Everything but the checksum fields is the original frame.
                    var expected = (byte[])original.Clone();
                    if (h.V4)
                        BitConverterBigEndian(expected, h.Ip + 10, IndependentChecksums.Ipv4Header(original, h));
                    if (h.TransportLength > 0)
                        BitConverterBigEndian(expected, IndependentChecksums.TransportField(h), IndependentChecksums.Transport(original, h));
                    Assert.Equal(expected, bytes);
                    // The receiving NIC verified what the sending one inserted.
                    var info = received[i].Checksum;
                    Assert.False(info.IpChecksumFailed || info.TcpChecksumFailed || info.UdpChecksumFailed);
                    if (h.V4)
                        Assert.True(info.IpChecksumSucceeded);
                    if (h.TransportLength > 0)
                        Assert.True(h.Protocol == 6 ? info.TcpChecksumSucceeded : info.UdpChecksumSucceeded);
                }
                Assert.Equal(cases.Count, host.Nic.Statistics.ChecksumsInserted);
                host.RemoteClose(vc);
                Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
                host.AssertClean();
                host.HaltClean();
            }
        }
        if (ExternalTool.Find("tshark") is null)
            return;
        var file = Path.Combine(Path.GetTempPath(), $"condis-offload-{Guid.NewGuid():N}.pcapng");
        try
        {
            File.WriteAllBytes(file, wire.ToArray());
            var (exit, stdout, stderr) = ExternalTool.Run("tshark", "-n", "-r", file, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-o", "udp.check_checksum:TRUE", "-T", "fields", "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "udp.checksum.status");
            Assert.Equal(0, exit);
            Assert.DoesNotContain("appears to be damaged", stderr, StringComparison.Ordinal);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(cases.Count, lines.Length);
            // 0 is "Bad"; inner headers of tunnels (GRE, ICMP errors) are the sender's and are left as they are.
            Assert.All(lines, line => Assert.False(line.Split('\t')[0].Split(',')[0] == "0", $"tshark: bad IPv4 checksum: {line}"));
            Assert.All(lines, line => Assert.DoesNotContain("0", line.Split('\t').Skip(1).Select(f => f.Split(',')[0])));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void BitConverterBigEndian(byte[] bytes, int at, ushort value)
    {
        bytes[at] = (byte)(value >> 8);
        bytes[at + 1] = (byte)value;
    }

    [Theory, MemberData(nameof(EthernetCapturesWithIp))]
    public void Receive_checksum_results_report_exactly_what_the_independent_verification_finds_in_the_captured_bytes(string name)
    {
        var frames = EthernetFrames(name);
        var (host, vc) = Rig(new LoopbackLink());
        using var _ = host;
        for (int i = 0; i < frames.Count; i += 16)
            host.Client.Send(vc, frames.Skip(i).Take(16).ToList());
        Wait.Until(() => host.Client.ReceivedCount == frames.Count, "every frame back");
        var received = host.Client.Received;
        int bad = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            Assert.Equal(frame, received[i].Bytes);
            var info = received[i].Checksum;
            var h = IndependentChecksums.Find(frame);
            bool ipChecked = h is { V4: true };
            Assert.Equal(ipChecked, info.IpChecksumSucceeded || info.IpChecksumFailed);
            if (ipChecked)
            {
                bool good = IndependentChecksums.Ipv4Header(frame, h!) == IndependentChecksums.Word(frame, h!.Ip + 10);
                Assert.Equal(good, info.IpChecksumSucceeded);
            }
            bool udpNone = h is { V4: true, Protocol: 17, TransportLength: >= 8 } && IndependentChecksums.Word(frame, h.Transport + 6) == 0;
            bool l4Checked = h is { TransportLength: > 0 } && h.TransportLength >= (h.Protocol == 6 ? 20 : 8) && !udpNone;
            Assert.Equal(l4Checked, info.TcpChecksumSucceeded || info.TcpChecksumFailed || info.UdpChecksumSucceeded || info.UdpChecksumFailed);
            if (l4Checked)
            {
                bool good = IndependentChecksums.Transport(frame, h!) == IndependentChecksums.Word(frame, IndependentChecksums.TransportField(h!));
                bad += good ? 0 : 1;
                Assert.Equal(good, h!.Protocol == 6 ? info.TcpChecksumSucceeded : info.UdpChecksumSucceeded);
                Assert.Equal(!good, h.Protocol == 6 ? info.TcpChecksumFailed : info.UdpChecksumFailed);
            }
        }
        if (name == "pcapng-example.pcapng")
            Assert.True(bad > 0, "this capture holds TCP segments with offloaded (wrong) checksums; the NIC must report them failed");
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    public static TheoryData<string> TaggedCaptures => new() { "VlanPackets.pcap", "802.1ad_QinQ.pcap" };

    [Theory, MemberData(nameof(TaggedCaptures))]
    public void Tagged_frames_stripped_on_receive_and_sent_again_with_their_8021q_info_come_out_on_the_wire_byte_identical(string name)
    {
        var frames = EthernetFrames(name);
        var strip = s_nic with { StripVlanTags = true };
        var wire = new MemoryStream();
        using var writer = new PcapNgWriter(wire, leaveOpen: true);
        var tap = new CaptureRecordLink(writer, new LoopbackLink());
        var (host, vc) = Rig(tap, strip);
        using var _ = host;
        // Round 1: the original frames go out untouched (no 802.1Q info) and come back stripped.
        host.Client.Send(vc, frames);
        Wait.Until(() => host.Client.ReceivedCount == frames.Count, "the frames back");
        var stripped = host.Client.Received.ToList();
        for (int i = 0; i < frames.Count; i++)
        {
            bool tagged = IndependentChecksums.Word(frames[i], 12) == 0x8100;
            Assert.Equal(tagged ? frames[i].Length - 4 : frames[i].Length, stripped[i].Bytes.Length);
            if (tagged)
            {
                int tci = IndependentChecksums.Word(frames[i], 14);
                Assert.Equal(tci & 0xFFF, stripped[i].Ieee8021Q.VlanId);
                Assert.Equal(tci >> 13, stripped[i].Ieee8021Q.UserPriority);
                Assert.Equal((tci >> 12) & 1, stripped[i].Ieee8021Q.CanonicalFormatId);
            }
            else
            {
                Assert.Equal(0u, stripped[i].Ieee8021Q.Value);
                Assert.Equal(frames[i], stripped[i].Bytes);
            }
        }
        // Round 2: each stripped frame is sent again with the 802.1Q info it came with: the NIC re-inserts the tag.
        foreach (var frame in stripped)
            host.Client.Send(vc, [frame.Bytes], ieee8021Q: frame.Ieee8021Q.Value);
        Wait.Until(() => host.Client.ReceivedCount == 2 * frames.Count, "the second round");
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
        writer.Flush();
        wire.Position = 0;
        using var reader = CaptureReader.Open(wire);
        var onTheWire = new List<byte[]>();
        while (reader.TryReadPacket(out var packet))
            onTheWire.Add(packet.Data.ToArray());
        Assert.Equal(2 * frames.Count, onTheWire.Count);
        Assert.Equal(frames, onTheWire.Take(frames.Count));
        Assert.Equal(frames, onTheWire.Skip(frames.Count));
    }
}
