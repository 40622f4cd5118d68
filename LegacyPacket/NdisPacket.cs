using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.LegacyPacket;

/// <summary>
/// NDIS_PACKET (ndis.h; NDIS_PACKET structure, NDIS 5.1 reference): the NDIS 5 packet descriptor.
/// <see cref="Private"/> is
/// NDIS_PACKET_PRIVATE (buffer chain, cached counts, pool, flags); the reserved union
/// (<see cref="MiniportReserved"/>, <see cref="WrapperReserved"/>, <see cref="MiniportReservedEx"/>,
/// <see cref="WrapperReservedEx"/>, <see cref="MacReserved"/>) is one 4 × PVOID area seen through
/// views; <see cref="ProtocolReserved"/> has the pool's ProtocolReservedLength; <see cref="Oob"/> is
/// NDIS_PACKET_OOB_DATA and <see cref="Extension"/> NDIS_PACKET_EXTENSION. The NDIS_GET_/NDIS_SET_
/// packet macros are members (<c>NDIS_GET_PACKET_STATUS(p)</c> → <c>p.Status</c>). Descriptors come
/// only from an <see cref="NdisPacketPool"/> (NdisAllocatePacket).
/// </summary>
public sealed class NdisPacket : NdisPoolObject
{
    /// <summary>MiniportReserved / WrapperReserved size in PVOIDs (serialized miniports, IMs).</summary>
    public const int MiniportReservedSlots = 2;

    /// <summary>MiniportReservedEx size in PVOIDs (deserialized and connection-oriented miniports).</summary>
    public const int MiniportReservedExSlots = 3;

    /// <summary>PROTOCOL_RESERVED_SIZE_IN_PACKET (4 × sizeof(PVOID)) in bytes: receive-indication pools.</summary>
    public static int ProtocolReservedSizeInPacket => 4 * IntPtr.Size;

    private readonly ReservedArea _macReserved = new(4, "NDIS_PACKET.MacReserved");

    internal NdisPacket(NdisPacketPool pool, int protocolReservedLength)
    {
        Private = new NdisPacketPrivate(pool, (ushort)PacketLayout.OobOffset(protocolReservedLength));
        ProtocolReservedLength = protocolReservedLength;
        ProtocolReserved = new ReservedArea(PacketLayout.SlotsFor(protocolReservedLength), "NDIS_PACKET.ProtocolReserved");
        MiniportReserved = new(_macReserved, 0, MiniportReservedSlots, "NDIS_PACKET.MiniportReserved");
        WrapperReserved = new(_macReserved, 2, 2, "NDIS_PACKET.WrapperReserved");
        MiniportReservedEx = new(_macReserved, 0, MiniportReservedExSlots, "NDIS_PACKET.MiniportReservedEx");
        WrapperReservedEx = new(_macReserved, 3, 1, "NDIS_PACKET.WrapperReservedEx");
        MacReserved = new(_macReserved, 0, 4, "NDIS_PACKET.MacReserved");
    }

    /// <summary>NDIS_PACKET.Private (NDIS_PACKET_PRIVATE).</summary>
    public NdisPacketPrivate Private { get; }

    /// <summary>MiniportReserved[2 × PVOID]: serialized miniports and IMs.</summary>
    public ReservedAreaView MiniportReserved { get; }

    /// <summary>WrapperReserved[2 × PVOID]: NDIS's (shares the union with the Ex forms).</summary>
    public ReservedAreaView WrapperReserved { get; }

    /// <summary>MiniportReservedEx[3 × PVOID]: deserialized and CoNDIS miniports.</summary>
    public ReservedAreaView MiniportReservedEx { get; }

    /// <summary>WrapperReservedEx[1 × PVOID]: NDIS's.</summary>
    public ReservedAreaView WrapperReservedEx { get; }

    /// <summary>MacReserved[4 × PVOID]: legacy drivers (the whole union).</summary>
    public ReservedAreaView MacReserved { get; }

    /// <summary>
    /// ProtocolReserved: the pool's ProtocolReservedLength bytes, as ⌈length / sizeof(PVOID)⌉ pointer-sized
    /// slots. It belongs to the protocol that got a fresh descriptor.
    /// </summary>
    public ReservedArea ProtocolReserved { get; }

    /// <summary>The ProtocolReservedLength (bytes) the pool was created with.</summary>
    public int ProtocolReservedLength { get; }

    /// <summary>NDIS_OOB_DATA_FROM_PACKET(p).</summary>
    public NdisPacketOobData Oob { get; } = new();

    /// <summary>The NDIS_PACKET_EXTENSION after the OOB block (NDIS_PACKET_EXTENSION_FROM_PACKET).</summary>
    public NdisPacketExtension Extension { get; } = new();

    /// <summary>NDIS_GET_PACKET_STATUS / NDIS_SET_PACKET_STATUS.</summary>
    public NdisStatus Status
    {
        get => Oob.Status;
        set => Oob.Status = value;
    }

    /// <summary>NDIS_GET_PACKET_HEADER_SIZE / NDIS_SET_PACKET_HEADER_SIZE.</summary>
    public uint HeaderSize
    {
        get => Oob.HeaderSize;
        set => Oob.HeaderSize = value;
    }

    /// <summary>NDIS_GET_PACKET_TIME_TO_SEND / NDIS_SET_PACKET_TIME_TO_SEND.</summary>
    public ulong TimeToSend
    {
        get => Oob.TimeToSend;
        set => Oob.TimeToSend = value;
    }

    /// <summary>NDIS_GET_PACKET_TIME_SENT / NDIS_SET_PACKET_TIME_SENT.</summary>
    public ulong TimeSent
    {
        get => Oob.TimeSent;
        set => Oob.TimeSent = value;
    }

    /// <summary>NDIS_GET_PACKET_TIME_RECEIVED / NDIS_SET_PACKET_TIME_RECEIVED.</summary>
    public ulong TimeReceived
    {
        get => Oob.TimeReceived;
        set => Oob.TimeReceived = value;
    }

    /// <summary>NDIS_GET_ORIGINAL_PACKET / NDIS_SET_ORIGINAL_PACKET (the OriginalPacketInfo slot).</summary>
    public NdisPacket? OriginalPacket
    {
        get => Extension.OriginalPacket;
        set => Extension.OriginalPacket = value;
    }

    /// <summary>NDIS_PER_PACKET_INFO_FROM_PACKET(p, id).</summary>
    public NdisPacketExtension PerPacketInfo => Extension;

    /// <summary>NDIS_GET_PACKET_PROTOCOL_TYPE(p) = Private.Flags &amp; NDIS_FLAGS_PROTOCOL_ID_MASK.</summary>
    public uint ProtocolType => (uint)(Private.Flags & NdisFlags.ProtocolIdMask);

    /// <summary>NDIS_PACKET_FIRST_NDIS_BUFFER(p) = Private.Head.</summary>
    public Mdl? FirstBuffer => Private.Head;

    /// <summary>NDIS_PACKET_LAST_NDIS_BUFFER(p) = Private.Tail.</summary>
    public Mdl? LastBuffer => Private.Tail;

    /// <summary>The buffer chain, as a non-allocating enumerable.</summary>
    public LinkedChain<Mdl> Buffers => new(Private.Head);

    /// <summary>
    /// NDIS_GET_PACKET_MEDIA_SPECIFIC_INFO(p, &amp;info, &amp;size): null/0 unless the packet is NDIS-allocated
    /// and carries media-specific information.
    /// </summary>
    public void GetMediaSpecificInfo(out object? mediaSpecificInfo, out uint sizeMediaSpecificInfo)
    {
        const NdisPacketFlags both = NdisPacketFlags.AllocatedByNdis | NdisPacketFlags.ContainsMediaSpecificInfo;
        if ((Private.NdisPacketFlags & both) == both)
        {
            mediaSpecificInfo = Oob.MediaSpecificInformation;
            sizeMediaSpecificInfo = Oob.SizeMediaSpecificInfo;
        }
        else
        {
            mediaSpecificInfo = null;
            sizeMediaSpecificInfo = 0;
        }
    }

    /// <summary>
    /// NDIS_SET_PACKET_MEDIA_SPECIFIC_INFO(p, info, size): a no-op unless the packet is NDIS-allocated;
    /// sets fPACKET_CONTAINS_MEDIA_SPECIFIC_INFO.
    /// </summary>
    public void SetMediaSpecificInfo(object? mediaSpecificInfo, uint sizeMediaSpecificInfo)
    {
        if ((Private.NdisPacketFlags & NdisPacketFlags.AllocatedByNdis) == 0)
            return;
        Private.NdisPacketFlags |= NdisPacketFlags.ContainsMediaSpecificInfo;
        Oob.MediaSpecificInformation = mediaSpecificInfo;
        Oob.SizeMediaSpecificInfo = sizeMediaSpecificInfo;
    }

    // CoNDIS 5 data-path bookkeeping of the binding (NDIS's, not part of NDIS_PACKET).
    internal int DataPathStateValue;
    internal int ReceiveReferences;
    internal LegacyCoVc? DataPathVc;

    /// <summary>
    /// Where the packet is on the CoNDIS 5 data path now, as the binding sees it (not a field of NDIS_PACKET: NDIS's
    /// own bookkeeping, readable so a ported driver or a test can tell who holds a packet).
    /// </summary>
    public LegacyDataPathState DataPathState
    {
        get => (LegacyDataPathState)Volatile.Read(ref DataPathStateValue);
        internal set => Volatile.Write(ref DataPathStateValue, (int)value);
    }

    /// <summary>
    /// Puts a descriptor NdisAllocatePacket hands out in its fresh state. It was cleared when it was freed (or is
    /// new), so only the data-path state is set: a descriptor is cleared once per life, not twice.
    /// </summary>
    internal void InitializeForAllocation() => DataPathState = LegacyDataPathState.Idle;

    /// <summary>
    /// Clears a freed descriptor (NDIS_PACKET_PRIVATE, OOB block, per-packet info, reserved areas) so it keeps nothing
    /// alive and is fresh for its next allocation. The data-path state stays: a packet completed and freed that is
    /// completed again is told apart from one never sent.
    /// </summary>
    internal void ResetForReuse()
    {
        Private.Head = null;
        Private.Tail = null;
        Private.ValidCounts = false;
        Private.PhysicalCount = 0;
        Private.TotalLength = 0;
        Private.Count = 0;
        Private.Flags = NdisFlags.None;
        Private.NdisPacketFlags = NdisPacketFlags.AllocatedByNdis;
        Oob.Clear();
        Extension.Clear();
        _macReserved.Clear();
        ProtocolReserved.Clear();
        ReceiveReferences = 0;
        DataPathVc = null;
    }

    /// <inheritdoc />
    public override string ToString() => $"NDIS_PACKET#{PoolIndex} of '{Private.Pool.Name}'";
}
