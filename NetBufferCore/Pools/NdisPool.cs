using System.Text;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore.Pools;

/// <summary>
/// The machinery shared by every NDIS pool: bounded capacity (allocation returns null when exhausted,
/// as the DDIs return NULL), a lock-free free list, lazy construction of objects, counters, and the
/// verifier checks for double free, foreign free, use after free and leaks at pool free.
/// </summary>
public abstract class NdisPool<T> where T : NdisPoolObject
{
    /// <summary>Default bound on objects outstanding at once.</summary>
    public const int DefaultCapacity = 16384;

    private readonly FreeList<T> _free;
    private readonly T?[] _all;
    private readonly object _createLock = new();
    private int _created;
    private long _allocations;
    private int _outstanding;
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
        _free = new FreeList<T>(capacity);
        _all = new T?[capacity];
    }

    /// <summary>The NDIS handle the pool was allocated with (NdisHandle argument of the DDI).</summary>
    public NdisHandle Handle { get; }

    /// <summary>The verifier that judges this pool's use.</summary>
    public NdisVerifier Verifier => Handle.Verifier;

    /// <summary>A name for messages.</summary>
    public string Name { get; }

    /// <summary>Most objects outstanding at once.</summary>
    public int Capacity { get; }

    /// <summary>True after the pool itself was freed.</summary>
    public bool IsFreed => _poolFreed;

    /// <summary>Objects allocated and not yet freed (one read, unlike the <see cref="Counters"/> snapshot).</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>The pool's counters now.</summary>
    public PoolCounters Counters => new(Capacity, Volatile.Read(ref _created), Interlocked.Read(ref _allocations),
        Volatile.Read(ref _outstanding), Volatile.Read(ref _highWater), Interlocked.Read(ref _failures));

    /// <summary>Constructs one new pooled object (called at most <see cref="Capacity"/> times).</summary>
    protected abstract T CreateObject();

    /// <summary>Takes an object from the pool; null when the pool is exhausted (or freed).</summary>
    protected T? Rent()
    {
        if (_poolFreed)
        {
            Verifier.Report(VerifierRule.UseAfterFree, $"allocation from pool '{Name}' after the pool was freed", this);
            return null;
        }
        if (!_free.TryPop(out var item))
        {
            item = TryCreate();
            if (item is null)
            {
                Interlocked.Increment(ref _failures);
                return null;
            }
        }
        item!.PoolState = NdisPoolObject.StateAllocated;
        Interlocked.Increment(ref _allocations);
        int outstanding = Interlocked.Increment(ref _outstanding);
        if (outstanding > Volatile.Read(ref _highWater))
            RaiseHighWater(outstanding);
        return item;
    }

    /// <summary>
    /// Gives an object back. Returns false (after reporting the finding) when the free is refused:
    /// a double free, an object of another pool, or a free after the pool itself was freed.
    /// </summary>
    protected bool Return(T item, [System.Runtime.CompilerServices.CallerMemberName] string caller = "")
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!ReferenceEquals(item.OwningPool, this))
        {
            Verifier.Report(VerifierRule.ForeignFree, $"{item} does not belong to pool '{Name}'", item, this, caller);
            return false;
        }
        if (Interlocked.CompareExchange(ref item.PoolState, NdisPoolObject.StateFree, NdisPoolObject.StateAllocated)
            != NdisPoolObject.StateAllocated)
        {
            Verifier.Report(VerifierRule.DoubleFree, $"{item} freed twice to pool '{Name}'", item, this, caller);
            return false;
        }
        Interlocked.Decrement(ref _outstanding);
        _free.TryPush(item);
        return true;
    }

    /// <summary>True when <paramref name="item"/> came from this pool.</summary>
    public bool Owns(T item) => item is not null && ReferenceEquals(item.OwningPool, this);

    /// <summary>
    /// Frees the pool (NdisFree…Pool). Objects still outstanding are a leak: the verifier reports them,
    /// naming up to eight of them. Returns the number of objects that were outstanding.
    /// </summary>
    public int FreePool([System.Runtime.CompilerServices.CallerMemberName] string caller = "")
    {
        if (_poolFreed)
        {
            Verifier.Report(VerifierRule.DoubleFree, $"pool '{Name}' freed twice", this, null, caller);
            return 0;
        }
        _poolFreed = true;
        int outstanding = Volatile.Read(ref _outstanding);
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

    private T? TryCreate()
    {
        if (Volatile.Read(ref _created) >= Capacity)
            return null;
        lock (_createLock)
        {
            if (_created >= Capacity)
                return null;
            var item = CreateObject();
            item.OwningPool = this;
            item.PoolIndex = _created;
            Volatile.Write(ref _all[_created], item);
            Volatile.Write(ref _created, _created + 1);
            return item;
        }
    }

    private void RaiseHighWater(int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref _highWater)))
        {
            if (Interlocked.CompareExchange(ref _highWater, value, seen) == seen)
                return;
        }
    }
}
