using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
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
        using var host = new LegacyTestClient(DeviceHost.Inline with { ReceiveRingSize = 32 }, options: new NicMiniportOptions { WatchdogInterval = TimeSpan.Zero, ReceiveLowWater = 4 });
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
}
