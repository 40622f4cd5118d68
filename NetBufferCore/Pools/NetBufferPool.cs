using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore.Pools;

/// <summary>
/// An NB pool (NdisAllocateNetBufferPool). With a DataSize, each NB comes with its own MDL and data
/// (NdisAllocateNetBufferMdlAndData), built once and kept with the pooled NB.
/// </summary>
public sealed class NetBufferPool : NdisPool<NetBuffer>
{
    private readonly MemoryBlockPool? _data;

    public NetBufferPool(NdisHandle handle, NetBufferPoolParameters parameters, int capacity = DefaultCapacity, string? name = null)
        : base(handle, name ?? $"{handle?.Name} NBs", capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameters.DataSize);
        Parameters = parameters;
        if (parameters.DataSize > 0)
            _data = new MemoryBlockPool(handle!, parameters.DataSize, capacity, $"{Name} data");
    }

    /// <summary>The parameters the pool was created with.</summary>
    public NetBufferPoolParameters Parameters { get; }

    /// <summary>NdisAllocateNetBuffer: an NB over <paramref name="mdlChain"/>; null when the pool is exhausted.</summary>
    public NetBuffer? AllocateNetBuffer(Mdl? mdlChain, int dataOffset, int dataLength)
    {
        if (_data is not null)
            throw new InvalidOperationException($"Pool '{Name}' has a DataSize; use NdisAllocateNetBufferMdlAndData, not NdisAllocateNetBuffer.");
        var nb = Rent();
        if (nb is null)
            return null;
        try
        {
            nb.Initialize(mdlChain, dataOffset, dataLength);
        }
        catch
        {
            Return(nb);
            throw;
        }
        return nb;
    }

    /// <summary>
    /// NdisAllocateNetBufferMdlAndData: an NB with its own MDL and DataSize bytes. Model choice (its page gives
    /// no initial values; docs/model-choices.md): DataOffset 0 and DataLength = DataSize, so the whole buffer is used data.
    /// </summary>
    public NetBuffer? AllocateNetBufferMdlAndData()
    {
        if (_data is null)
            throw new InvalidOperationException($"Pool '{Name}' has no DataSize; NdisAllocateNetBufferMdlAndData needs one.");
        var nb = Rent();
        if (nb is null)
            return null;
        var mdl = nb.PreallocatedMdl!;
        mdl.AdjustLength(mdl.OriginalByteCount);
        mdl.Next = null;
        nb.Initialize(mdl, 0, mdl.ByteCount);
        return nb;
    }

    /// <summary>NdisFreeNetBuffer. Retreat allocations still attached are reclaimed and reported as a leak.</summary>
    public bool FreeNetBuffer(NetBuffer netBuffer)
    {
        ArgumentNullException.ThrowIfNull(netBuffer);
        if (netBuffer.PreallocatedIn is not null)
        {
            Verifier.Report(VerifierRule.ForeignFree,
                $"{netBuffer} was pre-allocated with {netBuffer.PreallocatedIn} and is freed only with it (NdisFreeNetBufferList)", netBuffer);
            return false;
        }
        if (!Owns(netBuffer) || !netBuffer.IsAllocated)
            return Return(netBuffer);
        if (netBuffer.ReclaimRetreats() > 0)
            Verifier.Report(VerifierRule.RetreatAllocationLeak,
                $"{netBuffer} freed with memory from an allocating retreat still attached (advance with FreeMdl first); reclaimed", netBuffer);
        netBuffer.ResetForReuse();
        return Return(netBuffer);
    }

    /// <inheritdoc />
    protected override NetBuffer CreateObject()
    {
        var nb = new NetBuffer(Handle);
        if (_data is not null)
            nb.PreallocatedMdl = CreatePreallocatedMdl(_data, this);
        return nb;
    }

    /// <summary>Builds a pre-allocated MDL over a permanently rented data block (shared with NBL pools).</summary>
    internal static Mdl CreatePreallocatedMdl(MemoryBlockPool data, object owner)
    {
        var block = data.Allocate() ?? throw new InvalidOperationException("The pool's data blocks ran out before its objects did.");
        var mdl = new Mdl();
        mdl.Build(block.Memory, MdlOrigin.Preallocated);
        mdl.OwningPool = owner;
        mdl.PoolState = NdisPoolObject.StateAllocated;
        return mdl;
    }
}
