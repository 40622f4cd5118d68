using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using Xunit;

namespace CoNdis.Hardware.Tests.Miniports;

/// <summary>
/// One test per fault kind under load: every NBL sent comes back exactly once (sent = succeeded + failed), the
/// failures carry the status NDIS uses for that fault (docs/model-choices.md), and every pool is full again.
/// </summary>
public sealed class FaultInjectionTests
{
    private const int Batches = 100;
    private const int PerBatch = 20;
    private const int Total = Batches * PerBatch;

    /// <summary>Inline NIC over a fault injector on loopback, virtual clock, a permanent VC on channel 9.</summary>
    private static (DeviceHost Host, FaultInjectorLink Faults, VirtualDeviceClock Clock, VirtualConnection Vc) LinkRig(int seed)
    {
        var clock = new VirtualDeviceClock();
        var faults = new FaultInjectorLink(new LoopbackLink(), seed, clock);
        var host = new DeviceHost(faults, DeviceHost.Inline, clock: clock);
        host.Client.RecordFrames = false;
        return (host, faults, clock, host.OfferPermanentVc(ChannelBinding.Both(9)));
    }

    private static void Load(DeviceHost host, VirtualConnection vc, Action<int>? between = null, bool record = false)
    {
        host.Client.RecordFrames = record;
        for (int batch = 0; batch < Batches; batch++)
        {
            host.Client.Send(vc, DeviceHost.Frames(batch, PerBatch, 64));
            between?.Invoke(batch);
        }
    }

    private static void Finish(DeviceHost host, VirtualConnection vc, params NdisStatus[] allowedFailures)
    {
        Wait.Until(() => host.Client.CompletedCount == Total, $"all {Total} sends to complete", 30);
        Assert.Equal(Total, host.Miniport.Counters.Sends);
        Assert.Equal(Total, host.Client.CompletedWith(NdisStatus.Success) + host.Client.Failures.Values.Sum());
        Assert.Equal(host.Miniport.Counters.SendsSucceeded, host.Client.CompletedWith(NdisStatus.Success));
        Assert.Equal(host.Miniport.Counters.SendsFailed, host.Client.Failures.Values.Sum());
        foreach (var failure in host.Client.Failures.Keys)
            Assert.Contains(failure, allowedFailures);
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void Dropped_frames_are_lost_on_the_wire_while_their_sends_succeed_and_nothing_leaks()
    {
        var (host, faults, _, vc) = LinkRig(1);
        using var _ = host;
        faults.DropProbability = 0.1;
        Load(host, vc);
        Assert.InRange(faults.Dropped, 100, 300);
        Assert.Equal(Total - faults.Dropped, host.Client.ReceivedCount);
        Finish(host, vc);
        Assert.Equal(Total, host.Client.CompletedWith(NdisStatus.Success));
    }

    [Fact]
    public void Corrupted_frames_fail_their_fcs_and_the_receiving_nic_discards_and_counts_them()
    {
        var (host, faults, _, vc) = LinkRig(2);
        using var _ = host;
        faults.CorruptProbability = 0.1;
        Load(host, vc);
        Assert.InRange(faults.Corrupted, 100, 300);
        Assert.Equal(faults.Corrupted, host.Nic.Statistics.ReceiveFcsErrors);
        Assert.Equal(Total - faults.Corrupted, host.Client.ReceivedCount);
        var request = new NdisOidRequest(NdisRequestType.QueryInformation, NicOid.GenRcvError, 8);
        Assert.Equal(NdisStatus.Success, Ndis.CoOidRequest(host.Client.Binding, null, request));
        Assert.Equal((ulong)faults.Corrupted, request.ReadUInt64());
        Finish(host, vc);
    }

    [Fact]
    public void Delayed_frames_arrive_once_their_delay_passed_on_the_device_clock()
    {
        var (host, faults, clock, vc) = LinkRig(3);
        using var _ = host;
        faults.DelayProbability = 0.2;
        faults.Delay = TimeSpan.FromMicroseconds(500);
        Load(host, vc);
        long delayed = faults.Delayed;
        Assert.InRange(delayed, 200, 600);
        Assert.Equal(Total - faults.InFlight, host.Client.ReceivedCount);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        faults.ReleaseDue(force: false);
        host.Nic.Service();
        Assert.Equal(0, faults.InFlight);
        Assert.Equal(Total, host.Client.ReceivedCount);
        Finish(host, vc);
    }

    [Fact]
    public void Reordered_frames_all_arrive_with_neighbours_swapped()
    {
        var (host, faults, _, vc) = LinkRig(4);
        using var _ = host;
        faults.ReorderProbability = 0.05;
        Load(host, vc, record: true);
        faults.ReleaseDue(force: true);
        host.Nic.Service();
        Assert.InRange(faults.Reordered, 50, 200);
        Assert.Equal(Total, host.Client.ReceivedCount);
        var sent = Enumerable.Range(0, Batches).SelectMany(b => DeviceHost.Frames(b, PerBatch, 64)).ToList();
        var received = host.Client.Received.Select(r => r.Bytes).ToList();
        int outOfPlace = sent.Where((frame, i) => !frame.AsSpan().SequenceEqual(received[i])).Count();
        Assert.True(outOfPlace >= faults.Reordered, $"{outOfPlace} frames out of place for {faults.Reordered} swaps");
        Assert.Equal(sent.Select(Convert.ToHexString).Order(), received.Select(Convert.ToHexString).Order());
        Finish(host, vc);
    }

    [Fact]
    public void While_the_link_is_down_sends_complete_with_media_disconnected_and_traffic_resumes_when_it_comes_back()
    {
        var (host, faults, _, vc) = LinkRig(5);
        using var _ = host;
        Load(host, vc, batch =>
        {
            if (batch == 30)
                faults.LinkDown();
            if (batch == 60)
                faults.LinkUp();
        });
        Assert.True(host.Client.CompletedWith(NdisStatus.MediaDisconnected) >= 29 * PerBatch);
        Assert.Contains(host.Client.StatusIndications, s => s.StatusCode == NdisStatusIndication.MediaDisconnect);
        Assert.Contains(host.Client.StatusIndications, s => s.StatusCode == NdisStatusIndication.MediaConnect);
        Assert.Equal(host.Client.CompletedWith(NdisStatus.Success), host.Client.ReceivedCount);
        Finish(host, vc, NdisStatus.MediaDisconnected);
    }

    [Fact]
    public void A_hung_device_is_found_by_the_watchdog_and_reset_and_every_send_it_held_completes_with_reset_in_progress()
    {
        using var host = new DeviceHost(new LoopbackLink(), DeviceHost.Threaded,
            new NicMiniportOptions { WatchdogInterval = TimeSpan.FromMilliseconds(10) });
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        Load(host, vc, batch =>
        {
            if (batch == 39)
                host.Nic.InjectHang(); // batch 40 then sits on the ring: the watchdog sees descriptors held without progress
            if (batch == 40)
                Wait.Until(() => host.Miniport.Counters.Resets >= 1, "the watchdog to reset the hung device");
        });
        Assert.True(host.Miniport.Counters.HangsDetected >= 1);
        Assert.True(host.Nic.Statistics.Resets >= 1);
        Wait.Until(() => host.Client.CompletedCount == Total, "every send");
        Assert.True(host.Client.CompletedWith(NdisStatus.ResetInProgress) > 0, "the sends the hung device held fail");
        Finish(host, vc, NdisStatus.ResetInProgress);
    }

    [Fact]
    public void A_device_reset_in_the_middle_of_transfers_fails_what_it_held_with_reset_in_progress_and_the_rest_goes_through()
    {
        using var host = new DeviceHost(new LoopbackLink(), DeviceHost.Threaded);
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        var resetter = new Thread(() =>
        {
            for (int i = 0; i < 5; i++)
            {
                Thread.Sleep(2);
                host.Nic.InjectReset();
            }
        });
        resetter.Start();
        Load(host, vc);
        Assert.True(resetter.Join(TimeSpan.FromSeconds(10)));
        Wait.Until(() => host.Client.CompletedCount == Total, "every send");
        Assert.True(host.Miniport.Counters.Resets >= 1);
        // A frame that left before a reset but was still in the receiving FIFO is lost with it (counted by the NIC).
        Wait.Until(() => host.Client.ReceivedCount + host.Nic.Statistics.ReceiveFlushed == host.Client.CompletedWith(NdisStatus.Success),
            "every frame that went out to arrive or be counted as flushed");
        Finish(host, vc, NdisStatus.ResetInProgress);
    }

    [Fact]
    public void Exactly_the_sends_a_device_held_when_it_reset_fail_with_reset_in_progress_and_sends_after_it_succeed()
    {
        using var host = new DeviceHost(new LoopbackLink());
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        host.Client.Send(vc, DeviceHost.Frames(1, 5, 64));
        host.Nic.InjectHang();
        host.Client.Send(vc, DeviceHost.Frames(2, 20, 64)); // on the ring, never processed
        Assert.Equal(5, host.Client.CompletedCount);
        host.Nic.InjectReset();
        Assert.Equal(20, host.Client.CompletedWith(NdisStatus.ResetInProgress));
        Assert.Contains(host.Client.StatusIndications, s => s.StatusCode == 0x40010004); // NDIS_STATUS_RESET_START
        Assert.Contains(host.Client.StatusIndications, s => s.StatusCode == 0x40010005); // NDIS_STATUS_RESET_END
        host.Client.Send(vc, DeviceHost.Frames(3, 5, 64));
        Assert.Equal(10, host.Client.CompletedWith(NdisStatus.Success));
        Assert.Equal(10, host.Client.ReceivedCount);
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void The_5x_miniport_fails_what_a_reset_device_held_with_reset_in_progress_and_its_pools_come_home()
    {
        using var host = new LegacyTestClient(DeviceHost.Threaded);
        var vc = host.OpenVc(ChannelBinding.Both(9));
        for (int batch = 0; batch < Batches; batch++)
        {
            host.Send(vc, DeviceHost.Frames(batch, PerBatch, 64));
            if (batch % 25 == 10)
                host.Nic.InjectReset();
        }
        Wait.Until(() => host.CompletedCount == Total, "every packet");
        Assert.Equal(Total, host.CompletedWith(NdisStatus.Success) + host.CompletedWith(NdisStatus.ResetInProgress));
        Assert.True(host.Miniport.Counters.Resets >= 1);
        Wait.Until(() => host.ReceivedCount + host.Nic.Statistics.ReceiveFlushed == host.CompletedWith(NdisStatus.Success),
            "every packet that went out to arrive or be counted as flushed");
        host.CloseVc(vc);
        Assert.Equal(0, host.OutstandingPoolObjects);
        Assert.Equal(0, host.Miniport.Halt());
        Assert.Equal(0, host.Handle.Verifier.FindingCount);
    }
}
