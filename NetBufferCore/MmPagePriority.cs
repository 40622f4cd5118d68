namespace CoNdis.NetBufferCore;

/// <summary>MM_PAGE_PRIORITY for mapping calls (NdisQueryMdl, NdisAllocateMemoryWithTagPriority).</summary>
public enum MmPagePriority
{
    LowPagePriority = 0,
    NormalPagePriority = 16,
    HighPagePriority = 32,
}
