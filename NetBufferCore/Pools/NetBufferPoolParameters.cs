namespace CoNdis.NetBufferCore.Pools;

/// <summary>NET_BUFFER_POOL_PARAMETERS (Header type 0x80, revision 1): pool tag and data size per NB.</summary>
public readonly record struct NetBufferPoolParameters
{
    /// <summary>Kernel pool tag (kept for diagnostics).</summary>
    public uint PoolTag { get; init; }

    /// <summary>Bytes of data pre-allocated per NB (NdisAllocateNetBufferMdlAndData); 0 for none.</summary>
    public int DataSize { get; init; }
}
