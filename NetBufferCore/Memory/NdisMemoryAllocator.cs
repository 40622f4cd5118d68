namespace CoNdis.NetBufferCore.Memory;

/// <summary>
/// NDIS's general allocator for one handle (NdisAllocateMemoryWithTagPriority): size classes of
/// pooled pinned blocks, so retreat allocations and reassembly buffers do not allocate in steady state.
/// Requests above the largest class get a pinned array of their own (counted as large).
/// </summary>
public sealed class NdisMemoryAllocator
{
    private static readonly int[] s_classes = [64, 128, 256, 512, 1024, 2048, 4096, 9216, 16384, 65536];
    private readonly MemoryBlockPool[] _pools;
    private long _largeAllocations;

    internal NdisMemoryAllocator(NdisHandle handle, int capacityPerClass)
    {
        _pools = new MemoryBlockPool[s_classes.Length];
        for (int i = 0; i < s_classes.Length; i++)
            _pools[i] = new MemoryBlockPool(handle, s_classes[i], capacityPerClass, $"{handle.Name} memory {s_classes[i]} B");
    }

    /// <summary>Requests served outside the size classes.</summary>
    public long LargeAllocations => Interlocked.Read(ref _largeAllocations);

    /// <summary>The size-class pools, smallest first.</summary>
    public IReadOnlyList<MemoryBlockPool> Classes => _pools;

    /// <summary>A block of at least <paramref name="length"/> bytes, or null when its class is exhausted.</summary>
    public MemoryBlock? Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        foreach (var pool in _pools)
        {
            if (pool.BlockSize >= length)
                return pool.Allocate();
        }
        Interlocked.Increment(ref _largeAllocations);
        return new MemoryBlock(new NdisMemory(GC.AllocateArray<byte>(length, pinned: true), 0, length));
    }

    /// <summary>Gives a block back to the class it came from (large blocks go to the GC).</summary>
    public void Free(MemoryBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.OwningPool is MemoryBlockPool pool)
        {
            if (Array.IndexOf(_pools, pool) < 0)
                pool.Verifier.Report(Verifier.VerifierRule.ForeignFree, $"{block} belongs to '{pool.Name}', not to this allocator", block, pool);
            else
                pool.Free(block);
        }
    }
}
