namespace CoNdis.NetBufferCore.Info;

/// <summary>
/// NET_BUFFER_LIST.NetBufferListInfo[]: per-NBL out-of-band values by named slot. NDIS stores a PVOID
/// per slot; here each slot has a pointer-sized value (read by <see cref="this[NetBufferListInfoId]"/>,
/// as NET_BUFFER_LIST_INFO does) and, for the slots that hold a pointer to a structure, an object
/// reference (<see cref="GetPointer"/>). Typed accessors decode the documented layouts.
/// </summary>
public sealed class NetBufferListInfo : PerSlotInfo
{
    private const int Slots = (int)NetBufferListInfoId.MaxNetBufferListInfo;

    /// <summary>An empty info array (every NBL has one).</summary>
    public NetBufferListInfo()
        : base(Slots)
    {
    }

    /// <summary>NET_BUFFER_LIST_INFO(nbl, id): the slot's value.</summary>
    public nint this[NetBufferListInfoId id]
    {
        get => ValueAt((int)id);
        set => SetValueAt((int)id, value);
    }

    /// <summary>The object a pointer slot refers to (MediaSpecificInformation, IPsec, filtering…).</summary>
    public object? GetPointer(NetBufferListInfoId id) => PointerAt((int)id);

    /// <summary>Sets the object a pointer slot refers to.</summary>
    public void SetPointer(NetBufferListInfoId id, object? value) => SetPointerAt((int)id, value);

    /// <summary>TcpIpChecksumNetBufferListInfo.</summary>
    public TcpIpChecksumInfo Checksum
    {
        get => new((uint)ValueAt((int)NetBufferListInfoId.TcpIpChecksumNetBufferListInfo));
        set => SetValueAt((int)NetBufferListInfoId.TcpIpChecksumNetBufferListInfo, (nint)value.Value);
    }

    /// <summary>TcpLargeSendNetBufferListInfo (LSO v1/v2).</summary>
    public LargeSendOffloadInfo LargeSend
    {
        get => new((ulong)ValueAt((int)NetBufferListInfoId.TcpLargeSendNetBufferListInfo));
        set => SetValueAt((int)NetBufferListInfoId.TcpLargeSendNetBufferListInfo, (nint)value.Value);
    }

    /// <summary>Ieee8021QNetBufferListInfo.</summary>
    public Ieee8021QInfo Ieee8021Q
    {
        get => new((uint)ValueAt((int)NetBufferListInfoId.Ieee8021QNetBufferListInfo));
        set => SetValueAt((int)NetBufferListInfoId.Ieee8021QNetBufferListInfo, (nint)value.Value);
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
        get => ValueAt((int)NetBufferListInfoId.NetBufferListCancelId);
        set => SetValueAt((int)NetBufferListInfoId.NetBufferListCancelId, value);
    }

    /// <summary>NetBufferListHashValue (RSS hash).</summary>
    public uint HashValue
    {
        get => (uint)ValueAt((int)NetBufferListInfoId.NetBufferListHashValue);
        set => SetValueAt((int)NetBufferListInfoId.NetBufferListHashValue, (nint)value);
    }

    /// <summary>NetBufferListHashInfo (hash type and function).</summary>
    public uint HashInfo
    {
        get => (uint)ValueAt((int)NetBufferListInfoId.NetBufferListHashInfo);
        set => SetValueAt((int)NetBufferListInfoId.NetBufferListHashInfo, (nint)value);
    }

    /// <summary>MediaSpecificInformation: media-specific OOB data (pointer slot).</summary>
    public object? MediaSpecificInformation
    {
        get => PointerAt((int)NetBufferListInfoId.MediaSpecificInformation);
        set => SetPointerAt((int)NetBufferListInfoId.MediaSpecificInformation, value);
    }

    /// <summary>NetBufferListFrameType: the EtherType on receive (USHORT).</summary>
    public ushort FrameType
    {
        get => (ushort)ValueAt((int)NetBufferListInfoId.NetBufferListFrameType);
        set => SetValueAt((int)NetBufferListInfoId.NetBufferListFrameType, value);
    }

    /// <summary>NetBufferListProtocolId (NDIS_PROTOCOL_ID_*, low nibble).</summary>
    public byte ProtocolId
    {
        get => (byte)(ValueAt((int)NetBufferListInfoId.NetBufferListProtocolId) & 0x0F);
        set => SetValueAt((int)NetBufferListInfoId.NetBufferListProtocolId, value & 0x0F);
    }

    /// <summary>Copies one slot (value and pointer) from <paramref name="source"/>.</summary>
    public void CopySlotFrom(NetBufferListInfo source, NetBufferListInfoId id) => base.CopySlotFrom(source, (int)id);

    /// <summary>Copies every slot from <paramref name="source"/>.</summary>
    public void CopyAllFrom(NetBufferListInfo source) => CopyAllSlotsFrom(source);

    /// <summary>True when every slot equals the same slot of <paramref name="other"/>.</summary>
    public bool SlotsEqual(NetBufferListInfo other) => AllSlotsEqual(other);
}
