using CoNdis.NetBufferCore.Info;

namespace CoNdis.LegacyPacket;

/// <summary>
/// NDIS_PACKET_EXTENSION (ndis.h; spec §7.2): NdisPacketInfo[MaxPerPacketInfo], one PVOID per
/// <see cref="NdisPerPacketInfo"/> slot, read by NDIS_PER_PACKET_INFO_FROM_PACKET(p, id). Each slot
/// has a pointer-sized value (<see cref="this[NdisPerPacketInfo]"/>) and, for slots that point at a
/// structure (IPsec info, SG list, original packet…), an object reference (<see cref="GetPointer"/>).
/// Typed members decode the documented layouts.
/// </summary>
public sealed class NdisPacketExtension
{
    private const int Slots = (int)NdisPerPacketInfo.MaxPerPacketInfo;
    private readonly nint[] _values = new nint[Slots];
    private readonly object?[] _pointers = new object?[Slots];

    internal NdisPacketExtension()
    {
    }

    /// <summary>NDIS_PER_PACKET_INFO_FROM_PACKET(p, id): the slot's value.</summary>
    public nint this[NdisPerPacketInfo id]
    {
        get => _values[Check(id)];
        set => _values[Check(id)] = value;
    }

    /// <summary>The object a pointer slot refers to.</summary>
    public object? GetPointer(NdisPerPacketInfo id) => _pointers[Check(id)];

    /// <summary>Sets the object a pointer slot refers to.</summary>
    public void SetPointer(NdisPerPacketInfo id, object? value) => _pointers[Check(id)] = value;

    /// <summary>TcpIpChecksumPacketInfo (NDIS_TCP_IP_CHECKSUM_PACKET_INFO in the slot).</summary>
    public NdisTcpIpChecksumPacketInfo Checksum
    {
        get => new((uint)_values[(int)NdisPerPacketInfo.TcpIpChecksumPacketInfo]);
        set => _values[(int)NdisPerPacketInfo.TcpIpChecksumPacketInfo] = (nint)value.Value;
    }

    /// <summary>IpSecPacketInfo: the NDIS_IPSEC_PACKET_INFO the slot points at.</summary>
    public object? IpSec
    {
        get => _pointers[(int)NdisPerPacketInfo.IpSecPacketInfo];
        set => _pointers[(int)NdisPerPacketInfo.IpSecPacketInfo] = value;
    }

    /// <summary>TcpLargeSendPacketInfo: MSS on send, bytes sent on completion.</summary>
    public uint TcpLargeSend
    {
        get => (uint)_values[(int)NdisPerPacketInfo.TcpLargeSendPacketInfo];
        set => _values[(int)NdisPerPacketInfo.TcpLargeSendPacketInfo] = (nint)value;
    }

    /// <summary>ClassificationHandlePacketInfo (reserved).</summary>
    public nint ClassificationHandle
    {
        get => _values[(int)NdisPerPacketInfo.ClassificationHandlePacketInfo];
        set => _values[(int)NdisPerPacketInfo.ClassificationHandlePacketInfo] = value;
    }

    /// <summary>ScatterGatherListPacketInfo: the SG list the slot points at.</summary>
    public object? ScatterGatherList
    {
        get => _pointers[(int)NdisPerPacketInfo.ScatterGatherListPacketInfo];
        set => _pointers[(int)NdisPerPacketInfo.ScatterGatherListPacketInfo] = value;
    }

    /// <summary>Ieee8021QInfo (NDIS_PACKET_8021Q_INFO: the NBL 802.1Q layout).</summary>
    public Ieee8021QInfo Ieee8021Q
    {
        get => new((uint)_values[(int)NdisPerPacketInfo.Ieee8021QInfo]);
        set => _values[(int)NdisPerPacketInfo.Ieee8021QInfo] = (nint)value.Value;
    }

    /// <summary>OriginalPacketInfo: the lowest-level packet of a layered stack.</summary>
    public NdisPacket? OriginalPacket
    {
        get => _pointers[(int)NdisPerPacketInfo.OriginalPacketInfo] as NdisPacket;
        set => _pointers[(int)NdisPerPacketInfo.OriginalPacketInfo] = value;
    }

    /// <summary>PacketCancelId (a PVOID).</summary>
    public nint CancelId
    {
        get => _values[(int)NdisPerPacketInfo.PacketCancelId];
        set => _values[(int)NdisPerPacketInfo.PacketCancelId] = value;
    }

    /// <summary>OriginalNetBufferList (Vista+ headers; undocumented).</summary>
    public object? OriginalNetBufferList
    {
        get => _pointers[(int)NdisPerPacketInfo.OriginalNetBufferList];
        set => _pointers[(int)NdisPerPacketInfo.OriginalNetBufferList] = value;
    }

    /// <summary>CachedNetBufferList (Vista+ headers; undocumented).</summary>
    public object? CachedNetBufferList
    {
        get => _pointers[(int)NdisPerPacketInfo.CachedNetBufferList];
        set => _pointers[(int)NdisPerPacketInfo.CachedNetBufferList] = value;
    }

    /// <summary>ShortPacketPaddingInfo (Vista+ headers).</summary>
    public nint ShortPacketPadding
    {
        get => _values[(int)NdisPerPacketInfo.ShortPacketPaddingInfo];
        set => _values[(int)NdisPerPacketInfo.ShortPacketPaddingInfo] = value;
    }

    /// <summary>Zeroes every slot.</summary>
    public void Clear()
    {
        _values.AsSpan().Clear();
        _pointers.AsSpan().Clear();
    }

    private static int Check(NdisPerPacketInfo id)
    {
        if ((uint)id >= Slots)
            throw new ArgumentOutOfRangeException(nameof(id), $"NDIS_PACKET_EXTENSION has {Slots} slots; {id} is not one of them.");
        return (int)id;
    }
}
