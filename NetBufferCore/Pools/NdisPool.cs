using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore.Pools;

/// <summary>
/// The machinery shared by every NDIS pool: bounded capacity (allocation returns null when exhausted, as the DDIs
/// return NULL), lazy construction of objects, counters, and the verifier checks for double free, foreign free, use
/// after free and leaks at pool free.
/// <para>Fast path: like NDIS's per-processor lookaside lists, each thread keeps a small cache of free objects per
/// pool (<see cref="PoolThreadCache"/>), so a rent or a free on it is a few plain reads and writes, with no
/// interlocked operation; the caches exchange objects with the shared depot in batches of half a cache, one lock per
/// batch. Frees on another thread than the rent (completions on a DPC thread) fill that thread's cache, which spills
/// into the depot, where the renting thread picks them up. Counts are derived instead of kept per operation:
/// outstanding = created − free in the depot − free in the caches; allocations are summed over the caches.</para>
/// <para>The bound: at most <see cref="Capacity"/> objects ever exist. An allocation fails when this thread's cache
/// and the depot are empty and all of them exist; objects free in other live threads' caches (at most
/// <see cref="CacheSize"/> each, see <see cref="PoolCounters.Cached"/>) are not seen then, while those of threads that
/// have ended are taken back first. Small pools (capacity under 64) keep no caches: every operation goes to the
/// depot, so their bound is exact. Checks stay cheap: a double free is caught by the object's state (two threads
/// freeing the same object at the very same instant may go unseen), a foreign free by its owner.</para>
/// </summary>
public abstract class NdisPool<T> where T : NdisPoolObject
{
    /// <summary>Default bound on objects outstanding at once.</summary>
    public const int DefaultCapacity = 16384;

    private const int MaxCacheSize = 64;

    private readonly T?[] _all;
    private readonly PoolSlot[] _depot;
    private readonly Lock _lock = new();
    private readonly List<PoolThreadCache> _caches = [];
    private readonly int _id;
    private int _depotCount;
    private int _created;
    private long _depotAllocations;
    private long _retiredAllocations;
    private int _highWater;
    private long _failures;
    private volatile bool _poolFreed;

    protected NdisPool(NdisHandle handle, string name, int capacity)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Handle = handle;
        Name = name;
        Capacity = capacity;
        CacheSize = capacity < 64 ? 0 : Math.Min(MaxCacheSize, capacity / 32);
        _all = new T?[capacity];
        _depot = new PoolSlot[capacity];
        _id = PoolThreadCaches.TakeId();
    }

    /// <summary>The NDIS handle the pool was allocated with (NdisHandle argument of the DDI).</summary>
    public NdisHandle Handle { get; }

    /// <summary>The verifier that judges this pool's use.</summary>
    public NdisVerifier Verifier => Handle.Verifier;

    /// <summary>A name for messages.</summary>
    public string Name { get; }

    /// <summary>Most objects outstanding at once.</summary>
    public int Capacity { get; }

    /// <summary>Free objects one thread may keep to itself (0: no per-thread caches).</summary>
    public int CacheSize { get; }

    /// <summary>True after the pool itself was freed.</summary>
    public bool IsFreed => _poolFreed;

    /// <summary>Objects allocated and not yet freed (derived: created − free in the depot − free in the caches).</summary>
    public int Outstanding
    {
        get
        {
            lock (_lock)
                return Volatile.Read(ref _created) - _depotCount - CachedLocked();
        }
    }

    /// <summary>The pool's counters now.</summary>
    public PoolCounters Counters
    {
        get
        {
            lock (_lock)
            {
                int cached = CachedLocked();
                long allocations = _depotAllocations + _retiredAllocations;
                foreach (var cache in _caches)
                    allocations += Volatile.Read(ref cache.Allocations);
                int outstanding = Volatile.Read(ref _created) - _depotCount - cached;
                return new PoolCounters(Capacity, Volatile.Read(ref _created), allocations, outstanding,
                    Math.Max(outstanding, _highWater), _failures, cached);
            }
        }
    }

    /// <summary>Constructs one new pooled object (called at most <see cref="Capacity"/> times).</summary>
    protected abstract T CreateObject();

    /// <summary>Takes an object from the pool; null when the pool is exhausted (or freed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected T? Rent()
    {
        if (_poolFreed)
            return RentAfterFree();
        var cache = PoolThreadCaches.Find(_id, this);
        if (cache is not null && cache.Count > 0)
        {
            int at = --cache.Count;
            ref var slot = ref cache.Items[at];
            var item = Unsafe.As<T>(slot.Item!);
            slot.Item = null;
            cache.Allocations++;
            item.PoolState = NdisPoolObject.StateAllocated;
            return item;
        }
        return RentSlow(cache);
    }

    /// <summary>
    /// Gives an object back. Returns false (after reporting the finding) when the free is refused:
    /// a double free, or an object of another pool.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected bool Return(T item, [CallerMemberName] string caller = "")
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!ReferenceEquals(item.OwningPool, this) || item.PoolState != NdisPoolObject.StateAllocated)
            return RefuseReturn(item, caller);
        item.PoolState = NdisPoolObject.StateFree;
        var cache = PoolThreadCaches.Find(_id, this);
        if (cache is not null && cache.Count < cache.Items.Length)
        {
            cache.Items[cache.Count++].Item = item;
            return true;
        }
        ReturnSlow(cache, item);
        return true;
    }

    /// <summary>True when <paramref name="item"/> came from this pool.</summary>
    public bool Owns(T item) => item is not null && ReferenceEquals(item.OwningPool, this);

    /// <summary>
    /// Frees the pool (NdisFree…Pool). Objects still outstanding are a leak: the verifier reports them,
    /// naming up to eight of them. Returns the number of objects that were outstanding.
    /// </summary>
    public int FreePool([CallerMemberName] string caller = "")
    {
        if (_poolFreed)
        {
            Verifier.Report(VerifierRule.DoubleFree, $"pool '{Name}' freed twice", this, null, caller);
            return 0;
        }
        _poolFreed = true;
        int outstanding = Outstanding;
        PoolThreadCaches.ReleaseId(_id);
        if (outstanding > 0)
            Verifier.Report(VerifierRule.LeakAtPoolFree,
                $"pool '{Name}' freed with {outstanding} object(s) outstanding: {DescribeOutstanding(8)}", this, null, caller);
        return outstanding;
    }

    /// <summary>The objects currently allocated from this pool (a diagnostic walk, not for hot paths).</summary>
    public IEnumerable<T> OutstandingObjects()
    {
        int created = Volatile.Read(ref _created);
        for (int i = 0; i < created && i < _all.Length; i++)
        {
            var item = Volatile.Read(ref _all[i]);
            if (item is not null && item.IsAllocated)
                yield return item;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name} '{Name}'";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T? RentAfterFree()
    {
        Verifier.Report(VerifierRule.UseAfterFree, $"allocation from pool '{Name}' after the pool was freed", this);
        return null;
    }

    /// <summary>This thread's cache is empty (or it has none): refill half a cache from the depot, else create, else fail.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private T? RentSlow(PoolThreadCache? cache)
    {
        if (cache is null && CacheSize > 0)
            cache = CreateCache();
        T? item;
        lock (_lock)
        {
            if (_depotCount == 0)
                ReclaimFromEndedThreads();
            if (_depotCount > 0)
            {
                item = Unsafe.As<T>(_depot[--_depotCount].Item!);
                _depot[_depotCount].Item = null;
                if (cache is not null)
                {
                    int take = Math.Min(_depotCount, cache.Items.Length / 2);
                    for (int i = 0; i < take; i++)
                    {
                        ref var from = ref _depot[--_depotCount];
                        cache.Items[cache.Count++].Item = from.Item;
                        from.Item = null;
                    }
                }
            }
            else if (_created < Capacity)
            {
                item = CreateObject();
                item.OwningPool = this;
                item.PoolIndex = _created;
                Volatile.Write(ref _all[_created], item);
                Volatile.Write(ref _created, _created + 1);
            }
            else
            {
                _failures++;
                return null;
            }
            int outstanding = _created - _depotCount - CachedLocked();
            if (outstanding > _highWater)
                _highWater = outstanding;
            if (cache is null)
                _depotAllocations++;
        }
        if (cache is not null)
            cache.Allocations++;
        item.PoolState = NdisPoolObject.StateAllocated;
        return item;
    }

    /// <summary>This thread's cache is full (or it has none): spill half of it into the depot with the object.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReturnSlow(PoolThreadCache? cache, T item)
    {
        if (cache is null && CacheSize > 0)
        {
            cache = CreateCache();
            cache.Items[cache.Count++].Item = item;
            return;
        }
        lock (_lock)
        {
            if (cache is not null)
            {
                int spill = cache.Items.Length / 2;
                for (int i = 0; i < spill; i++)
                {
                    ref var from = ref cache.Items[--cache.Count];
                    _depot[_depotCount++].Item = from.Item;
                    from.Item = null;
                }
            }
            Debug.Assert(_depotCount < _depot.Length, "the depot holds at most every object the pool created");
            _depot[_depotCount++].Item = item;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool RefuseReturn(T item, string caller)
    {
        if (!ReferenceEquals(item.OwningPool, this))
            Verifier.Report(VerifierRule.ForeignFree, $"{item} does not belong to pool '{Name}'", item, this, caller);
        else
            Verifier.Report(VerifierRule.DoubleFree, $"{item} freed twice to pool '{Name}'", item, this, caller);
        return false;
    }

    private PoolThreadCache CreateCache()
    {
        var cache = new PoolThreadCache(this, CacheSize);
        lock (_lock)
            _caches.Add(cache);
        PoolThreadCaches.Install(_id, cache);
        return cache;
    }

    /// <summary>Objects free in the caches (called under the lock; other threads' counts are read as they stand).</summary>
    private int CachedLocked()
    {
        int cached = 0;
        foreach (var cache in _caches)
            cached += Volatile.Read(ref cache.Count);
        return cached;
    }

    /// <summary>Takes back into the depot what the caches of threads that have ended still hold (under the lock).</summary>
    private void ReclaimFromEndedThreads()
    {
        for (int i = _caches.Count - 1; i >= 0; i--)
        {
            var cache = _caches[i];
            if (cache.Owner.IsAlive)
                continue;
            for (int j = 0; j < cache.Count; j++)
            {
                _depot[_depotCount++].Item = cache.Items[j].Item;
                cache.Items[j].Item = null;
            }
            cache.Count = 0;
            _retiredAllocations += cache.Allocations;
            _caches.RemoveAt(i);
        }
    }

    private string DescribeOutstanding(int most)
    {
        var text = new StringBuilder();
        int shown = 0;
        foreach (var item in OutstandingObjects())
        {
            if (shown == most)
            {
                text.Append(", …");
                break;
            }
            if (shown++ > 0)
                text.Append(", ");
            text.Append(item);
        }
        return text.ToString();
    }
}
