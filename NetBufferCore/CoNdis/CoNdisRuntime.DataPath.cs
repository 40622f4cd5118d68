using System.Runtime.CompilerServices;
using CoNdis.NetBufferCore.Verifier;
using Microsoft.Extensions.Logging;

namespace CoNdis.NetBufferCore.CoNdis;

public sealed partial class CoNdisRuntime
{
    /// <summary>
    /// NdisCoSendNetBufferLists: hands a chain to the VC's miniport in order. On a VC that cannot send (call
    /// closing or closed, or not yet connected) every NBL completes at once with a failure status and never
    /// reaches the miniport. The runtime keeps, per NBL, the VC and the sender's SourceHandle (restored at
    /// completion) and counts the sends in flight per batch: no lock and no allocation per NBL.
    /// </summary>
    public void CoSendNetBufferLists(VirtualConnection ndisVcHandle, NetBufferList? netBufferLists, SendFlags sendFlags)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        if (netBufferLists is null)
            return;
        var vc = ndisVcHandle;
        bool verify = Verifier.Enabled;
        int count = 0;
        for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
        {
            if (verify)
                CheckSendable(nbl, vc);
            nbl.CoVc = vc;
            nbl.CoSavedSourceHandle = nbl.SourceHandle;
            nbl.SourceHandle = vc;
            nbl.CoSentFirstNetBuffer = nbl.FirstNetBuffer;
            nbl.CoState = NblCoState.Sent;
            count++;
        }

        // Admission: count first, then look at the gate, so a close that shuts it sees every send that got in.
        Interlocked.Add(ref vc.OutstandingSendsField, count);
        if (!vc.CanSend)
        {
            // Refused: moved from the miniport's count (a miniport's drain must not wait for sends it never gets) to
            // the refusing count, which goes down only once the sender has them back, so a deactivation, and the
            // close behind it, cannot overtake them. The refusing count goes up first: no drain check sees neither.
            Interlocked.Add(ref vc.RefusingSendsField, count);
            Interlocked.Add(ref vc.OutstandingSendsField, -count);
            try
            {
                RefuseSends(vc, netBufferLists, count);
            }
            finally
            {
                if (Interlocked.Add(ref vc.RefusingSendsField, -count) == 0)
                    DrainedTransfers(vc);
            }
            return;
        }
        if (Logger.IsEnabled(LogLevel.Trace))
            CoNdisLog.Send(Logger, vc, count);
        vc.Adapter.Miniport.MiniportCoSendNetBufferLists(vc.MiniportContext, netBufferLists, sendFlags);
    }

    /// <summary>
    /// NdisMCoSendNetBufferListsComplete: gives each NBL back to its sender exactly once, with its status, its NB
    /// list unchanged and its SourceHandle restored. Completing an NBL twice, one never sent, or one of another
    /// VC is a finding; such NBLs are not passed up.
    /// </summary>
    public void MCoSendNetBufferListsComplete(VirtualConnection ndisVcHandle, NetBufferList? netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        var vc = ndisVcHandle;
        bool verify = Verifier.Enabled;
        NetBufferList? head = netBufferLists, previous = null;
        int count = 0;
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            if (nbl.CoState != NblCoState.Sent || !ReferenceEquals(nbl.CoVc, vc))
            {
                // Unlink it so the sender never sees a completion it did not expect.
                if (previous is null)
                    head = next;
                else
                    previous.Next = next;
                nbl.Next = null;
                ReportBadCompletion(nbl, vc);
                nbl = next;
                continue;
            }
            if (verify && !ReferenceEquals(nbl.FirstNetBuffer, nbl.CoSentFirstNetBuffer))
                ReportAltered(nbl, vc);
            nbl.SourceHandle = nbl.CoSavedSourceHandle;
            nbl.CoSavedSourceHandle = null;
            nbl.CoState = NblCoState.Completed;
            if (verify)
                MarkMiniportReserved(nbl);
            previous = nbl;
            nbl = next;
            count++;
        }
        if (head is null)
            return;
        if (Logger.IsEnabled(LogLevel.Trace))
            CoNdisLog.SendComplete(Logger, vc, count);
        // Counted down after the protocol's handler returned: a close (or a miniport's drain check on another thread)
        // that waits for the VC's sends must not complete before the sender has its NBLs back.
        try
        {
            vc.DataProtocol!.ProtocolCoSendNetBufferListsComplete(vc.DataProtocolContext, head, sendCompleteFlags);
        }
        finally
        {
            if (Interlocked.Add(ref vc.OutstandingSendsField, -count) == 0)
                DrainedTransfers(vc);
        }
    }

    /// <summary>
    /// NdisMCoIndicateReceiveNetBufferLists: passes received NBLs (one NB each, as Send and Receive Operations says;
    /// the CoNDIS receive page leaves it to the driver: enforcing it is the model's choice, docs/model-choices.md)
    /// to the VC's
    /// protocol. Without <see cref="ReceiveFlags.Resources"/> each NBL is then owned by the protocol until
    /// <see cref="ReturnNetBufferLists"/>; with it the NBLs are the miniport's again when this call returns.
    /// Indications on a VC that is not active with a connected call are refused: the NBLs go straight back.
    /// </summary>
    public void MCoIndicateReceiveNetBufferLists(VirtualConnection ndisVcHandle, NetBufferList? netBufferLists, int numberOfNetBufferLists, ReceiveFlags coReceiveFlags)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        if (netBufferLists is null)
            return;
        var vc = ndisVcHandle;
        bool verify = Verifier.Enabled;
        bool resources = (coReceiveFlags & ReceiveFlags.Resources) != 0;
        int count = 0;
        for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
        {
            if (verify)
                CheckIndicatable(nbl, vc);
            nbl.CoVc = vc;
            nbl.SourceHandle = vc;
            nbl.CoState = NblCoState.Indicated;
            count++;
        }
        if (verify && count != numberOfNetBufferLists)
            ReportCountMismatch(vc, numberOfNetBufferLists, count);

        if (!resources)
            Interlocked.Add(ref vc.OutstandingReceivesField, count);
        if (!CanIndicate(vc))
        {
            if (!resources)
                Interlocked.Add(ref vc.OutstandingReceivesField, -count);
            RefuseIndication(vc, netBufferLists, count, resources);
            DrainedTransfers(vc);
            return;
        }
        if (Logger.IsEnabled(LogLevel.Trace))
            CoNdisLog.Indicate(Logger, vc, count, coReceiveFlags);
        vc.DataProtocol!.ProtocolCoReceiveNetBufferLists(vc.DataBindingContext, vc.DataProtocolContext, netBufferLists, count, coReceiveFlags);
        if (!resources)
            return;

        // RESOURCES: ownership is back with the miniport now; the protocol had to leave the list as it found it.
        int seen = 0;
        for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
        {
            nbl.CoState = NblCoState.Idle;
            seen++;
        }
        if (verify && seen != count)
            ReportRelinked(vc, seen, count);
    }

    /// <summary>
    /// NdisReturnNetBufferLists: NBLs from any indications on the binding's VCs, in any grouping and order, go
    /// back to their miniports. Returning an NBL that was not indicated (or twice) is a finding and it is not
    /// passed down.
    /// </summary>
    public void ReturnNetBufferLists(CoBinding? ndisBindingHandle, NetBufferList? netBufferLists, ReturnFlags returnFlags)
    {
        _ = ndisBindingHandle;
        bool verify = Verifier.Enabled;
        NetBufferList? head = netBufferLists, previous = null;
        VirtualConnection? runVc = null;
        int runCount = 0, total = 0;
        bool singleAdapter = true;
        CoMiniportAdapter? adapter = null;
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            if (nbl.CoState != NblCoState.Indicated || nbl.CoVc is null)
            {
                if (previous is null)
                    head = next;
                else
                    previous.Next = next;
                nbl.Next = null;
                ReportBadReturn(nbl, ndisBindingHandle);
                nbl = next;
                continue;
            }
            var vc = nbl.CoVc;
            if (!ReferenceEquals(vc, runVc))
            {
                FinishReturnRun(runVc, runCount);
                runVc = vc;
                runCount = 0;
            }
            adapter ??= vc.Adapter;
            singleAdapter &= ReferenceEquals(adapter, vc.Adapter);
            nbl.CoState = NblCoState.Returned;
            if (verify)
                MarkProtocolReserved(nbl);
            runCount++;
            total++;
            previous = nbl;
            nbl = next;
        }
        if (head is null)
        {
            FinishReturnRun(runVc, runCount);
            return;
        }
        // Counted down before the miniport has them: it may finish a pended deactivation inside its return handler.
        FinishReturnRun(runVc, runCount);
        if (Logger.IsEnabled(LogLevel.Trace))
            CoNdisLog.Return(Logger, total);
        if (singleAdapter)
        {
            adapter!.Miniport.MiniportReturnNetBufferLists(adapter.AdapterContext, head, returnFlags);
        }
        else
        {
            while (head is not null)
            {
                var group = head.CoVc!.Adapter;
                NetBufferListChain.Partition(head, group, static (n, a) => ReferenceEquals(n.CoVc!.Adapter, a), out var mine, out head);
                group.Miniport.MiniportReturnNetBufferLists(group.AdapterContext, mine!, returnFlags);
            }
        }
    }

    private void FinishReturnRun(VirtualConnection? vc, int count)
    {
        if (vc is not null && count > 0 && Interlocked.Add(ref vc.OutstandingReceivesField, -count) == 0)
            DrainedTransfers(vc);
    }

    private static bool CanIndicate(VirtualConnection vc) =>
        vc.Activation is ActivationState.Active or ActivationState.Deactivating
        && (vc.State is VcState.Connected or VcState.Closing or VcState.IncomingClose || vc.IsCallManagerOwnVc);

    // The checks below run on every NBL with the verifier on: they only compare, and each finding's message is built
    // in a method of its own, so the hot methods carry no string-formatting state to set up on every call.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckSendable(NetBufferList nbl, VirtualConnection vc)
    {
        nbl.CheckAllocated();
        int state = nbl.CoState;
        if (state is NblCoState.Sent or NblCoState.Indicated
            || (state == NblCoState.Completed && nbl.MiniportReserved.Writes != nbl.CoReservedMark))
            ReportTouchedBeforeSend(nbl, vc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckIndicatable(NetBufferList nbl, VirtualConnection vc)
    {
        nbl.CheckAllocated();
        int state = nbl.CoState;
        if (state == NblCoState.Indicated || (state == NblCoState.Returned && nbl.ProtocolReserved.Writes != nbl.CoReservedMark))
            ReportTouchedBeforeIndication(nbl, vc);
        var nb = nbl.FirstNetBuffer;
        if ((nb is null || nb.Next is not null) && !vc.AllowMultipleNetBuffersPerReceive)
            ReportMultipleNetBuffers(nbl, vc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReportTouchedBeforeSend(NetBufferList nbl, VirtualConnection vc)
    {
        if (nbl.CoState == NblCoState.Sent)
            Verifier.Report(VerifierRule.TouchAfterCompletion, $"{nbl} sent on {vc} while its previous send has not completed", nbl, vc);
        else if (nbl.CoState == NblCoState.Indicated)
            Verifier.Report(VerifierRule.TouchAfterCompletion, $"{nbl} sent on {vc} while it is indicated up and not returned", nbl, vc);
        else
            Verifier.Report(VerifierRule.TouchAfterCompletion, $"MiniportReserved of {nbl} changed after the miniport completed it", nbl, vc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReportTouchedBeforeIndication(NetBufferList nbl, VirtualConnection vc)
    {
        if (nbl.CoState == NblCoState.Indicated)
            Verifier.Report(VerifierRule.TouchAfterCompletion, $"{nbl} indicated on {vc} again before the protocol returned it", nbl, vc);
        else
            Verifier.Report(VerifierRule.TouchAfterCompletion, $"ProtocolReserved of {nbl} changed after the protocol returned it", nbl, vc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReportMultipleNetBuffers(NetBufferList nbl, VirtualConnection vc) =>
        Verifier.Report(VerifierRule.MultipleNetBuffersInReceive,
            $"{nbl} indicated on {vc} with {nbl.NetBufferCount} NET_BUFFERs; a miniport receive NBL carries exactly one", nbl, vc);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReportAltered(NetBufferList nbl, VirtualConnection vc) =>
        Verifier.Report(VerifierRule.NetBufferListAltered, $"the NB list of {nbl} changed between send and completion on {vc}", nbl, vc);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReportCountMismatch(VirtualConnection vc, int numberOfNetBufferLists, int count) =>
        Verifier.Report(VerifierRule.IndicationCountMismatch,
            $"NumberOfNetBufferLists is {numberOfNetBufferLists} but the chain indicated on {vc} holds {count} NBL(s)", vc);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReportRelinked(VirtualConnection vc, int seen, int count) =>
        Verifier.Report(VerifierRule.IndicationCountMismatch,
            $"a RESOURCES indication on {vc} came back with {seen} NBL(s) linked instead of {count}: the protocol must restore the list", vc);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReportBadReturn(NetBufferList nbl, CoBinding? binding) =>
        Verifier.Report(VerifierRule.ReturnOfUnindicatedNetBufferList,
            nbl.CoState == NblCoState.Returned ? $"{nbl} returned twice" : $"{nbl} returned but never indicated", nbl, binding);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReportBadCompletion(NetBufferList nbl, VirtualConnection vc)
    {
        if (nbl.CoState == NblCoState.Completed)
            Verifier.Report(VerifierRule.DoubleCompletion, $"{nbl} completed twice on {vc}", nbl, vc);
        else if (nbl.CoState == NblCoState.Sent)
            Verifier.Report(VerifierRule.CompletionOfUnsentNetBufferList, $"{nbl} was sent on {nbl.CoVc} but completed on {vc}", nbl, vc);
        else
            Verifier.Report(VerifierRule.CompletionOfUnsentNetBufferList, $"{nbl} completed on {vc} but was never sent", nbl, vc);
    }

    /// <summary>
    /// Completes a refused chain at once and reports it. After NdisClCloseCall (while the close runs and after it
    /// completed, until a new call is made on the VC), after a remote close, or on a deleted or deactivating VC the
    /// status is NDIS_STATUS_CLOSING and the rule SendAfterClose ("no NdisCoSendNetBufferLists after
    /// NdisClCloseCall"); on a VC that has not had a call connected yet it is NDIS_STATUS_VC_NOT_ACTIVATED and
    /// SendOnUnconnectedVc.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RefuseSends(VirtualConnection vc, NetBufferList chain, int count)
    {
        var state = vc.State;
        bool closing = vc.CallClosed
            || state is VcState.Closing or VcState.IncomingClose or VcState.Deleted
            || vc.Activation is ActivationState.Deactivating;
        var status = closing ? NdisStatus.Closing : NdisStatus.VcNotActivated;
        for (var nbl = chain; nbl is not null; nbl = nbl.Next)
        {
            nbl.Status = status;
            nbl.SourceHandle = nbl.CoSavedSourceHandle;
            nbl.CoSavedSourceHandle = null;
            nbl.CoState = NblCoState.Completed;
            if (Verifier.Enabled)
                MarkMiniportReserved(nbl);
        }
        CoNdisLog.SendsRefused(Logger, vc, count, status, state);
        // Complete first, then report: in strict mode the finding throws, and nothing may be lost.
        vc.DataProtocol?.ProtocolCoSendNetBufferListsComplete(vc.DataProtocolContext, chain, SendCompleteFlags.None);
        if (closing)
            Verifier.Report(VerifierRule.SendAfterClose,
                $"{count} NBL(s) sent on {vc} after its call was closed (call state {state}, activation {vc.Activation})", chain, vc);
        else
            Verifier.Report(VerifierRule.SendOnUnconnectedVc, $"{count} NBL(s) sent on {vc} before its call is connected (state {state}, activation {vc.Activation})", chain, vc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RefuseIndication(VirtualConnection vc, NetBufferList chain, int count, bool resources)
    {
        CoNdisLog.IndicationRefused(Logger, vc, count, vc.State, vc.Activation);
        for (var nbl = chain; nbl is not null; nbl = nbl.Next)
            nbl.CoState = resources ? NblCoState.Idle : NblCoState.Returned;
        if (!resources)
            vc.Adapter.Miniport.MiniportReturnNetBufferLists(vc.Adapter.AdapterContext, chain, ReturnFlags.None);
        Verifier.Report(VerifierRule.IndicationOnInactiveVc,
            $"{count} NBL(s) indicated on {vc} in state {vc.State} with activation {vc.Activation}; refused and handed back", chain, vc);
    }

    /// <summary>The miniport gave the NBL up: note its MiniportReserved, which it may not touch again.</summary>
    private static void MarkMiniportReserved(NetBufferList nbl) => nbl.CoReservedMark = nbl.MiniportReserved.Writes;

    /// <summary>The protocol gave the NBL back: note its ProtocolReserved, which it may not touch again.</summary>
    private static void MarkProtocolReserved(NetBufferList nbl) => nbl.CoReservedMark = nbl.ProtocolReserved.Writes;
}
