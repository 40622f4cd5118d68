namespace CoNdis.LegacyPacket;

/// <summary>
/// MM_PAGE_PRIORITY (wdm.h), the Priority argument of the ...Safe buffer DDIs
/// (NdisQueryBufferSafe, NdisBufferVirtualAddressSafe, NdisGetFirstBufferFromPacketSafe,
/// NdisCopyFromPacketToPacketSafe).
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
