using CoNdis.NetBufferCore.CoNdis;
using CoNdis.TestDrivers;

namespace CoNdis.NetBufferCore.Tests.CoNdis;

public sealed class VcStateMachineTests
{
    public static TheoryData<VcState, VcAction, VcState?> Table()
    {
        var legal = new Dictionary<(VcState, VcAction), VcState>
        {
            [(VcState.Created, VcAction.MakeCall)] = VcState.Calling,
            [(VcState.Created, VcAction.DispatchIncomingCall)] = VcState.Offered,
            [(VcState.Created, VcAction.Delete)] = VcState.Deleted,
            [(VcState.Calling, VcAction.MakeCallSucceeded)] = VcState.Connected,
            [(VcState.Calling, VcAction.MakeCallFailed)] = VcState.Created,
            [(VcState.Offered, VcAction.AcceptIncomingCall)] = VcState.Accepted,
            [(VcState.Offered, VcAction.RejectIncomingCall)] = VcState.Created,
            [(VcState.Offered, VcAction.IncomingCloseCall)] = VcState.IncomingClose,
            [(VcState.Accepted, VcAction.CallConnected)] = VcState.Connected,
            [(VcState.Accepted, VcAction.IncomingCloseCall)] = VcState.IncomingClose,
            [(VcState.Accepted, VcAction.CloseCall)] = VcState.Closing,
            [(VcState.Connected, VcAction.CloseCall)] = VcState.Closing,
            [(VcState.Connected, VcAction.IncomingCloseCall)] = VcState.IncomingClose,
            [(VcState.IncomingClose, VcAction.CloseCall)] = VcState.Closing,
            [(VcState.Closing, VcAction.CloseCallSucceeded)] = VcState.Created,
            [(VcState.Closing, VcAction.CloseCallFailed)] = VcState.Connected,
        };
        var data = new TheoryData<VcState, VcAction, VcState?>();
        foreach (var state in Enum.GetValues<VcState>())
            foreach (var action in Enum.GetValues<VcAction>())
                data.Add(state, action, legal.TryGetValue((state, action), out var to) ? to : null);
        return data;
    }

    [Theory, MemberData(nameof(Table))]
    public void Every_state_and_action_has_exactly_the_documented_outcome(VcState from, VcAction action, VcState? expected)
    {
        Assert.Equal(expected, VirtualConnection.Transition(from, action));
    }

    [Fact]
    public void A_deleted_vc_allows_nothing()
    {
        Assert.All(Enum.GetValues<VcAction>(), action => Assert.Null(VirtualConnection.Transition(VcState.Deleted, action)));
    }

    [Fact]
    public void An_illegal_call_is_refused_with_the_vc_its_state_and_the_states_it_is_allowed_from()
    {
        using var rig = ConformanceRig.NativeInline();
        var vc = rig.MakeCall();
        var error = Assert.Throws<CoNdisStateException>(() => Ndis.ClMakeCall(vc, ConformanceRig.CallParameters, null, out _));
        Assert.Contains(vc.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("Connected", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowed from: Created", error.Message, StringComparison.Ordinal);
        Assert.Equal(VcState.Connected, vc.State); // refused: nothing changed
        rig.CloseCall(vc);
        Assert.Throws<CoNdisStateException>(() => Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty));
        Assert.Throws<CoNdisStateException>(() => Ndis.CmDispatchCallConnected(vc));
        Assert.Throws<CoNdisStateException>(() => Ndis.CmDeactivateVc(vc));
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Fact]
    public void Call_connected_needs_an_active_vc()
    {
        using var rig = ConformanceRig.NativeInline();
        var client = (NativeTestClient)rig.Client;
        // The call manager offers a call on a VC it created on the client's AF but never activated.
        Assert.Equal(NdisStatus.Success, Ndis.CoCreateVc(rig.CallManager.Binding, rig.Af, null, out var vc));
        Assert.Equal(NdisStatus.Success, Ndis.CmDispatchIncomingCall(rig.SapHandle, vc!, ConformanceRig.CallParameters));
        Assert.Equal(VcState.Accepted, vc!.State);
        Assert.Equal(ActivationState.Inactive, vc.Activation);
        var error = Assert.Throws<CoNdisStateException>(() => Ndis.CmDispatchCallConnected(vc));
        Assert.Contains("activate the VC", error.Message, StringComparison.Ordinal);
        Assert.Equal(VcState.Accepted, vc.State); // refused: nothing changed
        Assert.DoesNotContain("CallConnected", client.Events);
    }

    [Fact]
    public void Make_call_complete_with_success_needs_an_active_vc()
    {
        var rig = new ScriptedRig(connect: false);
        var vc = rig.Vc;
        lock (vc.Sync)
            vc.Apply(VcAction.MakeCall, "test");
        Assert.Throws<CoNdisStateException>(() => Ndis.CmMakeCallComplete(NdisStatus.Success, vc, null, null, ConformanceRig.CallParameters));
    }
}
