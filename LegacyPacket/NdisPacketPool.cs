using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.LegacyPacket;

/// <summary>
/// An NDIS 5 packet pool (the NDIS_HANDLE of NdisAllocatePacketPool(Ex); NdisAllocatePacketPoolEx function).
/// It holds
/// <see cref="NumberOfDescriptors"/> static descriptors plus, for the Ex form, up to
/// <see cref="NumberOfOverflowDescriptors"/> overflow descriptors that are used only while every
/// static one is out; the total is capped at 0xFFFF. NDIS gives an overflow descriptor back to system
/// memory when it is freed; the model keeps it pooled (so the steady state allocates nothing) and
/// reports it in <see cref="OverflowInUse"/> instead, which is the observable part.
/// </summary>
public sealed class NdisPacketPool : NdisPool<NdisPacket>
{
    /// <summary>Most descriptors a pool may have (static + overflow).</summary>
    public const int MaxDescriptors = 0xFFFF;

    internal NdisPacketPool(NdisHandle handle, int numberOfDescriptors, int numberOfOverflowDescriptors, int protocolReservedLength, string name)
        : base(handle, name, numberOfDescriptors + numberOfOverflowDescriptors)
    {
        NumberOfDescriptors = numberOfDescriptors;
        NumberOfOverflowDescriptors = numberOfOverflowDescriptors;
        ProtocolReservedLength = protocolReservedLength;
    }

    /// <summary>Static descriptors.</summary>
    public int NumberOfDescriptors { get; }

    /// <summary>Overflow descriptors (after the 0xFFFF cap was applied).</summary>
    public int NumberOfOverflowDescriptors { get; }

    /// <summary>ProtocolReservedLength in bytes.</summary>
    public int ProtocolReservedLength { get; }

    /// <summary>Descriptors allocated now (NdisPacketPoolUsage).</summary>
    public int Usage => Outstanding;

    /// <summary>Overflow descriptors in use now: descriptors allocated beyond <see cref="NumberOfDescriptors"/> (derived, not counted per allocation).</summary>
    public int OverflowInUse => Math.Max(0, Usage - NumberOfDescriptors);

    /// <summary>A descriptor in its freshly allocated state, or null when the pool is exhausted.</summary>
    internal NdisPacket? Allocate()
    {
        var packet = Rent();
        packet?.InitializeForAllocation();
        return packet;
    }

    /// <summary>Gives a descriptor back; false (after the verifier's finding) when the free is refused.</summary>
    internal bool Free(NdisPacket packet, string caller)
    {
        if (!Owns(packet) || !packet.IsAllocated)
            return Return(packet, caller);
        // In flight, the descriptor belongs to the miniport (sent) or to the protocol (held receive) right now.
        if (IsFreed || packet.DataPathState is LegacyDataPathState.Sending or LegacyDataPathState.Indicated)
            return RefuseFree(packet, caller);
        packet.ResetForReuse();
        return Return(packet, caller);
    }

    /// <summary>The finding for a refused free, built out of line so the free path carries no string formatting.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private bool RefuseFree(NdisPacket packet, string caller)
    {
        if (IsFreed)
            Verifier.Report(VerifierRule.UseAfterFree, $"{packet} freed after NdisFreePacketPool of '{Name}'", packet, this, caller);
        else
            Verifier.Report(VerifierRule.FreeWhileInFlight,
                $"{packet} freed while {(packet.DataPathState == LegacyDataPathState.Sending ? "sent and not yet completed" : "indicated and not yet returned")}",
                packet, this, caller);
        return false;
    }

    /// <inheritdoc />
    protected override NdisPacket CreateObject() => new(this, ProtocolReservedLength);
}
