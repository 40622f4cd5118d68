using CoNdis.NetBufferCore;

namespace CoNdis.LegacyPacket;

/// <summary>
/// NDIS_PACKET_PRIVATE (ndis.h; NDIS_PACKET structure, NDIS 5.1 reference): the part of NDIS_PACKET only NDIS
/// touches. Drivers read
/// it through the NdisXxx functions and macros of <see cref="Ndis5"/>; the buffer chain ends, the
/// pool and the cached counts can only be changed by them. <see cref="ValidCounts"/> stays writable
/// because NDIS_PACKET_VALID_COUNTS(p) = FALSE is how a driver that changed a buffer length
/// invalidates the cached counts.
/// </summary>
public sealed class NdisPacketPrivate
{
    internal NdisPacketPrivate(NdisPacketPool pool, ushort oobOffset)
    {
        Pool = pool;
        NdisPacketOobOffset = oobOffset;
        NdisPacketFlags = NdisPacketFlags.AllocatedByNdis; // as NdisAllocatePacket hands a descriptor out
    }

    /// <summary>Cached Σ NDIS_BUFFER_TO_SPAN_PAGES over the chain (valid iff <see cref="ValidCounts"/>).</summary>
    public uint PhysicalCount { get; internal set; }

    /// <summary>Cached Σ ByteCount over the chain (valid iff <see cref="ValidCounts"/>).</summary>
    public uint TotalLength { get; internal set; }

    /// <summary>First buffer of the chain.</summary>
    public Mdl? Head { get; internal set; }

    /// <summary>Last buffer of the chain (left stale by NdisReinitializePacket, as the macro does).</summary>
    public Mdl? Tail { get; internal set; }

    /// <summary>The owning packet pool (NdisGetPoolFromPacket).</summary>
    public NdisPacketPool Pool { get; }

    /// <summary>Cached number of buffers (valid iff <see cref="ValidCounts"/>).</summary>
    public uint Count { get; internal set; }

    /// <summary>NDIS_FLAGS_* send flags; the low nibble is the protocol id.</summary>
    public NdisFlags Flags { get; internal set; }

    /// <summary>True while the cached counts match the chain (NDIS_PACKET_VALID_COUNTS); drivers may clear it.</summary>
    public bool ValidCounts { get; set; }

    /// <summary>fPACKET_* bits.</summary>
    public NdisPacketFlags NdisPacketFlags { get; internal set; }

    /// <summary>Byte offset from the packet's start to its NDIS_PACKET_OOB_DATA block.</summary>
    public ushort NdisPacketOobOffset { get; }
}
