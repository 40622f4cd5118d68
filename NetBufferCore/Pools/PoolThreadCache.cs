using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CoNdis.NetBufferCore.Pools;

/// <summary>
/// One thread's cache of free objects of one pool, the user-mode counterpart of NDIS's per-processor lookaside lists:
/// only its own thread rents from it and frees into it, so those steps need no interlocked operation; it exchanges
/// objects with the pool's shared depot in batches, one lock per batch. Other threads only read its counts (for the
/// pool's counters and leak report) and, once its thread has died, take its objects back.
/// </summary>
internal sealed class PoolThreadCache
{
    public PoolThreadCache(object pool, int size)
    {
        Pool = pool;
        Items = new PoolSlot[size];
        Owner = Thread.CurrentThread;
    }

    /// <summary>The pool this cache belongs to.</summary>
    public object Pool { get; }

    /// <summary>The thread that owns the cache.</summary>
    public Thread Owner { get; }

    /// <summary>The free objects, a stack: [0, Count).</summary>
    public PoolSlot[] Items { get; }

    /// <summary>Free objects in the cache (written by the owner thread only).</summary>
    public int Count;

    /// <summary>Allocations this thread served from the pool (written by the owner thread only, summed on read).</summary>
    public long Allocations;
}

/// <summary>
/// One slot of a pool's free-object store. A struct around the reference, so storing into an array of them is a
/// plain store (with its write barrier) instead of a covariant array store with a type check per object.
/// </summary>
internal struct PoolSlot
{
    public NdisPoolObject? Item;
}

/// <summary>
/// The calling thread's pool caches, indexed by pool id (a small number a pool holds for its life and gives back when
/// freed), so finding the cache is an array read.
/// </summary>
internal static class PoolThreadCaches
{
    private static readonly ConcurrentStack<int> s_freeIds = new();
    private static int s_nextId = -1;

    [ThreadStatic] private static PoolThreadCache?[]? t_caches;

    /// <summary>A pool id: a recycled one if any, else the next.</summary>
    public static int TakeId() => s_freeIds.TryPop(out int id) ? id : Interlocked.Increment(ref s_nextId);

    /// <summary>Gives back the id of a freed pool.</summary>
    public static void ReleaseId(int id) => s_freeIds.Push(id);

    /// <summary>This thread's cache for pool <paramref name="id"/> when it is <paramref name="pool"/>'s, else null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PoolThreadCache? Find(int id, object pool)
    {
        var caches = t_caches;
        if (caches is not null && (uint)id < (uint)caches.Length)
        {
            var cache = caches[id];
            if (cache is not null && ReferenceEquals(cache.Pool, pool))
                return cache;
        }
        return null;
    }

    /// <summary>Installs <paramref name="cache"/> as this thread's cache for pool <paramref name="id"/>.</summary>
    public static void Install(int id, PoolThreadCache cache)
    {
        var caches = t_caches;
        if (caches is null || id >= caches.Length)
        {
            Array.Resize(ref caches, Math.Max(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)id + 1)));
            t_caches = caches;
        }
        caches[id] = cache;
    }
}
