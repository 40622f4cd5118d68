namespace CoNdis.NetBufferCore.Pools;

/// <summary>
/// Base of every object that NDIS hands out from a pool (MDL, NET_BUFFER, NET_BUFFER_LIST, packet…):
/// it carries the allocation state the pools use to catch double, foreign and use-after-free.
/// </summary>
public abstract class NdisPoolObject
{
    internal const int StateFree = 0;
    internal const int StateAllocated = 1;

    internal int PoolState;
    internal object? OwningPool;

    /// <summary>A number unique within the owning pool, for messages and leak reports.</summary>
    public int PoolIndex { get; internal set; } = -1;

    /// <summary>True while the object is allocated (between allocate and free).</summary>
    public bool IsAllocated => Volatile.Read(ref PoolState) == StateAllocated;
}
