using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.TestDrivers;

namespace CoNdis.NetBufferCore.Tests.CoNdis;

/// <summary>One test per data-path rule of the verifier: each proves the rule fires, naming the rule and the objects.</summary>
public sealed class RuntimeVerifierTests
{
    private static VerifierRule RuleOf(Action action) => Assert.Throws<NdisVerifierException>(action).Rule;

    [Fact]
    public void Completing_an_nbl_twice_is_a_double_completion()
    {
        var rig = new ScriptedRig();
        var nbl = rig.Nbl();
        Ndis.CoSendNetBufferLists(rig.Vc, nbl, SendFlags.None);
        Ndis.MCoSendNetBufferListsComplete(rig.Vc, nbl, SendCompleteFlags.None);
        var finding = Assert.Throws<NdisVerifierException>(() => Ndis.MCoSendNetBufferListsComplete(rig.Vc, nbl, SendCompleteFlags.None));
        Assert.Equal(VerifierRule.DoubleCompletion, finding.Rule);
        Assert.Contains(nbl.ToString(), finding.Finding.Objects, StringComparison.Ordinal);
        Assert.Single(rig.Client.Completed);
    }

    [Fact]
    public void Completing_an_nbl_that_was_never_sent_is_a_finding()
    {
        var rig = new ScriptedRig();
        Assert.Equal(VerifierRule.CompletionOfUnsentNetBufferList, RuleOf(() => Ndis.MCoSendNetBufferListsComplete(rig.Vc, rig.Nbl(), SendCompleteFlags.None)));
        Assert.Empty(rig.Client.Completed);
    }

    [Fact]
    public void Returning_an_nbl_that_was_never_indicated_is_a_finding()
    {
        var rig = new ScriptedRig();
        Assert.Equal(VerifierRule.ReturnOfUnindicatedNetBufferList, RuleOf(() => Ndis.ReturnNetBufferLists(rig.Binding, rig.Nbl(), ReturnFlags.None)));
        Assert.Empty(rig.Miniport.Returned);
    }

    [Fact]
    public void Returning_an_nbl_twice_is_a_finding_and_the_miniport_gets_it_once()
    {
        var rig = new ScriptedRig();
        var nbl = rig.Nbl();
        Ndis.MCoIndicateReceiveNetBufferLists(rig.Vc, nbl, 1, ReceiveFlags.None);
        Ndis.ReturnNetBufferLists(rig.Binding, nbl, ReturnFlags.None);
        Assert.Equal(VerifierRule.ReturnOfUnindicatedNetBufferList, RuleOf(() => Ndis.ReturnNetBufferLists(rig.Binding, nbl, ReturnFlags.None)));
        Assert.Single(rig.Miniport.Returned);
    }

    [Fact]
    public void A_receive_nbl_with_more_than_one_nb_is_a_finding_unless_the_vc_opts_out()
    {
        var rig = new ScriptedRig();
        var nbl = rig.Nbl();
        var pool = new Pools.NetBufferPool(rig.Binding.Handle, new Pools.NetBufferPoolParameters { DataSize = 64 });
        nbl.FirstNetBuffer!.Next = pool.AllocateNetBufferMdlAndData();
        Assert.Equal(VerifierRule.MultipleNetBuffersInReceive, RuleOf(() => Ndis.MCoIndicateReceiveNetBufferLists(rig.Vc, nbl, 1, ReceiveFlags.Resources)));

        var lenient = new ScriptedRig();
        lenient.Vc.AllowMultipleNetBuffersPerReceive = true;
        var two = lenient.Nbl();
        two.FirstNetBuffer!.Next = new Pools.NetBufferPool(lenient.Binding.Handle, new Pools.NetBufferPoolParameters { DataSize = 64 }).AllocateNetBufferMdlAndData();
        Ndis.MCoIndicateReceiveNetBufferLists(lenient.Vc, two, 1, ReceiveFlags.Resources);
        Assert.Equal(0, lenient.Verifier.FindingCount);
    }

    [Fact]
    public void A_send_after_close_is_completed_with_closing_and_reported()
    {
        var rig = new ScriptedRig();
        Assert.Equal(NdisStatus.Success, rig.Runtime.ClCloseCall(rig.Vc, null, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(VcState.Created, rig.Vc.State); // the close completed; no new call was made on the VC
        var nbl = rig.Nbl();
        Assert.Equal(VerifierRule.SendAfterClose, RuleOf(() => Ndis.CoSendNetBufferLists(rig.Vc, nbl, SendFlags.None)));
        Assert.Same(nbl, Assert.Single(rig.Client.Completed)); // completed before the finding: nothing lost
        Assert.Equal(NdisStatus.Closing, nbl.Status);
        Assert.Empty(rig.Miniport.Sent);
    }

    [Fact]
    public void A_send_refused_while_the_call_closes_is_not_the_miniports_and_holds_the_deactivation_until_its_sender_has_it()
    {
        var rig = new ScriptedRig(VerifierMode.Lenient);
        rig.Miniport.DeactivateAnswer = NdisStatus.Pending;
        rig.Runtime.ClCloseCall(rig.Vc, null, ReadOnlyMemory<byte>.Empty);
        (int Outstanding, int Refusing) seen = (-1, -1);
        VcState stateWhileHeld = VcState.Deleted;
        rig.Client.WhileCompleting = _ =>
        {
            seen = (rig.Vc.OutstandingSends, rig.Vc.RefusingSends);
            Ndis.MCoDeactivateVcComplete(NdisStatus.Success, rig.Vc); // the miniport is done: nothing of its own is out
            stateWhileHeld = rig.Vc.State;
        };
        Ndis.CoSendNetBufferLists(rig.Vc, rig.Nbl(), SendFlags.None);
        Assert.Equal((0, 1), seen); // a miniport's drain never waits for it
        Assert.Equal(VcState.Closing, stateWhileHeld); // the close does not overtake the refused NBL
        Assert.Equal(VcState.Created, rig.Vc.State); // and completes once the sender has it back
        Assert.Equal(0, rig.Vc.RefusingSends);
        Assert.Equal(0, rig.Verifier.CountOf(VerifierRule.DeactivationWithTransfersOutstanding));
    }

    [Fact]
    public void A_new_call_on_the_vc_makes_a_send_before_it_connects_a_send_on_an_unconnected_vc_again()
    {
        var rig = new ScriptedRig(VerifierMode.Lenient);
        rig.Runtime.ClCloseCall(rig.Vc, null, ReadOnlyMemory<byte>.Empty);
        rig.Miniport.ActivateAnswer = NdisStatus.Pending; // the new call waits for its activation
        Assert.Equal(NdisStatus.Pending, rig.Runtime.ClMakeCall(rig.Vc, ConformanceRig.CallParameters, null, out _));
        Assert.Equal(VcState.Calling, rig.Vc.State);
        var nbl = rig.Nbl();
        Ndis.CoSendNetBufferLists(rig.Vc, nbl, SendFlags.None);
        Ndis.MCoActivateVcComplete(NdisStatus.Success, rig.Vc, ConformanceRig.CallParameters);
        Assert.Equal(VcState.Connected, rig.Vc.State);
        Assert.Same(nbl, Assert.Single(rig.Client.Completed));
        Assert.Equal(NdisStatus.VcNotActivated, nbl.Status);
        Assert.Equal(1, rig.Verifier.CountOf(VerifierRule.SendOnUnconnectedVc));
        Assert.Equal(0, rig.Verifier.CountOf(VerifierRule.SendAfterClose));
    }

    [Fact]
    public void A_send_while_the_call_is_closing_is_a_send_after_close()
    {
        var rig = new ScriptedRig();
        rig.Miniport.DeactivateAnswer = NdisStatus.Pending;
        rig.Runtime.ClCloseCall(rig.Vc, null, ReadOnlyMemory<byte>.Empty);
        var nbl = rig.Nbl();
        Assert.Equal(VerifierRule.SendAfterClose, RuleOf(() => Ndis.CoSendNetBufferLists(rig.Vc, nbl, SendFlags.None)));
        Assert.Equal(NdisStatus.Closing, nbl.Status);
        Assert.Empty(rig.Miniport.Sent);
    }

    [Fact]
    public void A_send_before_the_call_is_connected_is_refused()
    {
        var rig = new ScriptedRig(connect: false);
        var nbl = rig.Nbl();
        Assert.Equal(VerifierRule.SendOnUnconnectedVc, RuleOf(() => Ndis.CoSendNetBufferLists(rig.Vc, nbl, SendFlags.None)));
        Assert.Equal(NdisStatus.VcNotActivated, nbl.Status);
    }

    [Fact]
    public void A_miniport_writing_to_an_nbl_after_completing_it_is_caught_at_the_next_send()
    {
        var rig = new ScriptedRig();
        var nbl = rig.Nbl();
        Ndis.CoSendNetBufferLists(rig.Vc, nbl, SendFlags.None);
        Ndis.MCoSendNetBufferListsComplete(rig.Vc, nbl, SendCompleteFlags.None);
        nbl.MiniportReserved[0] = "written after completion";
        Assert.Equal(VerifierRule.TouchAfterCompletion, RuleOf(() => Ndis.CoSendNetBufferLists(rig.Vc, nbl, SendFlags.None)));
    }

    [Fact]
    public void Sending_an_nbl_again_before_its_completion_is_a_finding()
    {
        var rig = new ScriptedRig();
        var nbl = rig.Nbl();
        Ndis.CoSendNetBufferLists(rig.Vc, nbl, SendFlags.None);
        Assert.Equal(VerifierRule.TouchAfterCompletion, RuleOf(() => Ndis.CoSendNetBufferLists(rig.Vc, nbl, SendFlags.None)));
    }

    [Fact]
    public void A_protocol_writing_to_a_returned_nbl_is_caught_at_the_next_indication()
    {
        var rig = new ScriptedRig();
        var nbl = rig.Nbl();
        Ndis.MCoIndicateReceiveNetBufferLists(rig.Vc, nbl, 1, ReceiveFlags.None);
        Ndis.ReturnNetBufferLists(rig.Binding, nbl, ReturnFlags.None);
        nbl.ProtocolReserved[0] = "written after return";
        Assert.Equal(VerifierRule.TouchAfterCompletion, RuleOf(() => Ndis.MCoIndicateReceiveNetBufferLists(rig.Vc, nbl, 1, ReceiveFlags.None)));
    }

    [Fact]
    public void A_miniport_changing_the_nb_list_before_completion_is_a_finding()
    {
        var rig = new ScriptedRig();
        var nbl = rig.Nbl();
        Ndis.CoSendNetBufferLists(rig.Vc, nbl, SendFlags.None);
        nbl.FirstNetBuffer = null;
        Assert.Equal(VerifierRule.NetBufferListAltered, RuleOf(() => Ndis.MCoSendNetBufferListsComplete(rig.Vc, nbl, SendCompleteFlags.None)));
    }

    [Fact]
    public void A_wrong_number_of_nbls_in_an_indication_is_a_finding()
    {
        var rig = new ScriptedRig();
        var first = rig.Nbl();
        first.Next = rig.Nbl();
        Assert.Equal(VerifierRule.IndicationCountMismatch, RuleOf(() => Ndis.MCoIndicateReceiveNetBufferLists(rig.Vc, first, 3, ReceiveFlags.Resources)));
    }

    [Fact]
    public void An_indication_on_a_vc_without_a_connected_call_is_refused_and_handed_back()
    {
        var rig = new ScriptedRig(connect: false);
        var nbl = rig.Nbl();
        Assert.Equal(VerifierRule.IndicationOnInactiveVc, RuleOf(() => Ndis.MCoIndicateReceiveNetBufferLists(rig.Vc, nbl, 1, ReceiveFlags.None)));
        Assert.Empty(rig.Client.Received);
        Assert.Same(nbl, Assert.Single(rig.Miniport.Returned));
    }

    [Fact]
    public void A_deactivation_completed_with_receives_outstanding_is_a_finding_and_is_held_until_they_drain()
    {
        var rig = new ScriptedRig(VerifierMode.Lenient);
        var nbl = rig.Nbl();
        Ndis.MCoIndicateReceiveNetBufferLists(rig.Vc, nbl, 1, ReceiveFlags.None);
        Assert.Equal(NdisStatus.Pending, rig.Runtime.ClCloseCall(rig.Vc, null, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(1, rig.Verifier.CountOf(VerifierRule.DeactivationWithTransfersOutstanding));
        Assert.Equal(ActivationState.Deactivating, rig.Vc.Activation);
        Assert.Equal(VcState.Closing, rig.Vc.State);
        Ndis.ReturnNetBufferLists(rig.Binding, nbl, ReturnFlags.None);
        Assert.Equal(ActivationState.Inactive, rig.Vc.Activation);
        Assert.Equal(VcState.Created, rig.Vc.State); // the close completed only once the receive was home
    }

    [Fact]
    public void Deleting_a_vc_with_transfers_outstanding_is_a_leak()
    {
        var rig = new ScriptedRig(connect: false);
        Interlocked.Increment(ref rig.Vc.OutstandingReceivesField); // what a lost return would leave behind
        Assert.Equal(VerifierRule.LeakAtVcDelete, RuleOf(() => Ndis.CoDeleteVc(rig.Vc)));
    }

    [Fact]
    public void Findings_are_logged_and_counted_in_lenient_mode()
    {
        var rig = new ScriptedRig(VerifierMode.Lenient);
        var nbl = rig.Nbl();
        Ndis.MCoSendNetBufferListsComplete(rig.Vc, nbl, SendCompleteFlags.None);
        Ndis.ReturnNetBufferLists(rig.Binding, nbl, ReturnFlags.None);
        Assert.Equal(2, rig.Verifier.FindingCount);
        Assert.Equal([VerifierRule.CompletionOfUnsentNetBufferList, VerifierRule.ReturnOfUnindicatedNetBufferList],
            rig.Verifier.RecentFindings.Select(f => f.Rule));
        Assert.All(rig.Verifier.RecentFindings, f => Assert.False(string.IsNullOrEmpty(f.Caller)));
    }
}
