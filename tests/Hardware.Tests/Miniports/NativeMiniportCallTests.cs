using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using Xunit;

namespace CoNdis.Hardware.Tests.Miniports;

/// <summary>The native miniport's integrated call manager: calls connect end to end and tear down from either side.</summary>
public sealed class NativeMiniportCallTests
{
    public static TheoryData<string> Modes => new() { "inline", "device-thread" };

    private static NicOptions Options(string mode) => mode == "inline" ? DeviceHost.Inline : DeviceHost.Threaded;

    [Theory, MemberData(nameof(Modes))]
    public void A_call_to_its_own_sap_over_loopback_connects_and_frames_arrive_on_the_other_vc_byte_identical(string mode)
    {
        using var host = new DeviceHost(new LoopbackLink(), Options(mode));
        var caller = host.Client.Connect(host.Sap);
        var callee = host.Client.LastIncomingVc;
        Assert.NotNull(callee);
        Assert.NotSame(caller, callee);
        Assert.Equal(VcState.Connected, callee!.State);
        var frames = DeviceHost.Frames(1, 8);
        host.Client.Send(caller, frames);
        Wait.Until(() => host.Client.CompletedCount == 8 && host.Client.ReceivedCount == 8, "8 sends to complete and arrive");
        Assert.Equal(8, host.Client.CompletedWith(NdisStatus.Success));
        Assert.All(host.Client.Received, r => Assert.Same(callee, r.Vc));
        Assert.Equal(frames, host.Client.Received.Select(r => r.Bytes));

        host.Client.Close(caller);
        Wait.Until(() => callee.State == VcState.Deleted, "the callee's VC to be closed and deleted by the call manager");
        Assert.True(host.Client.HasEvent("IncomingCloseCall Success"));
        Assert.Equal(0, host.Miniport.ActiveCalls);
        host.AssertClean();
        host.HaltClean();
    }

    [Theory, MemberData(nameof(Modes))]
    public void A_call_over_the_pair_link_reaches_the_other_hosts_sap_and_a_release_there_reaches_the_caller_as_an_incoming_close(string mode)
    {
        var cable = new PairLink();
        using var a = new DeviceHost(cable.A, Options(mode), name: "A", sap: new CoSap(1, new byte[] { 0xA }));
        using var b = new DeviceHost(cable.B, Options(mode), name: "B", sap: new CoSap(1, new byte[] { 0xB }));
        var outgoing = a.Client.Connect(b.Sap);
        var incoming = b.Client.LastIncomingVc!;
        Assert.NotNull(incoming);
        Assert.Null(a.Client.LastIncomingVc);
        // Each side transmits on the channel the other receives on.
        Assert.Equal(NicMiniport.ChannelsOf(outgoing).Transmit, NicMiniport.ChannelsOf(incoming).Receive);
        Assert.Equal(NicMiniport.ChannelsOf(incoming).Transmit, NicMiniport.ChannelsOf(outgoing).Receive);

        var there = DeviceHost.Frames(2, 5);
        var back = DeviceHost.Frames(3, 4);
        a.Client.Send(outgoing, there);
        b.Client.Send(incoming, back);
        Wait.Until(() => b.Client.ReceivedCount == 5 && a.Client.ReceivedCount == 4 && a.Client.CompletedCount == 5 && b.Client.CompletedCount == 4,
            "frames both ways");
        Assert.Equal(there, b.Client.Received.Select(r => r.Bytes));
        Assert.Equal(back, a.Client.Received.Select(r => r.Bytes));
        Assert.All(a.Client.Received, r => Assert.Same(outgoing, r.Vc));

        a.Client.CloseOnIncomingClose = false;
        b.Client.Close(incoming);
        Wait.Until(() => a.Client.HasEvent("IncomingCloseCall"), "A to hear the release");
        Assert.Equal(VcState.IncomingClose, outgoing.State);
        a.Client.Close(outgoing);
        Wait.Until(() => incoming.State == VcState.Deleted && a.Miniport.ActiveCalls == 0 && b.Miniport.ActiveCalls == 0, "both sides to forget the call");
        a.AssertClean();
        b.AssertClean();
        a.HaltClean();
        b.HaltClean();
    }

    [Theory, MemberData(nameof(Modes))]
    public void With_the_stand_alone_call_manager_a_call_to_its_own_sap_connects_and_closes_from_the_callee_side(string mode)
    {
        using var host = new DeviceHost(new LoopbackLink(), Options(mode), new NicMiniportOptions { IntegratedCallManager = false, WatchdogInterval = TimeSpan.Zero });
        var caller = host.Client.Connect(host.Sap);
        var callee = host.Client.LastIncomingVc!;
        var frames = DeviceHost.Frames(5, 6);
        host.Client.Send(caller, frames);
        host.Client.Send(callee, frames);
        Wait.Until(() => host.Client.ReceivedCount == 12 && host.Client.CompletedCount == 12, "frames both ways");
        Assert.Equal(frames, host.Client.Received.Where(r => r.Vc == callee).Select(r => r.Bytes));
        Assert.Equal(frames, host.Client.Received.Where(r => r.Vc == caller).Select(r => r.Bytes));
        Assert.True(host.CallManager!.SignalsSent >= 2 && host.CallManager.SignalsReceived >= 2);

        host.Client.CloseOnIncomingClose = true;
        host.Client.Close(callee);
        Wait.Until(() => caller.State == VcState.Created, "the caller's side to close after its incoming close");
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(caller));
        Wait.Until(() => host.ActiveCalls == 0, "the call manager to forget the call");
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void A_call_to_a_sap_nobody_registered_is_refused_with_invalid_address()
    {
        using var host = new DeviceHost(new LoopbackLink());
        var (vc, status) = host.Client.Call(new CoSap(1, new byte[] { 9, 9 }));
        Assert.Equal(NdisStatus.InvalidAddress, status);
        Assert.Equal(VcState.Created, vc.State);
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        Assert.Equal(0, host.Miniport.ActiveCalls);
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void A_call_the_callee_rejects_fails_with_the_callees_status_and_its_vc_is_deleted()
    {
        using var host = new DeviceHost(new LoopbackLink());
        host.Client.IncomingCallAnswer = NdisStatus.NotAccepted;
        var (vc, status) = host.Client.Call(host.Sap);
        Assert.Equal(NdisStatus.NotAccepted, status); // the callee's answer, carried back as the cause
        Assert.True(host.Client.HasEvent("IncomingCall -> NotAccepted"));
        Assert.True(host.Client.HasEvent("DeleteVc"));
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        Assert.Equal(0, host.Miniport.ActiveCalls);
        host.AssertClean();
        host.HaltClean();
    }

    [Fact]
    public void A_permanent_vc_on_one_channel_hears_its_own_frames_over_loopback()
    {
        using var host = new DeviceHost(new LoopbackLink());
        var vc = host.OfferPermanentVc(ChannelBinding.Both(7));
        Assert.Equal(VcState.Connected, vc.State);
        var frames = DeviceHost.Frames(4, 3);
        host.Client.Send(vc, frames);
        Wait.Until(() => host.Client.ReceivedCount == 3, "the frames to come back");
        Assert.Equal(frames, host.Client.Received.Select(r => r.Bytes));
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the permanent VC to close");
        host.AssertClean();
        host.HaltClean();
    }
}
