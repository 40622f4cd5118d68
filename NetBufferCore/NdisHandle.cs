using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore;

/// <summary>
/// An NDIS handle a driver allocates pools with (NDIS_HANDLE from NdisRegisterProtocolDriver,
/// MiniportInitializeEx or NdisAllocateGenericObject). It carries the verifier that judges what is
/// done with it, and NDIS's own per-handle resources: an MDL pool (NdisAllocateMdl), a memory
/// allocator (retreat buffers) and the internal pools clones and fragments use when the caller
/// passes no pool.
/// <para>A handle made without a verifier follows the runtime its driver joins: the first
/// <see cref="AssignVerifier"/> (a miniport registering, a handle-less NDIS 5 pool whose objects first travel on a
/// binding) fixes its verifier for good, so the driver's findings land where its runtime counts them. Until then
/// it answers to a strict verifier of its own.</para>
/// </summary>
public sealed class NdisHandle
{
    private readonly int _capacity;
    private NdisVerifier? _verifier;
    private NdisVerifier? _unassigned;
    private MdlPool? _mdls;
    private NdisMemoryAllocator? _memory;
    private NetBufferPool? _netBuffers;
    private NetBufferListPool? _netBufferLists;
    private NetBufferListPool? _netBufferListsWithNetBuffer;

    public NdisHandle(string name, NdisVerifier? verifier = null, int internalPoolCapacity = NdisPool<Mdl>.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        _verifier = verifier;
        _capacity = internalPoolCapacity;
    }

    /// <summary>The driver or object name, for messages.</summary>
    public string Name { get; }

    /// <summary>The verifier for everything allocated through this handle.</summary>
    public NdisVerifier Verifier => Volatile.Read(ref _verifier) ?? Create(ref _unassigned, static () => new NdisVerifier());

    /// <summary>True once the handle has its verifier (given at construction or assigned since).</summary>
    public bool HasVerifier => Volatile.Read(ref _verifier) is not null;

    /// <summary>
    /// Gives a handle made without a verifier the one of the runtime its driver joined. The first assignment wins
    /// (a handle never moves to another verifier); returns the handle's verifier.
    /// </summary>
    public NdisVerifier AssignVerifier(NdisVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return Interlocked.CompareExchange(ref _verifier, verifier, null) ?? verifier;
    }

    /// <summary>MDLs for NdisAllocateMdl, partial MDLs and retreat allocations.</summary>
    public MdlPool Mdls => _mdls ?? Create(ref _mdls, () => new MdlPool(this, _capacity, $"{Name} MDLs"));

    /// <summary>NDIS's memory allocator for this handle (retreat buffers, NdisAllocateMemoryWithTagPriority).</summary>
    public NdisMemoryAllocator Memory => _memory ?? Create(ref _memory, () => new NdisMemoryAllocator(this, _capacity));

    /// <summary>NDIS's internal NB pool (clones, fragments).</summary>
    internal NetBufferPool InternalNetBuffers => _netBuffers ?? Create(ref _netBuffers,
        () => new NetBufferPool(this, new NetBufferPoolParameters(), _capacity, $"{Name} internal NBs"));

    /// <summary>NDIS's internal NBL pool without pre-allocated NBs (clones, fragments).</summary>
    internal NetBufferListPool InternalNetBufferLists => _netBufferLists ?? Create(ref _netBufferLists,
        () => new NetBufferListPool(this, new NetBufferListPoolParameters(), _capacity, $"{Name} internal NBLs"));

    /// <summary>NDIS's internal NBL pool with one NB each (reassembly).</summary>
    internal NetBufferListPool InternalNetBufferListsWithNetBuffer => _netBufferListsWithNetBuffer ?? Create(ref _netBufferListsWithNetBuffer,
        () => new NetBufferListPool(this, new NetBufferListPoolParameters { AllocateNetBuffer = true }, _capacity, $"{Name} internal NBL+NBs"));

    /// <inheritdoc />
    public override string ToString() => $"NdisHandle '{Name}'";

    // The fast path above reads the field without building a delegate; only the first use creates.
    private static T Create<T>(ref T? field, Func<T> factory) where T : class =>
        LazyInitializer.EnsureInitialized(ref field, factory);
}
