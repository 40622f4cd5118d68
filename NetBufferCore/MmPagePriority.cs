namespace CoNdis.NetBufferCore;

/// <summary>
/// MM_PAGE_PRIORITY (wdm.h): the Priority argument of the mapping calls of both NDIS generations, NDIS 6's
/// NdisQueryMdl and NdisAllocateMemoryWithTagPriority and NDIS 5's ...Safe buffer calls (NdisQueryBufferSafe,
/// NdisBufferVirtualAddressSafe, NdisGetFirstBufferFromPacketSafe, NdisCopyFromPacketToPacketSafe). One enum, so a
/// ported file that imports both CoNdis.NetBufferCore and CoNdis.LegacyPacket sees one name.
/// </summary>
public enum MmPagePriority
{
    /// <summary>LowPagePriority.</summary>
    LowPagePriority = 0,
    /// <summary>NormalPagePriority.</summary>
    NormalPagePriority = 16,
    /// <summary>HighPagePriority.</summary>
    HighPagePriority = 32,
}
