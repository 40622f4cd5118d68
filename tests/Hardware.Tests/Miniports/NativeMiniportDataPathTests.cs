using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.TestDrivers;
using Xunit;

namespace CoNdis.Hardware.Tests.Miniports;

/// <summary>The native miniport's data path over the NIC: the rules the conformance suite proves, on the device.</summary>
public sealed class NativeMiniportDataPathTests
{
    [Fact]
    public void An_nbl_of_several_nbs_over_several_mdls_completes_once_after_its_last_nb_and_each_nb_arrives_in_its_own_nbl()
    {
        using var host = new DeviceHost(new LoopbackLink());
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        var frames = DeviceHost.Frames(10, 5, 1500);
        host.Client.SendAsOneNbl(vc, frames, mdlsPerNb: 4);
        Wait.Until(() => host.Client.CompletedCount == 1 && host.Client.ReceivedCount == 5, "one completion and five receives");
        Assert.Equal(1, host.Client.CompletedWith(NdisStatus.Success));
        Assert.Equal(frames, host.Client.Received.Select(r => r.Bytes));
        Assert.Equal(5, host.Miniport.Counters.Indicated);
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void When_held_receives_leave_few_buffers_later_nbls_are_indicated_with_resources_and_the_deactivation_waits_for_the_held_ones()
    {
        using var host = new DeviceHost(new LoopbackLink(), DeviceHost.Inline with { ReceiveRingSize = 32 },
            new NicMiniportOptions { WatchdogInterval = TimeSpan.Zero, ReceiveLowWater = 4 });
        host.Client.HoldReceives = true;
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        host.Client.Send(vc, DeviceHost.Frames(11, 40));
        Wait.Until(() => host.Client.ReceivedCount == 40 && host.Client.CompletedCount == 40, "40 frames");
        Assert.Equal(28, host.Client.Received.Count(r => !r.Resources));
        Assert.Equal(12, host.Client.ResourcesReceivedCount);
        Assert.All(host.Client.Received.Take(28), r => Assert.False(r.Resources));
        Assert.Equal(28, host.Miniport.ReceivesHeldByProtocols);

        host.RemoteClose(vc); // the client closes at once; the close waits for its 28 receives
        Assert.Equal(VcState.Closing, vc.State);
        Assert.Equal(ActivationState.Active, vc.Activation);
        host.Client.ReturnHeld();
        Wait.Until(() => vc.State == VcState.Deleted, "the close to finish once every receive came back");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void Closing_a_call_waits_until_every_send_the_device_holds_has_completed()
    {
        var clock = new VirtualDeviceClock();
        using var host = new DeviceHost(new LoopbackLink(), DeviceHost.Inline with { ModerationPackets = 1000, ModerationTime = TimeSpan.FromMilliseconds(1) },
            clock: clock);
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        host.Client.Send(vc, DeviceHost.Frames(12, 20));
        Assert.Equal(0, host.Client.CompletedCount); // moderation holds the interrupt
        Assert.Equal(20, vc.OutstandingSends);
        host.RemoteClose(vc);
        Assert.Equal(VcState.Closing, vc.State);
        Assert.Equal(ActivationState.Active, vc.Activation);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Wait.Until(() => vc.State == VcState.Deleted, "the close after the completions");
        Assert.Equal(20, host.Client.CompletedWith(NdisStatus.Success));
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void Moderation_interrupts_after_n_completions_or_after_t_whichever_comes_first()
    {
        var clock = new VirtualDeviceClock();
        using var host = new DeviceHost(new LoopbackLink(), DeviceHost.Inline with { ModerationPackets = 8, ModerationTime = TimeSpan.FromMicroseconds(100) },
            clock: clock);
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        long before = host.Nic.Statistics.Interrupts;
        host.Client.Send(vc, DeviceHost.Frames(13, 3));
        Assert.Equal(0, host.Client.CompletedCount);           // 3 sends + 3 receives = 6 events < 8
        Assert.Equal(before, host.Nic.Statistics.Interrupts);
        host.Client.Send(vc, DeviceHost.Frames(14, 1));        // 8 events: interrupt
        Assert.Equal(4, host.Client.CompletedCount);
        Assert.Equal(before + 1, host.Nic.Statistics.Interrupts);
        host.Client.Send(vc, DeviceHost.Frames(15, 1));
        Assert.Equal(4, host.Client.CompletedCount);
        clock.Advance(TimeSpan.FromMicroseconds(99));
        Assert.Equal(4, host.Client.CompletedCount);
        clock.Advance(TimeSpan.FromMicroseconds(1));           // T elapsed
        Assert.Equal(5, host.Client.CompletedCount);
        host.RemoteClose(vc);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Theory]
    [InlineData(TransmitRingFullPolicy.Queue)]
    [InlineData(TransmitRingFullPolicy.CompleteWithResources)]
    public void A_full_transmit_ring_queues_or_completes_with_resources_and_never_drops_a_send(TransmitRingFullPolicy policy)
    {
        var clock = new VirtualDeviceClock();
        using var host = new DeviceHost(new LoopbackLink(),
            DeviceHost.Inline with { TransmitRingSize = 16, ModerationPackets = 1000, ModerationTime = TimeSpan.FromMilliseconds(1) },
            new NicMiniportOptions { WatchdogInterval = TimeSpan.Zero, TransmitRingFull = policy }, clock: clock);
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        host.Client.Send(vc, DeviceHost.Frames(16, 100, 64)); // 16 descriptors, no completion until the timer: the ring is full
        Assert.Equal(16u, host.Nic.TransmitRing.Tail);                                         // every descriptor in use
        long onTheRing = 100 - host.Client.CompletedWith(NdisStatus.Resources);
        if (policy == TransmitRingFullPolicy.CompleteWithResources)
            Assert.InRange(onTheRing, 8, 16);                                                   // the rest completed at once with RESOURCES
        else
            Assert.Equal(0, host.Client.CompletedCount);                                        // queued in order
        for (int i = 0; i < 40 && host.Client.CompletedCount < 100; i++)
            clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(100, host.Client.CompletedCount);
        Assert.Equal(policy == TransmitRingFullPolicy.Queue ? 100 : onTheRing, host.Client.CompletedWith(NdisStatus.Success));
        Assert.Equal(host.Client.CompletedWith(NdisStatus.Success), host.Client.ReceivedCount);
        host.RemoteClose(vc);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void A_frame_of_more_pieces_than_the_dma_engine_takes_is_bounced_into_one_buffer_counted_and_arrives_intact()
    {
        using var host = new DeviceHost(new LoopbackLink(), DeviceHost.Inline with { MaximumScatterGatherElements = 4 });
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        var frames = DeviceHost.Frames(17, 6, 600);
        host.Client.Send(vc, frames[..3], mdlsPerNb: 3);   // 3 pieces: fits
        host.Client.Send(vc, frames[3..], mdlsPerNb: 8);   // 8 pieces: bounced
        Wait.Until(() => host.Client.ReceivedCount == 6, "6 frames");
        Assert.Equal(frames, host.Client.Received.Select(r => r.Bytes));
        Assert.Equal(3, host.Nic.Statistics.BounceCopies);
        Assert.Equal(frames[3..].Sum(f => (long)f.Length), host.Nic.Statistics.BounceBytes);
        Assert.Equal(host.Nic.Options.BounceBuffers, host.Nic.Dma.FreeBounceBuffers);
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void A_frame_longer_than_the_nic_carries_completes_with_invalid_length_and_the_others_go()
    {
        using var host = new DeviceHost(new LoopbackLink(), DeviceHost.Inline with { MaximumFrameSize = 1518 });
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        host.Client.Send(vc, [DeviceHost.Frame(1, 1400), DeviceHost.Frame(2, 1600), DeviceHost.Frame(3, 1518)]);
        Wait.Until(() => host.Client.CompletedCount == 3, "3 completions");
        Assert.Equal(1, host.Client.CompletedWith(NdisStatus.InvalidLength));
        Assert.Equal(2, host.Client.ReceivedCount);
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void Statistics_oids_answer_what_the_nic_and_miniport_counted()
    {
        using var host = new DeviceHost(new LoopbackLink());
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        var frames = DeviceHost.Frames(18, 10);
        host.Client.Send(vc, frames);
        Wait.Until(() => host.Client.ReceivedCount == 10, "10 frames");
        long bytes = frames.Sum(f => (long)f.Length);
        Assert.Equal(10UL, Query(host, NicOid.GenXmitOk, 8));
        Assert.Equal(10UL, Query(host, NicOid.GenRcvOk, 8));
        Assert.Equal(0UL, Query(host, NicOid.GenXmitError, 8));
        Assert.Equal(0UL, Query(host, NicOid.GenRcvError, 4));
        Assert.Equal(0UL, Query(host, NicOid.GenRcvNoBuffer, 4));
        Assert.Equal((ulong)bytes, Query(host, NicOid.GenBytesXmit, 8));
        Assert.Equal((ulong)bytes, Query(host, NicOid.GenBytesRcv, 8));
        Assert.Equal(0UL, Query(host, NdisOid.CoMediaConnectStatus, 4));
        Assert.Equal(100_000_000UL | (100_000_000UL << 32), Query(host, NdisOid.CoLinkSpeed, 8));
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    private static ulong Query(DeviceHost host, uint oid, int length)
    {
        var request = new NdisOidRequest(NdisRequestType.QueryInformation, oid, length);
        Assert.Equal(NdisStatus.Success, Ndis.CoOidRequest(host.Client.Binding, null, request));
        return length == 8 ? request.ReadUInt64() : request.ReadUInt32();
    }

    [Fact]
    public void Unplugging_the_link_tells_the_client_media_disconnect_fails_sends_with_media_disconnected_and_plugging_it_back_restores_them()
    {
        var link = new LoopbackLink();
        using var host = new DeviceHost(link);
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        link.SetLinkState(false);
        host.Nic.Service();
        Assert.Contains(host.Client.StatusIndications, s => s.StatusCode == NdisStatusIndication.MediaDisconnect);
        Assert.False(host.Miniport.MediaConnected);
        host.Client.Send(vc, DeviceHost.Frames(19, 3));
        Wait.Until(() => host.Client.CompletedCount == 3, "3 completions");
        Assert.Equal(3, host.Client.CompletedWith(NdisStatus.MediaDisconnected));
        link.SetLinkState(true);
        host.Nic.Service();
        Assert.Contains(host.Client.StatusIndications, s => s.StatusCode == NdisStatusIndication.MediaConnect);
        host.Client.Send(vc, DeviceHost.Frames(20, 3));
        Wait.Until(() => host.Client.ReceivedCount == 3, "3 frames after the link came back");
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void A_steady_send_receive_return_complete_loop_over_the_inline_loopback_allocates_nothing_per_nbl()
    {
        using var host = new DeviceHost(new LoopbackLink());
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        host.Client.RecordFrames = false;
        var chain = host.Client.PrepareChain(vc, DeviceHost.Frames(21, 32, 64));
        void Loop()
        {
            for (int i = 0; i < 200; i++)
                host.Client.SendPrepared(vc, chain);
        }
        Loop();
        long bytes = Allocations.Minimum(Loop);
        Assert.Equal(0, bytes);
        Assert.Equal(host.Client.CompletedCount, host.Client.ReceivedCount);
        host.Client.ReleasePrepared(chain);
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void Four_threads_sending_while_the_device_thread_completes_and_indicates_lose_nothing_and_complete_each_nbl_once()
    {
        using var host = new DeviceHost(new LoopbackLink(), DeviceHost.Threaded);
        host.Client.RecordFrames = false;
        var vcs = Enumerable.Range(0, 4).Select(i => host.OfferPermanentVc(ChannelBinding.Both(10 + i))).ToArray();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Parallel.For(0, 4, t =>
        {
            for (int batch = 0; batch < 100; batch++)
            {
                host.Client.Send(vcs[t], DeviceHost.Frames(t * 1000 + batch, 10, 64));
                while (host.Client.CompletedCount < (long)(batch - 20) * 10 * 4 / 4 && DateTime.UtcNow < deadline)
                    Thread.Yield();
            }
        });
        Wait.Until(() => host.Client.CompletedCount == 4000 && host.Client.ReceivedCount == 4000, "4000 completions and receives", 30);
        Assert.Equal(4000, host.Client.CompletedWith(NdisStatus.Success));
        Assert.Equal(4000, host.Miniport.Counters.Sends);
        foreach (var vc in vcs)
            host.RemoteClose(vc);
        Wait.Until(() => vcs.All(v => v.State == VcState.Deleted), "the VCs to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void A_rig_can_inject_frames_on_a_vcs_receive_channel_and_they_are_indicated_on_that_vc()
    {
        using var host = new DeviceHost(new LoopbackLink());
        var vc = host.OfferPermanentVc(new ChannelBinding(11, 12));
        Assert.Equal(new ChannelBinding(11, 12), NicMiniport.ChannelsOf(vc));
        var frames = DeviceHost.Frames(60, 4);
        foreach (var frame in frames)
            Assert.True(host.Nic.Receive(new LinkFrame(frame, NicMiniport.ChannelsOf(vc).Receive)));
        host.Nic.Service();
        Assert.Equal(frames, host.Client.Received.Select(r => r.Bytes));
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void Cancelling_completes_the_queued_sends_with_that_cancel_id_with_send_aborted_and_leaves_the_rest()
    {
        var clock = new VirtualDeviceClock();
        using var host = new DeviceHost(new LoopbackLink(),
            DeviceHost.Inline with { TransmitRingSize = 16, ModerationPackets = 1000, ModerationTime = TimeSpan.FromMilliseconds(1) }, clock: clock);
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        host.Client.Send(vc, DeviceHost.Frames(61, 16, 64));                // fills the ring (held: no interrupt yet)
        host.Client.Send(vc, DeviceHost.Frames(62, 10, 64), cancelId: 7);   // queued in the driver
        host.Client.Send(vc, DeviceHost.Frames(63, 10, 64), cancelId: 8);
        Ndis.CancelSendNetBufferLists(host.Client.Binding, 7);
        Assert.Equal(10, host.Client.CompletedWith(NdisStatus.SendAborted));
        for (int i = 0; i < 20 && host.Client.CompletedCount < 36; i++)
            clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(26, host.Client.CompletedWith(NdisStatus.Success));
        Assert.Equal(26, host.Client.ReceivedCount);
        host.RemoteClose(vc);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }
}
