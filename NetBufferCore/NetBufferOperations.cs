using CoNdis.NetBufferCore.Info;

namespace CoNdis.NetBufferCore;

/// <summary>Operations over two NBs or two NBLs (copies between them).</summary>
public static class NetBufferOperations
{
    /// <summary>
    /// NdisCopyFromNetBufferToNetBuffer: copies up to <paramref name="bytesToCopy"/> bytes from the source's
    /// used data (from <paramref name="sourceOffset"/> past its data start) into the destination's MDL space
    /// (from <paramref name="destinationOffset"/> past its data start). Model choice (its page leaves
    /// the bounds open, docs/model-choices.md):
    /// the source is bounded by its DataLength, the destination by the end of its MDL chain; the
    /// destination's fields are not updated. The copy is counted.
    /// </summary>
    public static NdisStatus CopyFromNetBufferToNetBuffer(NetBuffer destination, int destinationOffset, int bytesToCopy,
        NetBuffer source, int sourceOffset, out int bytesCopied)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(destinationOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesToCopy);
        ArgumentOutOfRangeException.ThrowIfNegative(sourceOffset);
        destination.CheckAllocated();
        source.CheckAllocated();
        bytesCopied = 0;
        int available = source.DataLength - sourceOffset;
        if (available <= 0 || bytesToCopy == 0 || destination.CurrentMdl is null)
            return NdisStatus.Success;
        var to = new MdlPosition(destination.CurrentMdl, destination.CurrentMdlOffset + destinationOffset).Canonical();
        if (to.Mdl is null || to.Offset > to.Mdl.ByteCount)
            return NdisStatus.Success;
        var from = new MdlPosition(source.CurrentMdl, source.CurrentMdlOffset).Advance(sourceOffset);
        int wanted = Math.Min(bytesToCopy, available);
        Mdl? toMdl = to.Mdl, fromMdl = from.Mdl;
        int toOffset = to.Offset, fromOffset = from.Offset;
        while (bytesCopied < wanted && toMdl is not null && fromMdl is not null)
        {
            int piece = Math.Min(Math.Min(toMdl.ByteCount - toOffset, fromMdl.ByteCount - fromOffset), wanted - bytesCopied);
            fromMdl.Span.Slice(fromOffset, piece).CopyTo(toMdl.Span[toOffset..]);
            bytesCopied += piece;
            toOffset += piece;
            fromOffset += piece;
            if (toOffset == toMdl.ByteCount)
            {
                toMdl = toMdl.Next;
                toOffset = 0;
            }
            if (fromOffset == fromMdl.ByteCount)
            {
                fromMdl = fromMdl.Next;
                fromOffset = 0;
            }
        }
        if (bytesCopied > 0)
            CopyCounters.Count(bytesCopied);
        return NdisStatus.Success;
    }

    private static readonly NetBufferListInfoId[] s_sendSlots =
    [
        NetBufferListInfoId.TcpIpChecksumNetBufferListInfo, NetBufferListInfoId.IPsecOffloadV1NetBufferListInfo,
        NetBufferListInfoId.TcpLargeSendNetBufferListInfo, NetBufferListInfoId.Ieee8021QNetBufferListInfo,
        NetBufferListInfoId.MediaSpecificInformation, NetBufferListInfoId.NetBufferListCancelId,
        NetBufferListInfoId.NetBufferListProtocolId, NetBufferListInfoId.IPsecOffloadV2TunnelNetBufferListInfo,
        NetBufferListInfoId.IPsecOffloadV2HeaderNetBufferListInfo, NetBufferListInfoId.VirtualSubnetInfo,
        NetBufferListInfoId.NetBufferListFilteringInfo,
    ];

    private static readonly NetBufferListInfoId[] s_receiveSlots =
    [
        NetBufferListInfoId.TcpIpChecksumNetBufferListInfo, NetBufferListInfoId.IPsecOffloadV1NetBufferListInfo,
        NetBufferListInfoId.TcpReceiveNoPush, NetBufferListInfoId.Ieee8021QNetBufferListInfo,
        NetBufferListInfoId.MediaSpecificInformation, NetBufferListInfoId.NetBufferListFrameType,
        NetBufferListInfoId.NetBufferListHashValue, NetBufferListInfoId.NetBufferListHashInfo,
        NetBufferListInfoId.IPsecOffloadV2TunnelNetBufferListInfo, NetBufferListInfoId.IPsecOffloadV2HeaderNetBufferListInfo,
        NetBufferListInfoId.VirtualSubnetInfo, NetBufferListInfoId.NetBufferListFilteringInfo,
    ];

    /// <summary>The slots NdisCopySendNetBufferListInfo copies (as its reference page lists them).</summary>
    public static IReadOnlyList<NetBufferListInfoId> SendInfoSlots => s_sendSlots;

    /// <summary>The slots NdisCopyReceiveNetBufferListInfo copies (as its reference page lists them).</summary>
    public static IReadOnlyList<NetBufferListInfoId> ReceiveInfoSlots => s_receiveSlots;

    /// <summary>NdisCopySendNetBufferListInfo: copies the send-side info slots.</summary>
    public static void CopySendNetBufferListInfo(NetBufferList destination, NetBufferList source) => CopySlots(destination, source, s_sendSlots);

    /// <summary>NdisCopyReceiveNetBufferListInfo: copies the receive-side info slots.</summary>
    public static void CopyReceiveNetBufferListInfo(NetBufferList destination, NetBufferList source) => CopySlots(destination, source, s_receiveSlots);

    private static void CopySlots(NetBufferList destination, NetBufferList source, NetBufferListInfoId[] slots)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        foreach (var id in slots)
            destination.Info.CopySlotFrom(source.Info, id);
    }
}
