using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;

namespace CoNdis.Translation;

/// <summary>
/// Per-NBL information ⇄ per-packet information and OOB data, the project's mapping (the slots pair up by name
/// in ndis.h and nblinfo.h; how NDIS translates them is not documented, docs/model-choices.md):
/// <list type="bullet">
/// <item>TcpIpChecksumNetBufferListInfo ⇄ TcpIpChecksumPacketInfo: the common prefix of the two layouts
/// (bits 0–6: the five transmit and seven receive bits, as ndis.h and nblchecksum.h lay them out).
/// NDIS 6-only bits (Transmit.TcpHeaderOffset,
/// the receive *ValueInvalid bits) have no 5.x field and are dropped.</item>
/// <item>IPsecOffloadV1NetBufferListInfo ⇄ IpSecPacketInfo (pointer), ClassificationHandle ⇄ ClassificationHandle.</item>
/// <item>TcpLargeSendNetBufferListInfo LSO v1 ⇄ TcpLargeSendPacketInfo: the MSS (20 bits) only; 5.x has no
/// TcpHeaderOffset. LSO v2 cannot be translated (checked by the caller).</item>
/// <item>Ieee8021QNetBufferListInfo ⇄ Ieee8021QInfo: same layout, copied as is; the NBL priority is its
/// UserPriority, so priority travels with it.</item>
/// <item>NetBufferListCancelId ⇄ PacketCancelId.</item>
/// <item>MediaSpecificInformation ⇄ OOB MediaSpecificInformation + SizeMediaSpecificInfo (the size rides in the
/// NBL context of translation NBLs; for other NBLs it is the length of a byte[] and 0 otherwise).</item>
/// <item>NetBufferListProtocolId ⇄ NDIS_FLAGS low nibble; NDIS_NBL_FLAGS_IS_LOOPBACK_PACKET ⇄ NDIS_FLAGS_IS_LOOPBACK_PACKET.</item>
/// <item>NBL Status ⇄ OOB Status.</item>
/// <item>OOB HeaderSize, TimeSent/TimeToSend, TimeReceived and the other NDIS_FLAGS: carried in the NBL context
/// (<see cref="CarriedOob"/>); NBLs without it get <see cref="TranslatorOptions.DefaultHeaderSize"/> and zeros.</item>
/// <item>Not mapped: OriginalPacketInfo (NBL context/derived NBLs replace stacking), ScatterGatherListPacketInfo
/// (per NET_BUFFER, the DMA layer's).</item>
/// </list>
/// </summary>
internal static class InfoMapping
{
    /// <summary>The checksum bits both layouts define (NDIS_TCP_IP_CHECKSUM_PACKET_INFO in ndis.h,
    /// NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO in nblchecksum.h).</summary>
    public const uint ChecksumCommonBits = 0x7F;

    /// <summary>The MSS field of LSO v1 (20 bits).</summary>
    public const uint MssMask = 0xFFFFF;

    /// <summary>True when the NBL asks for an offload a 5.x driver cannot be given (LSO v2).</summary>
    public static bool HasUnsupportedOffload(NetBufferList nbl)
    {
        var lso = nbl.Info.LargeSend;
        return lso.Value != 0 && lso.Type == LargeSendOffloadInfo.V2Type;
    }

    /// <summary>True when the NBL asks for LSO v1 (bytes sent come back at completion).</summary>
    public static bool HasLargeSendV1(NetBufferList nbl)
    {
        var lso = nbl.Info.LargeSend;
        return lso.Type == LargeSendOffloadInfo.V1Type && lso.Mss != 0;
    }

    /// <summary>
    /// Fills a fresh packet's per-packet info, OOB data and flags from its NBL. A fresh packet's slots are all zero, so
    /// only the slots with something to say are written (and so cleared again when the packet is freed).
    /// </summary>
    public static void ToPacket(NetBufferList nbl, NdisPacket packet, uint defaultHeaderSize)
    {
        var info = nbl.Info;
        var extension = packet.Extension;
        uint checksum = info.Checksum.Value & ChecksumCommonBits;
        if (checksum != 0)
            extension.Checksum = new NdisTcpIpChecksumPacketInfo(checksum);
        if (info.GetPointer(NetBufferListInfoId.IPsecOffloadV1NetBufferListInfo) is { } ipsec)
            extension.IpSec = ipsec;
        var lso = info.LargeSend;
        if (lso.Type == LargeSendOffloadInfo.V1Type && lso.Mss != 0)
            extension.TcpLargeSend = (uint)lso.Mss;
        if (info[NetBufferListInfoId.ClassificationHandleNetBufferListInfo] is var classification and not 0)
            extension.ClassificationHandle = classification;
        if (info.Ieee8021Q is { Value: not 0 } tag)
            extension.Ieee8021Q = tag;
        if (info.CancelId is var cancelId and not 0)
            extension.CancelId = cancelId;
        packet.Status = nbl.Status;

        NdisFlags flags;
        var mediaSpecific = info.MediaSpecificInformation;
        if (CarriedOob.TryRead(nbl, out var carried))
        {
            flags = carried.Flags & ~NdisFlags.ProtocolIdMask;
            packet.HeaderSize = carried.HeaderSize;
            packet.TimeSent = carried.TimeSent;
            packet.TimeReceived = carried.TimeReceived;
            if (mediaSpecific is not null)
                packet.SetMediaSpecificInfo(mediaSpecific, carried.SizeMediaSpecificInfo);
        }
        else
        {
            flags = (nbl.NblFlags & NblFlags.IsLoopbackPacket) != 0 ? NdisFlags.IsLoopbackPacket : NdisFlags.None;
            packet.HeaderSize = defaultHeaderSize;
            if (mediaSpecific is not null)
                packet.SetMediaSpecificInfo(mediaSpecific, mediaSpecific is byte[] bytes ? (uint)bytes.Length : 0);
        }
        Ndis5.SetSendFlags(packet, flags | (NdisFlags)info.ProtocolId);
    }

    /// <summary>
    /// Fills a fresh NBL's info, flags and status from a packet, and writes the carried OOB record. A fresh NBL's info
    /// slots are zero (but for the pool's protocol ID), so only slots with something to say are written.
    /// </summary>
    public static void ToNetBufferList(NdisPacket packet, NetBufferList nbl)
    {
        var info = nbl.Info;
        var extension = packet.Extension;
        uint checksum = extension.Checksum.Value & ChecksumCommonBits;
        if (checksum != 0)
            info.Checksum = new TcpIpChecksumInfo(checksum);
        if (extension.IpSec is { } ipsec)
            info.SetPointer(NetBufferListInfoId.IPsecOffloadV1NetBufferListInfo, ipsec);
        uint mss = extension.TcpLargeSend & MssMask;
        if (mss != 0)
            info.LargeSend = new LargeSendOffloadInfo { Mss = (int)mss, Type = LargeSendOffloadInfo.V1Type };
        if (extension.ClassificationHandle is var classification and not 0)
            info[NetBufferListInfoId.ClassificationHandleNetBufferListInfo] = classification;
        if (extension.Ieee8021Q is { Value: not 0 } tag)
            info.Ieee8021Q = tag;
        if (extension.CancelId is var cancelId and not 0)
            info.CancelId = cancelId;
        packet.GetMediaSpecificInfo(out var mediaSpecific, out uint mediaSpecificSize);
        if (mediaSpecific is not null)
            info.MediaSpecificInformation = mediaSpecific;
        var flags = packet.Private.Flags;
        info.ProtocolId = (byte)(flags & NdisFlags.ProtocolIdMask);
        if ((flags & NdisFlags.IsLoopbackPacket) != 0)
            nbl.NblFlags |= NblFlags.IsLoopbackPacket;
        nbl.Status = packet.Status;
        CarriedOob.FromPacket(packet, mediaSpecificSize).WriteTo(nbl);
    }
}
