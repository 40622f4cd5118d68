using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore.Pools;

/// <summary>
/// An NBL pool (NdisAllocateNetBufferListPool). Each pooled NBL keeps what the pool's shape
/// pre-allocates with it (an NB, an MDL and data, a context block), so allocate and free move one
/// object in and out of a lock-free free list and allocate nothing.
/// </summary>
public sealed class NetBufferListPool : NdisPool<NetBufferList>
{
    /// <summary>MEMORY_ALLOCATION_ALIGNMENT on 64-bit Windows.</summary>
    public const int MemoryAllocationAlignment = 16;

    private readonly MemoryBlockPool? _data;

    public NetBufferListPool(NdisHandle handle, NetBufferListPoolParameters parameters, int capacity = DefaultCapacity, string? name = null)
        : base(handle, name ?? $"{handle?.Name} NBLs", capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameters.DataSize);
        ArgumentOutOfRangeException.ThrowIfNegative(parameters.ContextSize);
        if (parameters.DataSize > 0 && !parameters.AllocateNetBuffer)
            throw new ArgumentException("A non-zero DataSize needs fAllocateNetBuffer = TRUE.", nameof(parameters));
        if (parameters.ContextSize % MemoryAllocationAlignment != 0)
            throw new ArgumentException($"ContextSize ({parameters.ContextSize}) must be a multiple of MEMORY_ALLOCATION_ALIGNMENT ({MemoryAllocationAlignment}).", nameof(parameters));
        if (parameters.ProtocolId > 0x0F)
            throw new ArgumentException($"ProtocolId ({parameters.ProtocolId}) must fit NDIS_PROTOCOL_ID_MASK (0x0F).", nameof(parameters));
        Parameters = parameters;
        if (parameters.DataSize > 0)
            _data = new MemoryBlockPool(handle!, parameters.DataSize, capacity, $"{Name} data");
    }

    /// <summary>The parameters the pool was created with.</summary>
    public NetBufferListPoolParameters Parameters { get; }

    /// <summary>
    /// NdisAllocateNetBufferList: an NBL of the pool's shape, with <c>pool ContextSize + contextSize</c>
    /// used context bytes and <paramref name="contextBackFill"/> unused ones in front (model choice), or
    /// null when the pool is exhausted. Sizes are multiples of MEMORY_ALLOCATION_ALIGNMENT.
    /// </summary>
    public NetBufferList? AllocateNetBufferList(int contextSize = 0, int contextBackFill = 0)
    {
        CheckContextArgument(contextSize, nameof(contextSize));
        CheckContextArgument(contextBackFill, nameof(contextBackFill));
        var nbl = Rent();
        if (nbl is null)
            return null;
        nbl.Info.ProtocolId = Parameters.ProtocolId;
        nbl.SetInitialContext(Parameters.ContextSize + contextSize, contextBackFill);
        var nb = nbl.PreallocatedNetBuffer;
        if (nb is not null)
        {
            nb.PoolState = NdisPoolObject.StateAllocated;
            var mdl = nb.PreallocatedMdl;
            if (mdl is not null)
            {
                mdl.AdjustLength(mdl.OriginalByteCount);
                mdl.Next = null;
                nb.Initialize(mdl, 0, mdl.ByteCount);
            }
            nbl.FirstNetBuffer = nb;
        }
        return nbl;
    }

    /// <summary>
    /// NdisAllocateNetBufferAndNetBufferList: an NBL with its NB over <paramref name="mdlChain"/>. The pool
    /// must pre-allocate an NB without data.
    /// </summary>
    public NetBufferList? AllocateNetBufferAndNetBufferList(int contextSize, int contextBackFill, Mdl? mdlChain, int dataOffset, int dataLength)
    {
        if (!Parameters.AllocateNetBuffer || Parameters.DataSize != 0)
            throw new InvalidOperationException($"Pool '{Name}' must have fAllocateNetBuffer = TRUE and DataSize = 0 for NdisAllocateNetBufferAndNetBufferList.");
        var nbl = AllocateNetBufferList(contextSize, contextBackFill);
        if (nbl is null)
            return null;
        try
        {
            nbl.FirstNetBuffer!.Initialize(mdlChain, dataOffset, dataLength);
        }
        catch
        {
            FreeNetBufferList(nbl);
            throw;
        }
        return nbl;
    }

    /// <summary>
    /// NdisFreeNetBufferList: frees the NBL with what was pre-allocated with it. NBs that were not
    /// pre-allocated are not freed (the caller frees them). Context allocations not undone, children
    /// outstanding, derived NBLs (which have their own free functions) and retreat memory still attached
    /// are verifier findings; whatever the model can reclaim, it does.
    /// </summary>
    public bool FreeNetBufferList(NetBufferList netBufferList)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        if (!Owns(netBufferList) || !netBufferList.IsAllocated)
            return Return(netBufferList);
        if (netBufferList.DerivedKind != DerivedKind.None)
        {
            ReportDerived(netBufferList);
            return false;
        }
        if (netBufferList.ChildRefCount > 0 || netBufferList.ContextDepth > 0)
            ReportUndone(netBufferList);
        var nb = netBufferList.PreallocatedNetBuffer;
        if (nb is not null)
        {
            if (nb.ReclaimRetreats() > 0)
                ReportRetreatLeak(nb, netBufferList);
            nb.ResetForReuse();
            nb.PoolState = NdisPoolObject.StateFree;
        }
        netBufferList.ResetForReuse();
        return Return(netBufferList);
    }

    // Findings are built out of line, so the free path carries no string-formatting state (the habit of a throw helper).

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ReportDerived(NetBufferList nbl) =>
        Verifier.Report(VerifierRule.ForeignFree,
            $"{nbl} is a {nbl.DerivedKind} NBL and must be freed with NdisFree{nbl.DerivedKind}NetBufferList", nbl);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ReportUndone(NetBufferList nbl)
    {
        if (nbl.ChildRefCount > 0)
            Verifier.Report(VerifierRule.ParentFreedWithChildren, $"{nbl} freed with ChildRefCount {nbl.ChildRefCount}", nbl);
        if (nbl.ContextDepth > 0)
            Verifier.Report(VerifierRule.ContextImbalance,
                $"{nbl} freed with {nbl.ContextDepth} NdisAllocateNetBufferListContext call(s) not undone", nbl);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ReportRetreatLeak(NetBuffer nb, NetBufferList nbl) =>
        Verifier.Report(VerifierRule.RetreatAllocationLeak,
            $"{nb} of {nbl} freed with memory from an allocating retreat still attached; reclaimed", nb, nbl);

    /// <inheritdoc />
    protected override NetBufferList CreateObject()
    {
        var nbl = new NetBufferList(Handle);
        if (Parameters.AllocateNetBuffer)
        {
            var nb = new NetBuffer(Handle) { PreallocatedIn = nbl };
            nb.OwningPool = this;
            if (_data is not null)
                nb.PreallocatedMdl = NetBufferPool.CreatePreallocatedMdl(_data, this);
            nbl.PreallocatedNetBuffer = nb;
        }
        return nbl;
    }

    private static void CheckContextArgument(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        if (value % MemoryAllocationAlignment != 0)
            throw new ArgumentException($"{name} ({value}) must be a multiple of MEMORY_ALLOCATION_ALIGNMENT ({MemoryAllocationAlignment}).", name);
    }
}
