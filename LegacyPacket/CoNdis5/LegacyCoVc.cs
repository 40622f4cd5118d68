using System.Diagnostics;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// A VC on a 5.x binding: the NdisVcHandle both the NDIS 5.x client and the NDIS 5.x miniport pass to the CoNDIS 5
/// calls (NdisCoSendPackets, NdisMCoSendComplete, NdisMCoIndicateReceivePacket…). It keeps both sides' contexts, its
/// activation state and the packets in flight on it in each direction, which it alone counts.
/// <para>A packet that breaks a rule (freed, still in flight, indicated again before it came back) is a verifier
/// finding naming the rule, the packet and this VC. In strict mode the finding throws to the driver that broke the
/// rule, before anything changed; in lenient mode the packet is left out (it never reaches the other side) and the
/// rest of the array goes on.</para>
/// </summary>
public sealed class LegacyCoVc
{
    // The one receive bias of the model: held on an indicated packet's count while ProtocolCoReceivePacket runs, so
    // a NdisReturnPackets that arrives before the handler has returned its count cannot take it to zero early.
    private const int IndicationBias = 1 << 30;

    private static int s_nextId;

    private int _state;
    private int _outstandingSends;
    private int _outstandingReceives;

    internal LegacyCoVc(LegacyCoBinding binding, object? protocolVcContext)
    {
        Binding = binding;
        ProtocolVcContext = protocolVcContext;
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>A number for messages.</summary>
    public int Id { get; }

    /// <summary>The binding the VC was created on.</summary>
    public LegacyCoBinding Binding { get; }

    /// <summary>ProtocolVcContext (the per-VC state of the binding's protocol: the client, or a call manager).</summary>
    public object? ProtocolVcContext { get; private set; }

    /// <summary>MiniportVcContext (what MiniportCoCreateVc returned, or an MCM's ProtocolCoCreateVc).</summary>
    public object? MiniportVcContext { get; internal set; }

    /// <summary>
    /// Not an NDIS DDI: NDIS records the context the binding's protocol returned from its ProtocolCoCreateVc for a VC
    /// another party created (an incoming call's VC, a client's VC offered to a call manager). Only before activation.
    /// </summary>
    public void AssignProtocolVcContext(object? protocolVcContext)
    {
        RequireNotActivated(nameof(AssignProtocolVcContext));
        ProtocolVcContext = protocolVcContext;
    }

    /// <summary>
    /// Not an NDIS DDI: NDIS records the context an integrated call manager's ProtocolCoCreateVc returned, which is the
    /// VC's MiniportVcContext from then on. Only before activation.
    /// </summary>
    public void AssignMiniportVcContext(object? miniportVcContext)
    {
        RequireNotActivated(nameof(AssignMiniportVcContext));
        MiniportVcContext = miniportVcContext;
    }

    /// <summary>
    /// Not an NDIS DDI: an integrated call manager activated the VC (NdisMCmActivateVc succeeded). NDIS 5 calls no
    /// MiniportCoActivateVc for an MCM's VC, so the data path opens here; a reactivation leaves it open.
    /// </summary>
    public void MarkActivatedByCallManager()
    {
        var state = State;
        if (state == LegacyVcState.Active)
            return;
        if (state is not (LegacyVcState.Created or LegacyVcState.Deactivated))
            throw new InvalidOperationException($"{this} cannot be activated by its call manager in state {state}.");
        State = LegacyVcState.Active;
    }

    /// <summary>Not an NDIS DDI: an integrated call manager deactivated the VC (NdisMCmDeactivateVc); sends are refused from now on.</summary>
    public void MarkDeactivatedByCallManager()
    {
        var state = State;
        if (state != LegacyVcState.Active)
            throw new InvalidOperationException($"{this} cannot be deactivated by its call manager in state {state}.");
        State = LegacyVcState.Deactivated;
    }

    private void RequireNotActivated(string what)
    {
        var state = State;
        if (state is not LegacyVcState.Created)
            throw new InvalidOperationException($"{what} on {this} in state {state}: NDIS records a VC's contexts before it is activated.");
    }

    /// <summary>Where the VC is in its life.</summary>
    public LegacyVcState State
    {
        get => (LegacyVcState)Volatile.Read(ref _state);
        private set => Volatile.Write(ref _state, (int)value);
    }

    /// <summary>Packets sent on this VC and not yet completed.</summary>
    public int OutstandingSends => Volatile.Read(ref _outstandingSends);

    /// <summary>Packets indicated on this VC and not yet back with the miniport.</summary>
    public int OutstandingReceives => Volatile.Read(ref _outstandingReceives);

    private NdisVerifier Verifier => Binding.Verifier;

    /// <summary>Activation (NdisCmActivateVc → MiniportCoActivateVc); PENDING is finished by NdisMCoActivateVcComplete.</summary>
    internal NdisStatus Activate(object? callParameters)
    {
        var state = State;
        if (state is not (LegacyVcState.Created or LegacyVcState.Deactivated))
            throw new InvalidOperationException($"{this} cannot be activated in state {state}.");
        State = LegacyVcState.Activating;
        var status = Binding.Miniport.MiniportCoActivateVc(MiniportVcContext, callParameters);
        if (status != NdisStatus.Pending)
            ActivateComplete(status);
        return status;
    }

    internal void ActivateComplete(NdisStatus status)
    {
        if (State != LegacyVcState.Activating)
            throw new InvalidOperationException($"NdisMCoActivateVcComplete on {this} without an activation in progress (state {State}).");
        State = status == NdisStatus.Success ? LegacyVcState.Active : LegacyVcState.Created;
    }

    /// <summary>Deactivation (NdisCmDeactivateVc → MiniportCoDeactivateVc); PENDING is finished by NdisMCoDeactivateVcComplete.</summary>
    internal NdisStatus Deactivate()
    {
        if (State != LegacyVcState.Active)
            throw new InvalidOperationException($"{this} cannot be deactivated in state {State}.");
        State = LegacyVcState.Deactivating;
        var status = Binding.Miniport.MiniportCoDeactivateVc(MiniportVcContext);
        if (status != NdisStatus.Pending)
            DeactivateComplete();
        return status;
    }

    internal void DeactivateComplete()
    {
        if (State != LegacyVcState.Deactivating)
            throw new InvalidOperationException($"NdisMCoDeactivateVcComplete on {this} without a deactivation in progress (state {State}).");
        State = LegacyVcState.Deactivated;
    }

    /// <summary>NdisCoDeleteVc: MiniportCoDeleteVc; anything still outstanding is a leak finding.</summary>
    internal NdisStatus Delete(bool callMiniport = true)
    {
        var state = State;
        if (state is LegacyVcState.Active or LegacyVcState.Activating or LegacyVcState.Deactivating)
            return NdisStatus.NotAccepted;
        if (state == LegacyVcState.Deleted)
        {
            Verifier.Report(VerifierRule.DoubleFree, $"{this} deleted twice", this);
            return NdisStatus.Failure;
        }
        var status = callMiniport ? Binding.Miniport.MiniportCoDeleteVc(MiniportVcContext) : NdisStatus.Success;
        if (status != NdisStatus.Success)
            return status;
        State = LegacyVcState.Deleted;
        if (OutstandingSends != 0 || OutstandingReceives != 0)
            Verifier.Report(VerifierRule.LeakAtVcDelete,
                $"{this} deleted with {OutstandingSends} send(s) and {OutstandingReceives} receive(s) outstanding", this);
        return status;
    }

    /// <summary>
    /// NdisCoSendPackets on this VC. On a VC that is not active each packet completes at once with a failure
    /// (VC_NOT_ACTIVATED before activation, CLOSING after deactivation) and never reaches the miniport.
    /// </summary>
    internal void SendPackets(NdisPacket[] packetArray, uint numberOfPackets)
    {
        int count = CheckArray(packetArray, numberOfPackets);
        int refused = 0;
        for (int i = 0; i < count; i++)
        {
            var packet = packetArray[i] ?? throw LegacyThrow.NullPacket(nameof(packetArray), i);
            Binding.AdoptPools(packet);
            if (!CanSend(packet))
                refused++;
        }
        var state = State;
        if (state != LegacyVcState.Active)
        {
            RefuseSends(packetArray, count, state);
            return;
        }
        var array = packetArray;
        if (refused > 0)
        {
            // Lenient verifier: the broken packets stay where they are (never sent, never completed); the rest go.
            array = Sendable(packetArray, count, refused);
            count -= refused;
            if (count == 0)
                return;
        }
        // Mark every packet in flight before the miniport sees the array: a completion that arrives while
        // MiniportCoSendPackets is still running must find its packet already accounted for.
        Interlocked.Add(ref _outstandingSends, count);
        for (int i = 0; i < count; i++)
        {
            var packet = array[i];
            packet.DataPathVc = this;
            packet.Oob.Status = NdisStatus.Pending;
            packet.DataPathState = LegacyDataPathState.Sending;
        }
        Binding.Miniport.MiniportCoSendPackets(MiniportVcContext, array, (uint)count);
    }

    /// <summary>NdisMCoSendComplete on this VC: the packet goes back to ProtocolCoSendComplete, exactly once.</summary>
    internal void SendComplete(NdisStatus status, NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (status == NdisStatus.Pending)
            throw LegacyThrow.PendingCompletion(nameof(status));
        // A plain read and write, not a CAS: completing one packet from two threads at the very same instant is a
        // broken rule the verifier may then miss; any other double completion it reports.
        if (!packet.IsAllocated || packet.DataPathState != LegacyDataPathState.Sending || !ReferenceEquals(packet.DataPathVc, this))
        {
            RefuseCompletion(packet);
            return;
        }
        packet.DataPathState = LegacyDataPathState.SendCompleted;
        packet.DataPathVc = null;
        // Counted home before ProtocolCoSendComplete and one by one: a miniport may look at the count (to finish a
        // pended deactivation) from wherever it completes, so it must never lag behind.
        Interlocked.Decrement(ref _outstandingSends);
        Binding.Client.ProtocolCoSendComplete(status, ProtocolVcContext, packet);
    }

    /// <summary>
    /// NdisMCoIndicateReceivePacket on this VC: ProtocolCoReceivePacket once per packet, in array order. A packet
    /// whose status is RESOURCES (and every later one of the array) is the miniport's again when its handler returns.
    /// On a VC that is not active the array is refused: a finding, and each packet without RESOURCES is handed
    /// straight back through MiniportReturnPacket.
    /// </summary>
    internal void IndicateReceivePackets(NdisPacket[] packetArray, uint numberOfPackets)
    {
        int count = CheckArray(packetArray, numberOfPackets);
        if (count == 0)
            throw new ArgumentOutOfRangeException(nameof(numberOfPackets), "NdisMCoIndicateReceivePacket needs at least one packet.");
        for (int i = 0; i < count; i++)
            Binding.AdoptPools(packetArray[i] ?? throw LegacyThrow.NullPacket(nameof(packetArray), i));
        var state = State;
        if (state is not (LegacyVcState.Active or LegacyVcState.Deactivating))
        {
            RefuseIndication(packetArray, count, state);
            return;
        }
        var boundary = Binding.IndicationBoundary;
        boundary?.BeginPacketArray(ProtocolVcContext);
        // Counted out once for the array, before any packet is up (a return may come back at once). Each packet is
        // counted home when it goes back (before MiniportReturnPacket, so a miniport that looks at the count never sees
        // it lag); those a finding leaves out, and those never reached because a finding was thrown, at the end.
        Interlocked.Add(ref _outstandingReceives, count);
        int processed = 0, home = 0;
        var indication = LegacyCoBinding.CurrentIndication;
        var (outerBinding, outerPacket) = (indication.Binding, indication.Packet);
        try
        {
            bool resources = false;
            for (int i = 0; i < count; i++)
            {
                var packet = packetArray[i];
                // RESOURCES on one packet holds for it and every later packet of the array (NDIS_SET_PACKET_STATUS in
                // the NDIS 5.1 reference); the later ones are marked too, so each receiver sees that it must copy.
                if (resources || packet.Oob.Status == NdisStatus.Resources)
                    resources = true;
                if (!CanIndicate(packet))
                {
                    processed++;
                    home++;
                    continue;
                }
                if (resources)
                    packet.Oob.Status = NdisStatus.Resources;
                // Not layered: the original packet is the packet itself (NDIS_GET_ORIGINAL_PACKET).
                packet.Extension.OriginalPacket ??= packet;
                indication.Binding = Binding;
                indication.Packet = packet;
                // From here the packet's own path counts it home (a finding thrown at the end of IndicateOne comes
                // after that); the finally counts back only packets never reached.
                processed++;
                IndicateOne(packet, resources);
            }
        }
        finally
        {
            indication.Binding = outerBinding;
            indication.Packet = outerPacket;
            int back = home + count - processed;
            if (back != 0)
                Interlocked.Add(ref _outstandingReceives, -back);
            boundary?.EndPacketArray(ProtocolVcContext);
        }
    }

    /// <summary>One ProtocolCoReceivePacket; the packet is counted home here when it is the miniport's again at once.</summary>
    private void IndicateOne(NdisPacket packet, bool resources)
    {
        packet.DataPathVc = this;
        Volatile.Write(ref packet.ReceiveReferences, IndicationBias);
        packet.DataPathState = LegacyDataPathState.Indicated;
        uint references = Binding.Client.ProtocolCoReceivePacket(Binding.ProtocolBindingContext, ProtocolVcContext, packet);
        if (resources)
        {
            // The miniport owns the packet again as soon as the indication returns: no MiniportReturnPacket.
            int early = IndicationBias - Volatile.Read(ref packet.ReceiveReferences);
            Volatile.Write(ref packet.ReceiveReferences, 0);
            packet.DataPathState = LegacyDataPathState.Idle;
            packet.DataPathVc = null;
            ReceivesReturned(1);
            if (references != 0 || early != 0)
                ReportResourcesRetained(packet, references, early);
            return;
        }
        if (references > IndicationBias)
            throw LegacyThrow.ImplausibleReferenceCount(references);
        int remaining = Interlocked.Add(ref packet.ReceiveReferences, (int)references - IndicationBias);
        if (remaining == 0)
        {
            Binding.ReturnToMiniport(packet);
        }
        else if (remaining < 0)
        {
            Volatile.Write(ref packet.ReceiveReferences, 0);
            Binding.ReturnToMiniport(packet);
            ReportReturnedEarly(packet, -remaining, references);
        }
    }

    /// <summary>
    /// One NdisReturnPackets reference for <paramref name="packet"/>; when it was the last, the packet goes back
    /// through MiniportReturnPacket. Returns the VC it went home on (null when it did not).
    /// </summary>
    internal static LegacyCoVc? ReturnPacket(NdisPacket packet)
    {
        var vc = packet.DataPathVc;
        if (vc is null || packet.DataPathState != LegacyDataPathState.Indicated)
        {
            ReportReturnNotHeld(packet, vc);
            return null;
        }
        int remaining = Interlocked.Decrement(ref packet.ReceiveReferences);
        if (remaining == 0)
        {
            vc.Binding.ReturnToMiniport(packet);
            return vc;
        }
        if (remaining < 0)
        {
            Interlocked.Increment(ref packet.ReceiveReferences);
            vc.ReportReturnedTooOften(packet);
        }
        return null;
    }

    /// <summary>Counts <paramref name="count"/> received packets home.</summary>
    internal void ReceivesReturned(int count)
    {
        int left = Interlocked.Add(ref _outstandingReceives, -count);
        Debug.Assert(left >= 0, "a receive came back that this VC never counted out");
    }

    /// <summary>False (after the finding) when <paramref name="packet"/> may not be sent: freed, or still in flight.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool CanSend(NdisPacket packet) =>
        (packet.IsAllocated && packet.DataPathState is not (LegacyDataPathState.Sending or LegacyDataPathState.Indicated))
        || RefuseHandOver(packet, "sent");

    /// <summary>False (after the finding) when <paramref name="packet"/> may not be indicated: freed, or not back yet.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool CanIndicate(NdisPacket packet) =>
        (packet.IsAllocated && packet.DataPathState is not (LegacyDataPathState.Sending or LegacyDataPathState.Indicated))
        || RefuseHandOver(packet, "indicated");

    // Findings are built out of line (throw-helper style), so the per-packet paths carry no string-formatting state.

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private bool RefuseHandOver(NdisPacket packet, string what)
    {
        if (!packet.IsAllocated)
            Verifier.Report(VerifierRule.UseAfterFree, $"{packet} {what} on {this} after it was freed", packet, this);
        else
            Verifier.Report(VerifierRule.TouchAfterCompletion, $"{packet} {what} on {this} while it is still {packet.DataPathState}", packet, this);
        return false;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void RefuseCompletion(NdisPacket packet)
    {
        var state = packet.DataPathState;
        if (!packet.IsAllocated)
        {
            // A descriptor keeps its data-path state while it is free: completed before means completed twice.
            if (state == LegacyDataPathState.SendCompleted)
                Verifier.Report(VerifierRule.DoubleCompletion, $"{packet} completed twice on {this} (it was freed after its first completion)", packet, this);
            else
                Verifier.Report(VerifierRule.UseAfterFree, $"{packet} completed on {this} after it was freed", packet, this);
        }
        else if (state == LegacyDataPathState.Sending)
            Verifier.Report(VerifierRule.CompletionOfUnsentPacket, $"{packet} completed on {this} but was sent on {packet.DataPathVc}", packet, this);
        else if (state == LegacyDataPathState.SendCompleted)
            Verifier.Report(VerifierRule.DoubleCompletion, $"{packet} completed twice on {this}", packet, this);
        else
            Verifier.Report(VerifierRule.CompletionOfUnsentPacket, $"{packet} completed on {this} but was never sent", packet, this);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ReportResourcesRetained(NdisPacket packet, uint references, int early) =>
        Verifier.Report(VerifierRule.ResourcesReceiveRetained,
            $"{packet} was indicated on {this} with NDIS_STATUS_RESOURCES but the protocol kept it (returned {references}, NdisReturnPackets {early} time(s)); it must copy and return 0",
            packet, this);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ReportReturnedEarly(NdisPacket packet, int extra, uint references) =>
        Verifier.Report(VerifierRule.ReturnOfUnindicatedPacket,
            $"{packet} was returned {extra} time(s) more than ProtocolCoReceivePacket promised ({references}) on {this}", packet, this);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ReportReturnedTooOften(NdisPacket packet) =>
        Verifier.Report(VerifierRule.ReturnOfUnindicatedPacket, $"{packet} returned more times than ProtocolCoReceivePacket promised on {this}", packet, this);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ReportReturnNotHeld(NdisPacket packet, LegacyCoVc? vc) =>
        (vc?.Verifier ?? packet.Private.Pool.Verifier).Report(VerifierRule.ReturnOfUnindicatedPacket,
            $"{packet} returned with NdisReturnPackets but it is not held by a protocol (state {packet.DataPathState})", packet);

    /// <summary>No data on a VC that is not active: each packet completes at once with a failure, then the finding.</summary>
    private void RefuseSends(NdisPacket[] packetArray, int count, LegacyVcState state)
    {
        bool closed = state is LegacyVcState.Deactivating or LegacyVcState.Deactivated or LegacyVcState.Deleted;
        var status = closed ? NdisStatus.Closing : NdisStatus.VcNotActivated;
        int completed = 0;
        for (int i = 0; i < count; i++)
        {
            var packet = packetArray[i];
            if (!packet.IsAllocated || packet.DataPathState is LegacyDataPathState.Sending or LegacyDataPathState.Indicated)
                continue; // already reported; not ours to complete
            packet.DataPathState = LegacyDataPathState.SendCompleted;
            Binding.Client.ProtocolCoSendComplete(status, ProtocolVcContext, packet);
            completed++;
        }
        // Complete first, then report: in strict mode the finding throws, and nothing may be lost.
        if (closed)
            Verifier.Report(VerifierRule.SendAfterClose, $"{completed} packet(s) sent on {this} in state {state}", this);
        else
            Verifier.Report(VerifierRule.SendOnUnconnectedVc, $"{completed} packet(s) sent on {this} before it was activated (state {state})", this);
    }

    /// <summary>An indication on a VC that is not active: every packet without RESOURCES goes straight back, then the finding.</summary>
    private void RefuseIndication(NdisPacket[] packetArray, int count, LegacyVcState state)
    {
        bool resources = false;
        for (int i = 0; i < count; i++)
        {
            var packet = packetArray[i];
            resources |= packet.Oob.Status == NdisStatus.Resources;
            if (resources || !packet.IsAllocated || packet.DataPathState is LegacyDataPathState.Sending or LegacyDataPathState.Indicated)
                continue;
            Binding.Miniport.MiniportReturnPacket(Binding.MiniportAdapterContext, packet);
        }
        Verifier.Report(VerifierRule.IndicationOnInactiveVc, $"{count} packet(s) indicated on {this} in state {state}; refused and handed back", this);
    }

    /// <summary>The packets of the array that passed the checks, in order (a rare path: only with a lenient finding).</summary>
    private static NdisPacket[] Sendable(NdisPacket[] packetArray, int count, int refused)
    {
        var kept = new NdisPacket[count - refused];
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            var packet = packetArray[i];
            if (packet.IsAllocated && packet.DataPathState is not (LegacyDataPathState.Sending or LegacyDataPathState.Indicated))
                kept[at++] = packet;
        }
        Debug.Assert(at == kept.Length, "the refused packets were counted once each");
        return kept;
    }

    private static int CheckArray(NdisPacket[] packetArray, uint numberOfPackets)
    {
        ArgumentNullException.ThrowIfNull(packetArray);
        if (numberOfPackets > (uint)packetArray.Length)
            throw LegacyThrow.ArrayTooShort(nameof(numberOfPackets), numberOfPackets, packetArray.Length);
        return (int)numberOfPackets;
    }

    /// <inheritdoc />
    public override string ToString() => $"LegacyVC#{Id} ({State})";
}
