using CoNdis.NetBufferCore.Pools;

namespace CoNdis.NetBufferCore.Memory;

/// <summary>
/// A pool of fixed-size blocks of pinned memory, carved from pinned slabs of about 64 KiB that are
/// allocated lazily. Data buffers for NBs, retreat allocations and packet data come from here, so
/// the steady state allocates nothing.
/// </summary>
public sealed class MemoryBlockPool : NdisPool<MemoryBlock>
{
    private const int SlabBytes = 64 * 1024;
    private byte[]? _slab;
    private int _slabUsed;

    public MemoryBlockPool(NdisHandle handle, int blockSize, int capacity = DefaultCapacity, string? name = null)
        : base(handle, name ?? $"memory {blockSize} B", capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        BlockSize = blockSize;
    }

    /// <summary>Bytes per block.</summary>
    public int BlockSize { get; }

    /// <summary>Takes a block, or null when the pool is exhausted.</summary>
    public MemoryBlock? Allocate() => Rent();

    /// <summary>Gives a block back.</summary>
    public bool Free(MemoryBlock block) => Return(block);

    /// <inheritdoc />
    protected override MemoryBlock CreateObject()
    {
        // Called under the pool's creation lock. Blocks are 64-byte aligned inside their slab.
        int stride = (BlockSize + 63) & ~63;
        if (stride >= SlabBytes)
            return new MemoryBlock(new NdisMemory(GC.AllocateArray<byte>(BlockSize, pinned: true), 0, BlockSize));
        if (_slab is null || _slabUsed + stride > _slab.Length)
        {
            _slab = GC.AllocateArray<byte>(SlabBytes, pinned: true);
            _slabUsed = 0;
        }
        var block = new MemoryBlock(new NdisMemory(_slab, _slabUsed, BlockSize));
        _slabUsed += stride;
        return block;
    }
}
