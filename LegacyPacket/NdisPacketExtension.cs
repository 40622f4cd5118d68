using CoNdis.NetBufferCore.Info;

namespace CoNdis.LegacyPacket;

/// <summary>
/// NDIS_PACKET_EXTENSION (ndis.h; NDIS_PACKET_EXTENSION structure, NDIS 5.1 reference):
/// NdisPacketInfo[MaxPerPacketInfo], one PVOID per
/// <see cref="NdisPerPacketInfo"/> slot, read by NDIS_PER_PACKET_INFO_FROM_PACKET(p, id). Each slot
/// has a pointer-sized value (<see cref="this[NdisPerPacketInfo]"/>) and, for slots that point at a
/// structure (IPsec info, SG list, original packet…), an object reference (<see cref="GetPointer"/>).
/// Typed members decode the documented layouts.
/// </summary>
public sealed class NdisPacketExtension : PerSlotInfo
{
    private const int Slots = (int)NdisPerPacketInfo.MaxPerPacketInfo;

    internal NdisPacketExtension()
        : base(Slots)
    {
    }

    /// <summary>NDIS_PER_PACKET_INFO_FROM_PACKET(p, id): the slot's value.</summary>
    public nint this[NdisPerPacketInfo id]
    {
        get => ValueAt(Check(id));
        set => SetValueAt(Check(id), value);
    }

    /// <summary>The object a pointer slot refers to.</summary>
    public object? GetPointer(NdisPerPacketInfo id) => PointerAt(Check(id));

    /// <summary>Sets the object a pointer slot refers to.</summary>
    public void SetPointer(NdisPerPacketInfo id, object? value) => SetPointerAt(Check(id), value);

    /// <summary>TcpIpChecksumPacketInfo (NDIS_TCP_IP_CHECKSUM_PACKET_INFO in the slot).</summary>
    public NdisTcpIpChecksumPacketInfo Checksum
    {
        get => new((uint)ValueAt((int)NdisPerPacketInfo.TcpIpChecksumPacketInfo));
        set => SetValueAt((int)NdisPerPacketInfo.TcpIpChecksumPacketInfo, (nint)value.Value);
    }

    /// <summary>IpSecPacketInfo: the NDIS_IPSEC_PACKET_INFO the slot points at.</summary>
    public object? IpSec
    {
        get => PointerAt((int)NdisPerPacketInfo.IpSecPacketInfo);
        set => SetPointerAt((int)NdisPerPacketInfo.IpSecPacketInfo, value);
    }

    /// <summary>TcpLargeSendPacketInfo: MSS on send, bytes sent on completion.</summary>
    public uint TcpLargeSend
    {
        get => (uint)ValueAt((int)NdisPerPacketInfo.TcpLargeSendPacketInfo);
        set => SetValueAt((int)NdisPerPacketInfo.TcpLargeSendPacketInfo, (nint)value);
    }

    /// <summary>ClassificationHandlePacketInfo (reserved).</summary>
    public nint ClassificationHandle
    {
        get => ValueAt((int)NdisPerPacketInfo.ClassificationHandlePacketInfo);
        set => SetValueAt((int)NdisPerPacketInfo.ClassificationHandlePacketInfo, value);
    }

    /// <summary>ScatterGatherListPacketInfo: the SG list the slot points at.</summary>
    public object? ScatterGatherList
    {
        get => PointerAt((int)NdisPerPacketInfo.ScatterGatherListPacketInfo);
        set => SetPointerAt((int)NdisPerPacketInfo.ScatterGatherListPacketInfo, value);
    }

    /// <summary>Ieee8021QInfo (NDIS_PACKET_8021Q_INFO: the NBL 802.1Q layout).</summary>
    public Ieee8021QInfo Ieee8021Q
    {
        get => new((uint)ValueAt((int)NdisPerPacketInfo.Ieee8021QInfo));
        set => SetValueAt((int)NdisPerPacketInfo.Ieee8021QInfo, (nint)value.Value);
    }

    /// <summary>OriginalPacketInfo: the lowest-level packet of a layered stack.</summary>
    public NdisPacket? OriginalPacket
    {
        get => PointerAt((int)NdisPerPacketInfo.OriginalPacketInfo) as NdisPacket;
        set => SetPointerAt((int)NdisPerPacketInfo.OriginalPacketInfo, value);
    }

    /// <summary>PacketCancelId (a PVOID).</summary>
    public nint CancelId
    {
        get => ValueAt((int)NdisPerPacketInfo.PacketCancelId);
        set => SetValueAt((int)NdisPerPacketInfo.PacketCancelId, value);
    }

    /// <summary>OriginalNetBufferList (Vista+ headers; undocumented).</summary>
    public object? OriginalNetBufferList
    {
        get => PointerAt((int)NdisPerPacketInfo.OriginalNetBufferList);
        set => SetPointerAt((int)NdisPerPacketInfo.OriginalNetBufferList, value);
    }

    /// <summary>CachedNetBufferList (Vista+ headers; undocumented).</summary>
    public object? CachedNetBufferList
    {
        get => PointerAt((int)NdisPerPacketInfo.CachedNetBufferList);
        set => SetPointerAt((int)NdisPerPacketInfo.CachedNetBufferList, value);
    }

    /// <summary>ShortPacketPaddingInfo (Vista+ headers).</summary>
    public nint ShortPacketPadding
    {
        get => ValueAt((int)NdisPerPacketInfo.ShortPacketPaddingInfo);
        set => SetValueAt((int)NdisPerPacketInfo.ShortPacketPaddingInfo, value);
    }




    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Check(NdisPerPacketInfo id)
    {
        if ((uint)id >= Slots)
            ThrowNoSuchSlot(id);
        return (int)id;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn, System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ThrowNoSuchSlot(NdisPerPacketInfo id) =>
        throw new ArgumentOutOfRangeException(nameof(id), $"NDIS_PACKET_EXTENSION has {Slots} slots; {id} is not one of them.");
}
