using CoNdis.NetBufferCore.Pools;

namespace CoNdis.NetBufferCore.Memory;

/// <summary>One fixed-size block of pinned memory handed out by a <see cref="MemoryBlockPool"/>.</summary>
public sealed class MemoryBlock : NdisPoolObject
{
    internal MemoryBlock(NdisMemory memory) => Memory = memory;

    /// <summary>The block's memory.</summary>
    public NdisMemory Memory { get; }

    /// <inheritdoc />
    public override string ToString() => $"MemoryBlock#{PoolIndex} {Memory}";
}
