namespace CoNdis.NetBufferCore.Pools;

/// <summary>
/// NET_BUFFER_LIST_POOL_PARAMETERS (Header type 0x80, revision 1). The legal shapes: no NB; one NB
/// without data (<see cref="AllocateNetBuffer"/>); one NB with an MDL and <see cref="DataSize"/> bytes.
/// </summary>
public readonly record struct NetBufferListPoolParameters
{
    /// <summary>NDIS_PROTOCOL_ID_* given to every NBL (0 for miniports).</summary>
    public byte ProtocolId { get; init; }

    /// <summary>fAllocateNetBuffer: every NBL comes with one pre-allocated NB.</summary>
    public bool AllocateNetBuffer { get; init; }

    /// <summary>Used context bytes every NBL gets; a multiple of MEMORY_ALLOCATION_ALIGNMENT (16).</summary>
    public int ContextSize { get; init; }

    /// <summary>Kernel pool tag.</summary>
    public uint PoolTag { get; init; }

    /// <summary>Data bytes of the pre-allocated NB; non-zero needs <see cref="AllocateNetBuffer"/>.</summary>
    public int DataSize { get; init; }
}
