using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// A VC on the direct legacy binding: the NdisVcHandle both the NDIS 5.x client and the NDIS 5.x
/// miniport pass to the CoNDIS 5 calls (NdisCoSendPackets, NdisMCoSendComplete,
/// NdisMCoIndicateReceivePacket…). It keeps both sides' contexts, its activation state and the
/// packets outstanding on it in each direction.
/// </summary>
public sealed class LegacyCoVc
{
    // A large bias held on an indicated packet's count while ProtocolCoReceivePacket runs, so a
    // NdisReturnPackets that arrives before the handler has returned its count cannot reach zero early.
    private const int IndicationBias = 1 << 30;

    private int _state;
    private int _outstandingSends;
    private int _outstandingReceives;

    internal LegacyCoVc(LegacyCoBinding binding, object? protocolVcContext)
    {
        Binding = binding;
        ProtocolVcContext = protocolVcContext;
    }

    /// <summary>The binding the VC was created on.</summary>
    public LegacyCoBinding Binding { get; }

    /// <summary>ProtocolVcContext (the client's per-VC state).</summary>
    public object? ProtocolVcContext { get; }

    /// <summary>MiniportVcContext (what MiniportCoCreateVc returned).</summary>
    public object? MiniportVcContext { get; internal set; }

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
            throw new InvalidOperationException($"A VC in state {state} cannot be activated.");
        State = LegacyVcState.Activating;
        var status = Binding.Miniport.MiniportCoActivateVc(MiniportVcContext, callParameters);
        if (status != NdisStatus.Pending)
            ActivateComplete(status);
        return status;
    }

    internal void ActivateComplete(NdisStatus status)
    {
        if (State != LegacyVcState.Activating)
            throw new InvalidOperationException($"NdisMCoActivateVcComplete without an activation in progress (state {State}).");
        State = status == NdisStatus.Success ? LegacyVcState.Active : LegacyVcState.Created;
    }

    /// <summary>Deactivation (NdisCmDeactivateVc → MiniportCoDeactivateVc); PENDING is finished by NdisMCoDeactivateVcComplete.</summary>
    internal NdisStatus Deactivate()
    {
        if (State != LegacyVcState.Active)
            throw new InvalidOperationException($"A VC in state {State} cannot be deactivated.");
        State = LegacyVcState.Deactivating;
        var status = Binding.Miniport.MiniportCoDeactivateVc(MiniportVcContext);
        if (status != NdisStatus.Pending)
            DeactivateComplete();
        return status;
    }

    internal void DeactivateComplete()
    {
        if (State != LegacyVcState.Deactivating)
            throw new InvalidOperationException($"NdisMCoDeactivateVcComplete without a deactivation in progress (state {State}).");
        State = LegacyVcState.Deactivated;
    }

    /// <summary>NdisCoDeleteVc: MiniportCoDeleteVc; anything still outstanding is a leak finding.</summary>
    internal NdisStatus Delete()
    {
        var state = State;
        if (state is LegacyVcState.Active or LegacyVcState.Activating or LegacyVcState.Deactivating)
            return NdisStatus.NotAccepted;
        if (state == LegacyVcState.Deleted)
        {
            Verifier.Report(VerifierRule.DoubleFree, $"{this} deleted twice", this);
            return NdisStatus.Failure;
        }
        var status = Binding.Miniport.MiniportCoDeleteVc(MiniportVcContext);
        if (status != NdisStatus.Success)
            return status;
        State = LegacyVcState.Deleted;
        if (OutstandingSends != 0 || OutstandingReceives != 0)
            Verifier.Report(VerifierRule.LeakAtVcDelete,
                $"{this} deleted with {OutstandingSends} send(s) and {OutstandingReceives} receive(s) outstanding", this);
        return status;
    }

    /// <summary>NdisCoSendPackets on this VC.</summary>
    internal void SendPackets(NdisPacket[] packetArray, uint numberOfPackets)
    {
        int count = CheckArray(packetArray, numberOfPackets);
        var state = State;
        for (int i = 0; i < count; i++)
        {
            var packet = packetArray[i] ?? throw new ArgumentException($"PacketArray[{i}] is NULL.", nameof(packetArray));
            if (!packet.IsAllocated)
                Verifier.Report(VerifierRule.UseAfterFree, $"{packet} sent after it was freed", packet, this);
            if (packet.DataPathState is LegacyDataPathState.Sending or LegacyDataPathState.Indicated)
                Verifier.Report(VerifierRule.TouchAfterCompletion, $"{packet} sent while it is still {packet.DataPathState}", packet, this);
        }
        if (state != LegacyVcState.Active)
        {
            // No data on a VC that is not active: each packet completes with a failure (spec §4.8).
            var status = state is LegacyVcState.Created or LegacyVcState.Activating ? NdisStatus.VcNotActivated : NdisStatus.Closing;
            for (int i = 0; i < count; i++)
            {
                var packet = packetArray[i];
                packet.DataPathState = LegacyDataPathState.SendCompleted;
                Binding.CountSendCompletion();
                Binding.Client.ProtocolCoSendComplete(status, ProtocolVcContext, packet);
            }
            if (state is LegacyVcState.Deactivating or LegacyVcState.Deactivated or LegacyVcState.Deleted)
                Verifier.Report(VerifierRule.SendAfterClose, $"{count} packet(s) sent on {this} in state {state}", this);
            return;
        }
        // Mark every packet in flight before the miniport sees the array: a completion that arrives while
        // MiniportCoSendPackets is still running must find its packet already accounted for.
        Interlocked.Add(ref _outstandingSends, count);
        for (int i = 0; i < count; i++)
        {
            var packet = packetArray[i];
            packet.DataPathVc = this;
            packet.Oob.Status = NdisStatus.Pending;
            packet.DataPathState = LegacyDataPathState.Sending;
        }
        Binding.CountSends((uint)count);
        Binding.Miniport.MiniportCoSendPackets(MiniportVcContext, packetArray, numberOfPackets);
    }

    /// <summary>NdisMCoSendComplete on this VC.</summary>
    internal void SendComplete(NdisStatus status, NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (status == NdisStatus.Pending)
            throw new ArgumentException("NdisMCoSendComplete takes SUCCESS or a failure, never NDIS_STATUS_PENDING.", nameof(status));
        if (!packet.IsAllocated)
        {
            Verifier.Report(VerifierRule.UseAfterFree, $"{packet} completed after it was freed", packet, this);
            return;
        }
        if (!ReferenceEquals(packet.DataPathVc, this) && packet.DataPathState == LegacyDataPathState.Sending)
        {
            Verifier.Report(VerifierRule.CompletionOfUnsentPacket, $"{packet} completed on {this} but was sent on {packet.DataPathVc}", packet, this);
            return;
        }
        int previous = Interlocked.CompareExchange(ref packet.DataPathStateValue,
            (int)LegacyDataPathState.SendCompleted, (int)LegacyDataPathState.Sending);
        if (previous != (int)LegacyDataPathState.Sending)
        {
            if (previous == (int)LegacyDataPathState.SendCompleted)
                Verifier.Report(VerifierRule.DoubleCompletion, $"{packet} completed twice on {this}", packet, this);
            else
                Verifier.Report(VerifierRule.CompletionOfUnsentPacket, $"{packet} completed on {this} but was never sent", packet, this);
            return;
        }
        packet.DataPathVc = null;
        Interlocked.Decrement(ref _outstandingSends);
        Binding.CountSendCompletion();
        Binding.Client.ProtocolCoSendComplete(status, ProtocolVcContext, packet);
    }

    /// <summary>NdisMCoIndicateReceivePacket on this VC.</summary>
    internal void IndicateReceivePackets(NdisPacket[] packetArray, uint numberOfPackets)
    {
        int count = CheckArray(packetArray, numberOfPackets);
        if (count == 0)
            throw new ArgumentOutOfRangeException(nameof(numberOfPackets), "NdisMCoIndicateReceivePacket needs at least one packet.");
        if (State == LegacyVcState.Deleted)
            Verifier.Report(VerifierRule.UseAfterFree, $"receive indicated on deleted {this}", this);
        bool resources = false;
        for (int i = 0; i < count; i++)
        {
            var packet = packetArray[i] ?? throw new ArgumentException($"PacketArray[{i}] is NULL.", nameof(packetArray));
            if (!packet.IsAllocated)
                Verifier.Report(VerifierRule.UseAfterFree, $"{packet} indicated after it was freed", packet, this);
            if (packet.DataPathState == LegacyDataPathState.Indicated)
                Verifier.Report(VerifierRule.TouchAfterCompletion, $"{packet} indicated again before it was returned", packet, this);
            // RESOURCES on one packet holds for it and every later packet of the array (spec §7.6); the
            // later ones are marked too, so each receiver sees that it must copy.
            if (resources || packet.Oob.Status == NdisStatus.Resources)
            {
                resources = true;
                packet.Oob.Status = NdisStatus.Resources;
            }
            // Not layered: the original packet is the packet itself (NDIS_GET_ORIGINAL_PACKET).
            packet.Extension.OriginalPacket ??= packet;
            IndicateOne(packet, resources);
        }
    }

    private void IndicateOne(NdisPacket packet, bool resources)
    {
        packet.DataPathVc = this;
        Volatile.Write(ref packet.ReceiveReferences, IndicationBias);
        packet.DataPathState = LegacyDataPathState.Indicated;
        Interlocked.Increment(ref _outstandingReceives);
        Binding.CountIndication(resources);
        uint references;
        var previous = Binding.EnterIndication(packet);
        try
        {
            references = Binding.Client.ProtocolCoReceivePacket(Binding.ProtocolBindingContext, ProtocolVcContext, packet);
        }
        finally
        {
            LegacyCoBinding.LeaveIndication(previous);
        }
        if (resources)
        {
            // The miniport owns the packet again as soon as the indication returns: no MiniportReturnPacket.
            int early = IndicationBias - Volatile.Read(ref packet.ReceiveReferences);
            Volatile.Write(ref packet.ReceiveReferences, 0);
            packet.DataPathState = LegacyDataPathState.Idle;
            packet.DataPathVc = null;
            Interlocked.Decrement(ref _outstandingReceives);
            if (references != 0 || early != 0)
                Verifier.Report(VerifierRule.ResourcesReceiveRetained,
                    $"{packet} was indicated with NDIS_STATUS_RESOURCES but the protocol kept it (returned {references}, NdisReturnPackets {early} time(s)); it must copy and return 0",
                    packet, this);
            return;
        }
        if (references > IndicationBias)
            throw new InvalidOperationException($"ProtocolCoReceivePacket returned an implausible reference count {references}.");
        int remaining = Interlocked.Add(ref packet.ReceiveReferences, (int)references - IndicationBias);
        if (remaining == 0)
        {
            Binding.ReturnToMiniport(packet);
        }
        else if (remaining < 0)
        {
            Volatile.Write(ref packet.ReceiveReferences, 0);
            Binding.ReturnToMiniport(packet);
            Verifier.Report(VerifierRule.ReturnOfUnindicatedPacket,
                $"{packet} was returned {-remaining} time(s) more than ProtocolCoReceivePacket promised ({references})", packet, this);
        }
    }

    /// <summary>One NdisReturnPackets reference for <paramref name="packet"/>.</summary>
    internal static void ReturnPacket(NdisPacket packet, NdisVerifier fallbackVerifier)
    {
        var vc = packet.DataPathVc;
        if (vc is null || packet.DataPathState != LegacyDataPathState.Indicated)
        {
            (vc?.Verifier ?? fallbackVerifier).Report(VerifierRule.ReturnOfUnindicatedPacket,
                $"{packet} returned with NdisReturnPackets but it is not held by a protocol (state {packet.DataPathState})", packet);
            return;
        }
        int remaining = Interlocked.Decrement(ref packet.ReceiveReferences);
        if (remaining == 0)
        {
            vc.Binding.ReturnToMiniport(packet);
        }
        else if (remaining < 0)
        {
            Interlocked.Increment(ref packet.ReceiveReferences);
            vc.Verifier.Report(VerifierRule.ReturnOfUnindicatedPacket,
                $"{packet} returned more times than ProtocolCoReceivePacket promised", packet, vc);
        }
    }

    internal void ReceiveReturned() => Interlocked.Decrement(ref _outstandingReceives);

    private static int CheckArray(NdisPacket[] packetArray, uint numberOfPackets)
    {
        ArgumentNullException.ThrowIfNull(packetArray);
        if (numberOfPackets > (uint)packetArray.Length)
            throw new ArgumentOutOfRangeException(nameof(numberOfPackets),
                $"NumberOfPackets {numberOfPackets} exceeds the array's {packetArray.Length} entries.");
        return (int)numberOfPackets;
    }

    /// <inheritdoc />
    public override string ToString() => $"LegacyCoVc({ProtocolVcContext ?? "-"} ↔ {MiniportVcContext ?? "-"}, {State})";
}
