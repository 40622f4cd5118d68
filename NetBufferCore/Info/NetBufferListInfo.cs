namespace CoNdis.NetBufferCore.Info;

/// <summary>
/// NET_BUFFER_LIST.NetBufferListInfo[]: per-NBL out-of-band values by named slot. NDIS stores a PVOID
/// per slot; here each slot has a pointer-sized value (read by <see cref="this[NetBufferListInfoId]"/>,
/// as NET_BUFFER_LIST_INFO does) and, for the slots that hold a pointer to a structure, an object
/// reference (<see cref="GetPointer"/>). Typed accessors decode the documented layouts.
/// </summary>
public sealed class NetBufferListInfo
{
    private const int Slots = (int)NetBufferListInfoId.MaxNetBufferListInfo;
    private readonly nint[] _values = new nint[Slots];
    private readonly ObjectSlot[] _pointers = new ObjectSlot[Slots];
    private ulong _written;

    /// <summary>NET_BUFFER_LIST_INFO(nbl, id): the slot's value.</summary>
    public nint this[NetBufferListInfoId id]
    {
        get => _values[(int)id];
        set => _values[Mark((int)id)] = value;
    }

    /// <summary>The object a pointer slot refers to (MediaSpecificInformation, IPsec, filtering…).</summary>
    public object? GetPointer(NetBufferListInfoId id) => _pointers[(int)id].Value;

    /// <summary>Sets the object a pointer slot refers to.</summary>
    public void SetPointer(NetBufferListInfoId id, object? value) => _pointers[Mark((int)id)].Value = value;

    /// <summary>TcpIpChecksumNetBufferListInfo.</summary>
    public TcpIpChecksumInfo Checksum
    {
        get => new((uint)_values[(int)NetBufferListInfoId.TcpIpChecksumNetBufferListInfo]);
        set => _values[Mark((int)NetBufferListInfoId.TcpIpChecksumNetBufferListInfo)] = (nint)value.Value;
    }

    /// <summary>TcpLargeSendNetBufferListInfo (LSO v1/v2).</summary>
    public LargeSendOffloadInfo LargeSend
    {
        get => new((ulong)_values[(int)NetBufferListInfoId.TcpLargeSendNetBufferListInfo]);
        set => _values[Mark((int)NetBufferListInfoId.TcpLargeSendNetBufferListInfo)] = (nint)value.Value;
    }

    /// <summary>Ieee8021QNetBufferListInfo.</summary>
    public Ieee8021QInfo Ieee8021Q
    {
        get => new((uint)_values[(int)NetBufferListInfoId.Ieee8021QNetBufferListInfo]);
        set => _values[Mark((int)NetBufferListInfoId.Ieee8021QNetBufferListInfo)] = (nint)value.Value;
    }

    /// <summary>The 802.1p priority (the UserPriority of the 802.1Q slot), NDIS 6's per-NBL priority.</summary>
    public int Priority
    {
        get => Ieee8021Q.UserPriority;
        set
        {
            var tag = Ieee8021Q;
            tag.UserPriority = value;
            Ieee8021Q = tag;
        }
    }

    /// <summary>NetBufferListCancelId (NDIS_GET/SET_NET_BUFFER_LIST_CANCEL_ID).</summary>
    public nint CancelId
    {
        get => _values[(int)NetBufferListInfoId.NetBufferListCancelId];
        set => _values[Mark((int)NetBufferListInfoId.NetBufferListCancelId)] = value;
    }

    /// <summary>NetBufferListHashValue (RSS hash).</summary>
    public uint HashValue
    {
        get => (uint)_values[(int)NetBufferListInfoId.NetBufferListHashValue];
        set => _values[Mark((int)NetBufferListInfoId.NetBufferListHashValue)] = (nint)value;
    }

    /// <summary>NetBufferListHashInfo (hash type and function).</summary>
    public uint HashInfo
    {
        get => (uint)_values[(int)NetBufferListInfoId.NetBufferListHashInfo];
        set => _values[Mark((int)NetBufferListInfoId.NetBufferListHashInfo)] = (nint)value;
    }

    /// <summary>MediaSpecificInformation: media-specific OOB data (pointer slot).</summary>
    public object? MediaSpecificInformation
    {
        get => _pointers[(int)NetBufferListInfoId.MediaSpecificInformation].Value;
        set => _pointers[Mark((int)NetBufferListInfoId.MediaSpecificInformation)].Value = value;
    }

    /// <summary>NetBufferListFrameType: the EtherType on receive (USHORT).</summary>
    public ushort FrameType
    {
        get => (ushort)_values[(int)NetBufferListInfoId.NetBufferListFrameType];
        set => _values[Mark((int)NetBufferListInfoId.NetBufferListFrameType)] = value;
    }

    /// <summary>NetBufferListProtocolId (NDIS_PROTOCOL_ID_*, low nibble).</summary>
    public byte ProtocolId
    {
        get => (byte)(_values[(int)NetBufferListInfoId.NetBufferListProtocolId] & 0x0F);
        set => _values[Mark((int)NetBufferListInfoId.NetBufferListProtocolId)] = value & 0x0F;
    }

    /// <summary>Copies one slot (value and pointer) from <paramref name="source"/>.</summary>
    public void CopySlotFrom(NetBufferListInfo source, NetBufferListInfoId id)
    {
        ArgumentNullException.ThrowIfNull(source);
        _values[Mark((int)id)] = source._values[(int)id];
        _pointers[Mark((int)id)].Value = source._pointers[(int)id].Value;
    }

    /// <summary>Copies every slot from <paramref name="source"/>.</summary>
    public void CopyAllFrom(NetBufferListInfo source)
    {
        ArgumentNullException.ThrowIfNull(source);
        source._values.CopyTo(_values, 0);
        source._pointers.CopyTo(_pointers, 0);
        _written |= source._written;
    }

    /// <summary>True when every slot equals the same slot of <paramref name="other"/>.</summary>
    public bool SlotsEqual(NetBufferListInfo other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!_values.AsSpan().SequenceEqual(other._values))
            return false;
        for (int i = 0; i < Slots; i++)
        {
            if (!ReferenceEquals(_pointers[i].Value, other._pointers[i].Value))
                return false;
        }
        return true;
    }

    /// <summary>Clears every slot (what allocation does).</summary>
    public void Clear() => ClearWritten();

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
}
