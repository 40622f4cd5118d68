namespace CoNdis.LegacyPacket;

/// <summary>
/// The fPACKET_* bits of NDIS_PACKET_PRIVATE.NdisPacketFlags (ndis.h).
/// </summary>
[Flags]
public enum NdisPacketFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>fPACKET_WRAPPER_RESERVED: bits NDIS keeps for itself.</summary>
    WrapperReserved = 0x3F,
    /// <summary>fPACKET_CONTAINS_MEDIA_SPECIFIC_INFO: the OOB block carries media-specific information.</summary>
    ContainsMediaSpecificInfo = 0x40,
    /// <summary>fPACKET_ALLOCATED_BY_NDIS: the descriptor came from NdisAllocatePacket (media-specific OOB info needs it).</summary>
    AllocatedByNdis = 0x80,
}
