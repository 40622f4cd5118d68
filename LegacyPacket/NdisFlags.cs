namespace CoNdis.LegacyPacket;

/// <summary>
/// NDIS_FLAGS_* (ndis.h): the send flags kept in NDIS_PACKET_PRIVATE.Flags. The low nibble is the
/// protocol id (NDIS_PROTOCOL_ID_*); the rest are the documented bits (spec Appendix A.4).
/// </summary>
[Flags]
public enum NdisFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>NDIS_FLAGS_PROTOCOL_ID_MASK: the protocol id (NDIS_GET_PACKET_PROTOCOL_TYPE).</summary>
    ProtocolIdMask = 0x0000000F,
    /// <summary>NDIS_FLAGS_MULTICAST_PACKET.</summary>
    MulticastPacket = 0x00000010,
    /// <summary>NDIS_FLAGS_RESERVED2.</summary>
    Reserved2 = 0x00000020,
    /// <summary>NDIS_FLAGS_RESERVED3.</summary>
    Reserved3 = 0x00000040,
    /// <summary>NDIS_FLAGS_DONT_LOOPBACK: NDIS 5 loops back by default; this opts out.</summary>
    DontLoopback = 0x00000080,
    /// <summary>NDIS_FLAGS_IS_LOOPBACK_PACKET.</summary>
    IsLoopbackPacket = 0x00000100,
    /// <summary>NDIS_FLAGS_LOOPBACK_ONLY.</summary>
    LoopbackOnly = 0x00000200,
    /// <summary>NDIS_FLAGS_RESERVED4.</summary>
    Reserved4 = 0x00000400,
    /// <summary>NDIS_FLAGS_DOUBLE_BUFFERED.</summary>
    DoubleBuffered = 0x00000800,
    /// <summary>NDIS_FLAGS_SENT_AT_DPC.</summary>
    SentAtDpc = 0x00001000,
    /// <summary>NDIS_FLAGS_USES_SG_BUFFER_LIST.</summary>
    UsesSgBufferList = 0x00002000,
    /// <summary>NDIS_FLAGS_USES_ORIGINAL_PACKET.</summary>
    UsesOriginalPacket = 0x00004000,
    /// <summary>NDIS_FLAGS_PADDED.</summary>
    Padded = 0x00010000,
    /// <summary>NDIS_FLAGS_XLATE_AT_TOP.</summary>
    XlateAtTop = 0x00020000,
}
