namespace CoNdis.NetBufferCore;

/// <summary>NDIS_CLONE_FLAGS_* for NdisAllocateCloneNetBufferList.</summary>
public static class CloneFlags
{
    /// <summary>NDIS_CLONE_FLAGS_RESERVED (NDIS only).</summary>
    public const uint Reserved = 0x1;

    /// <summary>NDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS: the clone shares the original MDL chain.</summary>
    public const uint UseOriginalMdls = 0x2;
}
