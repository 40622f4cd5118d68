using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.LegacyPacket;

/// <summary>
/// An NDIS 5 buffer pool (the NDIS_HANDLE of NdisAllocateBufferPool, as its page describes it): a bounded pool of
/// NDIS_BUFFER descriptors, which are NetBufferCore MDLs with origin <see cref="MdlOrigin.LegacyBuffer"/>.
/// NdisFreeBuffer takes only the buffer, so the pool that owns a buffer is found from the buffer.
/// </summary>
public sealed class NdisBufferPool
{
    // NdisFreeBuffer(Buffer) has no pool argument and Mdl does not expose its owning pool publicly, so
    // each descriptor is mapped to its pool once, when the pool first hands it out (lookups do not allocate).

    private readonly MdlPool _mdls;

    internal NdisBufferPool(NdisHandle handle, int numberOfDescriptors, string name)
    {
        Handle = handle;
        NumberOfDescriptors = numberOfDescriptors;
        _mdls = new MdlPool(handle, Math.Max(1, numberOfDescriptors), name) { Owner = this };
    }

    /// <summary>The NDIS handle whose verifier judges this pool.</summary>
    public NdisHandle Handle { get; }

    /// <summary>Descriptors that may be outstanding at once.</summary>
    public int NumberOfDescriptors { get; }

    /// <summary>A name for messages.</summary>
    public string Name => _mdls.Name;

    /// <summary>The pool's counters (outstanding, failures…).</summary>
    public PoolCounters Counters => _mdls.Counters;

    /// <summary>True after NdisFreeBufferPool.</summary>
    public bool IsFreed => _mdls.IsFreed;

    /// <summary>True when <paramref name="buffer"/> came from this pool.</summary>
    public bool Owns(Mdl buffer) => _mdls.Owns(buffer);

    /// <summary>The pool that handed out <paramref name="buffer"/>, or null when no buffer pool did.</summary>
    public static NdisBufferPool? PoolOf(Mdl buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        return buffer.Pool?.Owner as NdisBufferPool;
    }

    internal Mdl? Allocate(NdisMemory memory) => _mdls.Allocate(memory, MdlOrigin.LegacyBuffer);

    internal Mdl? AllocatePartial(Mdl source, int offset, int length) =>
        _mdls.AllocatePartial(source, offset, length, MdlOrigin.LegacyBuffer);

    internal void Free(Mdl buffer)
    {
        if (_mdls.IsFreed)
        {
            Handle.Verifier.Report(VerifierRule.UseAfterFree, $"{buffer} freed to buffer pool '{Name}' after NdisFreeBufferPool", buffer, this);
            return;
        }
        if (buffer.Origin != MdlOrigin.LegacyBuffer && buffer.IsAllocated)
            Handle.Verifier.Report(VerifierRule.ForeignFree, $"{buffer} was not allocated with NdisAllocateBuffer/NdisCopyBuffer (origin {buffer.Origin})", buffer, this);
        _mdls.Free(buffer);
    }

    internal int FreePool(string caller) => _mdls.FreePool(caller);

    /// <inheritdoc />
    public override string ToString() => $"NdisBufferPool '{Name}'";
}
