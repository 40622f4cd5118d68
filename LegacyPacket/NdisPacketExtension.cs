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
public sealed class NdisPacketExtension
{
    private const int Slots = (int)NdisPerPacketInfo.MaxPerPacketInfo;
    private readonly nint[] _values = new nint[Slots];
    private readonly PointerSlot[] _pointers = new PointerSlot[Slots];
    private ulong _written;

    internal NdisPacketExtension()
    {
    }

    /// <summary>NDIS_PER_PACKET_INFO_FROM_PACKET(p, id): the slot's value.</summary>
    public nint this[NdisPerPacketInfo id]
    {
        get => _values[Check(id)];
        set => _values[Mark(Check(id))] = value;
    }

    /// <summary>The object a pointer slot refers to.</summary>
    public object? GetPointer(NdisPerPacketInfo id) => _pointers[Check(id)].Value;

    /// <summary>Sets the object a pointer slot refers to.</summary>
    public void SetPointer(NdisPerPacketInfo id, object? value) => _pointers[Mark(Check(id))].Value = value;

    /// <summary>TcpIpChecksumPacketInfo (NDIS_TCP_IP_CHECKSUM_PACKET_INFO in the slot).</summary>
    public NdisTcpIpChecksumPacketInfo Checksum
    {
        get => new((uint)_values[(int)NdisPerPacketInfo.TcpIpChecksumPacketInfo]);
        set => _values[Mark((int)NdisPerPacketInfo.TcpIpChecksumPacketInfo)] = (nint)value.Value;
    }

    /// <summary>IpSecPacketInfo: the NDIS_IPSEC_PACKET_INFO the slot points at.</summary>
    public object? IpSec
    {
        get => _pointers[(int)NdisPerPacketInfo.IpSecPacketInfo].Value;
        set => _pointers[Mark((int)NdisPerPacketInfo.IpSecPacketInfo)].Value = value;
    }

    /// <summary>TcpLargeSendPacketInfo: MSS on send, bytes sent on completion.</summary>
    public uint TcpLargeSend
    {
        get => (uint)_values[(int)NdisPerPacketInfo.TcpLargeSendPacketInfo];
        set => _values[Mark((int)NdisPerPacketInfo.TcpLargeSendPacketInfo)] = (nint)value;
    }

    /// <summary>ClassificationHandlePacketInfo (reserved).</summary>
    public nint ClassificationHandle
    {
        get => _values[(int)NdisPerPacketInfo.ClassificationHandlePacketInfo];
        set => _values[Mark((int)NdisPerPacketInfo.ClassificationHandlePacketInfo)] = value;
    }

    /// <summary>ScatterGatherListPacketInfo: the SG list the slot points at.</summary>
    public object? ScatterGatherList
    {
        get => _pointers[(int)NdisPerPacketInfo.ScatterGatherListPacketInfo].Value;
        set => _pointers[Mark((int)NdisPerPacketInfo.ScatterGatherListPacketInfo)].Value = value;
    }

    /// <summary>Ieee8021QInfo (NDIS_PACKET_8021Q_INFO: the NBL 802.1Q layout).</summary>
    public Ieee8021QInfo Ieee8021Q
    {
        get => new((uint)_values[(int)NdisPerPacketInfo.Ieee8021QInfo]);
        set => _values[Mark((int)NdisPerPacketInfo.Ieee8021QInfo)] = (nint)value.Value;
    }

    /// <summary>OriginalPacketInfo: the lowest-level packet of a layered stack.</summary>
    public NdisPacket? OriginalPacket
    {
        get => _pointers[(int)NdisPerPacketInfo.OriginalPacketInfo].Value as NdisPacket;
        set => _pointers[Mark((int)NdisPerPacketInfo.OriginalPacketInfo)].Value = value;
    }

    /// <summary>PacketCancelId (a PVOID).</summary>
    public nint CancelId
    {
        get => _values[(int)NdisPerPacketInfo.PacketCancelId];
        set => _values[Mark((int)NdisPerPacketInfo.PacketCancelId)] = value;
    }

    /// <summary>OriginalNetBufferList (Vista+ headers; undocumented).</summary>
    public object? OriginalNetBufferList
    {
        get => _pointers[(int)NdisPerPacketInfo.OriginalNetBufferList].Value;
        set => _pointers[Mark((int)NdisPerPacketInfo.OriginalNetBufferList)].Value = value;
    }

    /// <summary>CachedNetBufferList (Vista+ headers; undocumented).</summary>
    public object? CachedNetBufferList
    {
        get => _pointers[(int)NdisPerPacketInfo.CachedNetBufferList].Value;
        set => _pointers[Mark((int)NdisPerPacketInfo.CachedNetBufferList)].Value = value;
    }

    /// <summary>ShortPacketPaddingInfo (Vista+ headers).</summary>
    public nint ShortPacketPadding
    {
        get => _values[(int)NdisPerPacketInfo.ShortPacketPaddingInfo];
        set => _values[Mark((int)NdisPerPacketInfo.ShortPacketPaddingInfo)] = value;
    }

    /// <summary>Zeroes every slot.</summary>
    public void Clear()
    {
        ClearWritten();
    }

    /// <summary>Notes that slot <paramref name="index"/> was written, so clearing touches only written slots.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private int Mark(int index)
    {
        _written |= 1UL << index;
        return index;
    }

    /// <summary>Clears the written slots only (at most a few per packet), value and pointer alike.</summary>
    private void ClearWritten()
    {
        ulong written = _written;
        while (written != 0)
        {
            int index = System.Numerics.BitOperations.TrailingZeroCount(written);
            _values[index] = 0;
            _pointers[index].Value = null;
            written &= written - 1;
        }
        _written = 0;
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
