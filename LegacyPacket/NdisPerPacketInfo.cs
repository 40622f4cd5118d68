namespace CoNdis.LegacyPacket;

/// <summary>
/// NDIS_PER_PACKET_INFO (ndis.h): the slot indexes of NDIS_PACKET_EXTENSION.NdisPacketInfo[]
/// (NDIS_PACKET_EXTENSION structure, NDIS 5.1 reference). Slots 9–11 exist in Vista+ headers only and have no
/// public description.
/// </summary>
public enum NdisPerPacketInfo
{
    /// <summary>NDIS_TCP_IP_CHECKSUM_PACKET_INFO stored in the slot.</summary>
    TcpIpChecksumPacketInfo = 0,
    /// <summary>Pointer to NDIS_IPSEC_PACKET_INFO.</summary>
    IpSecPacketInfo = 1,
    /// <summary>ULONG: MSS on send; the miniport overwrites it with the bytes sent before completing.</summary>
    TcpLargeSendPacketInfo = 2,
    /// <summary>Reserved.</summary>
    ClassificationHandlePacketInfo = 3,
    /// <summary>Reserved (HeaderIndexInfo in older headers).</summary>
    NdisReserved = 4,
    /// <summary>The scatter-gather list of an SG-DMA miniport.</summary>
    ScatterGatherListPacketInfo = 5,
    /// <summary>NDIS_PACKET_8021Q_INFO (Ieee8021pPriority in older headers).</summary>
    Ieee8021QInfo = 6,
    /// <summary>The original (lowest-level) packet of a layered stack (NDIS_GET/SET_ORIGINAL_PACKET).</summary>
    OriginalPacketInfo = 7,
    /// <summary>The cancel id (NdisGet/SetPacketCancelId).</summary>
    PacketCancelId = 8,
    /// <summary>Vista+ headers only; undocumented.</summary>
    OriginalNetBufferList = 9,
    /// <summary>Vista+ headers only; undocumented.</summary>
    CachedNetBufferList = 10,
    /// <summary>Vista+ headers only.</summary>
    ShortPacketPaddingInfo = 11,
    /// <summary>The array length.</summary>
    MaxPerPacketInfo = 12,
}
