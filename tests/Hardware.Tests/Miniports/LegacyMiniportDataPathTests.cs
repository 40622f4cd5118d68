using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Info;
using Xunit;

namespace CoNdis.Hardware.Tests.Miniports;

/// <summary>The 5.x reference miniport on a direct NDIS 5 binding: the same data path rules as the native one.</summary>
public sealed class LegacyMiniportDataPathTests
{
    public static TheoryData<string> Modes => new() { "inline", "device-thread" };

    private static NicOptions Options(string mode) => mode == "inline" ? DeviceHost.Inline : DeviceHost.Threaded;

    [Theory, MemberData(nameof(Modes))]
    public void Packets_sent_on_one_vc_arrive_on_the_vc_bound_to_their_channel_byte_identical_and_each_completes_once(string mode)
    {
        using var host = new LegacyTestClient(Options(mode));
        var a = host.OpenVc(new ChannelBinding(3, 4), "a");
        var b = host.OpenVc(new ChannelBinding(4, 3), "b");
        var frames = DeviceHost.Frames(6, 10);
        host.Send(a, frames, buffersPerPacket: 3);
        Wait.Until(() => host.CompletedCount == 10 && host.ReceivedCount == 10, "10 packets to complete and arrive");
        Assert.Equal(10, host.CompletedWith(NdisStatus.Success));
        Assert.All(host.Received, r => Assert.Equal("b", r.Vc));
        Assert.Equal(frames, host.Received.Select(r => r.Bytes));
        host.CloseVc(a);
        host.CloseVc(b);
        Assert.Equal(0, host.OutstandingPoolObjects);
        Assert.Equal(0, host.Miniport.OutstandingPoolObjects);
        Assert.Equal(0, host.Miniport.Halt());
        Assert.Equal(0, host.Handle.Verifier.FindingCount);
    }

    [Fact]
    public void Receives_held_by_the_client_leave_few_posted_buffers_and_later_packets_carry_resources()
    {
        using var host = new LegacyTestClient(DeviceHost.Inline with { ReceiveRingSize = 32 }, options: new NicMiniportOptions { IntegratedCallManager = false, WatchdogInterval = TimeSpan.Zero, ReceiveLowWater = 4 });
        host.HoldReceives = true;
        var vc = host.OpenVc(ChannelBinding.Both(5));
        host.Send(vc, DeviceHost.Frames(7, 40));
        Wait.Until(() => host.ReceivedCount == 40, "40 packets");
        Assert.Equal(40 - 28, host.Received.Count(r => r.Resources));
        Assert.All(host.Received.Take(28), r => Assert.False(r.Resources));
        Assert.Equal(28, host.Miniport.ReceivesHeldByProtocols);
        // Deactivation waits for the held packets.
        Assert.Equal(NdisStatus.Pending, Ndis5.CmDeactivateVc(vc));
        Assert.Equal(LegacyVcState.Deactivating, vc.State);
        host.ReturnHeld();
        Wait.Until(() => vc.State == LegacyVcState.Deactivated, "the deactivation to complete once every packet is home");
        Assert.Equal(NdisStatus.Success, Ndis5.CoDeleteVc(vc));
        Assert.Equal(0, host.Miniport.OutstandingPoolObjects);
        Assert.Equal(0, host.Miniport.Halt());
        Assert.Equal(0, host.Handle.Verifier.FindingCount);
    }

    [Fact]
    public void Cancelling_completes_the_queued_packets_with_that_cancel_id_with_send_aborted()
    {
        var clock = new CoNdis.Hardware.Nic.VirtualDeviceClock();
        using var host = new LegacyTestClient(DeviceHost.Inline with { TransmitRingSize = 16, ModerationPackets = 1000, ModerationTime = TimeSpan.FromMilliseconds(1) },
            clock: clock);
        var vc = host.OpenVc(ChannelBinding.Both(9));
        host.Send(vc, DeviceHost.Frames(64, 16, 64));
        host.Send(vc, DeviceHost.Frames(65, 5, 64), cancelId: 3);
        Ndis5.CancelSendPackets(host.Binding, 3);
        Assert.Equal(5, host.CompletedWith(NdisStatus.SendAborted));
        for (int i = 0; i < 20 && host.CompletedCount < 21; i++)
            clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(16, host.CompletedWith(NdisStatus.Success));
        host.CloseVc(vc);
        Assert.Equal(0, host.Miniport.Halt());
        Assert.Equal(0, host.Handle.Verifier.FindingCount);
    }

    /// <summary>An Ethernet + IPv4 + UDP frame with both checksums zero.</summary>
    private static byte[] UdpFrame(int payload)
    {
        var frame = new byte[14 + 20 + 8 + payload];
        frame[12] = 0x08;
        frame[13] = 0x00;
        frame[14] = 0x45;
        int total = 20 + 8 + payload;
        frame[16] = (byte)(total >> 8);
        frame[17] = (byte)total;
        frame[22] = 64;
        frame[23] = 17;
        new byte[] { 10, 0, 0, 1, 10, 0, 0, 2 }.CopyTo(frame, 26);
        frame[34] = 0x30;
        frame[35] = 0x39;
        frame[36] = 0x00;
        frame[37] = 0x35;
        frame[38] = (byte)((8 + payload) >> 8);
        frame[39] = (byte)(8 + payload);
        for (int i = 0; i < payload; i++)
            frame[42 + i] = (byte)(i * 7);
        return frame;
    }

    [Fact]
    public void The_5x_miniport_inserts_checksums_and_the_8021q_tag_from_the_per_packet_info_and_reports_both_on_receive()
    {
        using var host = new LegacyTestClient(DeviceHost.Inline with { StripVlanTags = true });
        var vc = host.OpenVc(ChannelBinding.Both(9));
        var frame = UdpFrame(100);
        var request = new NdisTcpIpChecksumPacketInfo { NdisPacketChecksumV4 = true, NdisPacketIpChecksum = true, NdisPacketUdpChecksum = true };
        var tag = new Ieee8021QInfo { VlanId = 42, UserPriority = 5 };
        host.Send(vc, [frame], buffersPerPacket: 3, checksum: request.Value, ieee8021Q: tag.Value);
        Wait.Until(() => host.ReceivedCount == 1, "the packet back");
        var received = host.Received[0];
        var expected = (byte[])frame.Clone();
        var h = Nic.IndependentChecksums.Find(frame)!;
        ushort ip = Nic.IndependentChecksums.Ipv4Header(frame, h), udp = Nic.IndependentChecksums.Transport(frame, h);
        expected[24] = (byte)(ip >> 8);
        expected[25] = (byte)ip;
        expected[40] = (byte)(udp >> 8);
        expected[41] = (byte)udp;
        Assert.Equal(expected, received.Bytes);                // the tag went on the wire and was stripped again
        Assert.Equal(tag, received.Tag);
        Assert.True(received.Checksum.NdisPacketIpChecksumSucceeded);
        Assert.True(received.Checksum.NdisPacketUdpChecksumSucceeded);
        Assert.False(received.Checksum.NdisPacketIpChecksumFailed || received.Checksum.NdisPacketUdpChecksumFailed);
        host.CloseVc(vc);
        Assert.Equal(0, host.Miniport.Halt());
        Assert.Equal(0, host.Handle.Verifier.FindingCount);
    }

    [Fact]
    public void The_5x_miniport_answers_the_statistics_oids_through_ndis_co_request_and_indicates_link_changes()
    {
        var link = new CoNdis.Hardware.Links.LoopbackLink();
        using var host = new LegacyTestClient(DeviceHost.Inline, link);
        var vc = host.OpenVc(ChannelBinding.Both(9));
        var frames = DeviceHost.Frames(66, 7);
        host.Send(vc, frames);
        Wait.Until(() => host.ReceivedCount == 7, "7 packets");
        ulong Query(uint oid)
        {
            var request = new NdisOidRequest(NdisRequestType.QueryInformation, oid, 8);
            Assert.Equal(NdisStatus.Success, Ndis5.CoRequest(host.Binding, null, null, null, request));
            return request.ReadUInt64();
        }
        Assert.Equal(7UL, Query(CoNdis.Hardware.Nic.NicOid.GenXmitOk));
        Assert.Equal(7UL, Query(CoNdis.Hardware.Nic.NicOid.GenRcvOk));
        Assert.Equal((ulong)frames.Sum(f => f.Length), Query(CoNdis.Hardware.Nic.NicOid.GenBytesXmit));
        Assert.Equal(0UL, Query(CoNdis.Hardware.Nic.NicOid.GenRcvNoBuffer));
        link.SetLinkState(false);
        host.Nic.Service();
        link.SetLinkState(true);
        host.Nic.Service();
        Assert.Equal([(NdisStatus)NdisStatusIndication.MediaDisconnect, (NdisStatus)NdisStatusIndication.MediaConnect], host.Statuses);
        host.CloseVc(vc);
        Assert.Equal(0, host.Miniport.Halt());
        Assert.Equal(0, host.Handle.Verifier.FindingCount);
    }

    [Fact]
    public void As_an_mcm_on_a_direct_binding_without_ndis_call_control_miniport_initialize_fails_with_failure()
    {
        // NdisMCmRegisterAddressFamily needs NDIS's call control, which a direct 5.x binding does not have.
        var failure = Assert.Throws<InvalidOperationException>(() =>
            new LegacyTestClient(options: new NicMiniportOptions { IntegratedCallManager = true, WatchdogInterval = TimeSpan.Zero }));
        Assert.Contains("NDIS_STATUS_FAILURE", failure.Message, StringComparison.Ordinal);
    }
}
