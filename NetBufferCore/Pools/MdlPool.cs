using CoNdis.NetBufferCore.Memory;

namespace CoNdis.NetBufferCore.Pools;

/// <summary>
/// A pool of MDL descriptors (what NdisAllocateMdl draws on). MDLs describe memory; they never own it
/// unless NDIS allocated both together.
/// </summary>
public sealed class MdlPool : NdisPool<Mdl>
{
    public MdlPool(NdisHandle handle, int capacity = DefaultCapacity, string? name = null)
        : base(handle, name ?? $"{handle?.Name} MDLs", capacity)
    {
    }

    /// <summary>The object that owns this pool (an NDIS 5 buffer pool wrapping it, say), for finding it from an MDL.</summary>
    public object? Owner { get; set; }

    /// <summary>An MDL describing <paramref name="memory"/> (NdisAllocateMdl), or null when exhausted.</summary>
    public Mdl? Allocate(NdisMemory memory, MdlOrigin origin = MdlOrigin.AllocateMdl)
    {
        if (memory.IsNull)
            throw new ArgumentException("NdisAllocateMdl needs a virtual address; NULL was passed.", nameof(memory));
        var mdl = Rent();
        mdl?.Build(memory, origin);
        return mdl;
    }

    /// <summary>A partial MDL over part of <paramref name="source"/> (IoBuildPartialMdl into a new MDL), or null when exhausted.</summary>
    public Mdl? AllocatePartial(Mdl source, int offset, int length, MdlOrigin origin = MdlOrigin.NdisPartial)
    {
        var mdl = Rent();
        if (mdl is null)
            return null;
        try
        {
            mdl.BuildPartial(source, offset, length);
        }
        catch
        {
            Return(mdl);
            throw;
        }
        mdl.Origin = origin;
        return mdl;
    }

    /// <summary>
    /// An MDL together with a memory block of at least <paramref name="length"/> bytes from
    /// <paramref name="allocator"/>; the MDL describes exactly <paramref name="length"/> bytes and owns the block.
    /// </summary>
    public Mdl? AllocateWithMemory(NdisMemoryAllocator allocator, int length, MdlOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        var block = allocator.Allocate(length);
        if (block is null)
            return null;
        var mdl = Rent();
        if (mdl is null)
        {
            allocator.Free(block);
            return null;
        }
        mdl.Build(block.Memory.Slice(0, length), origin);
        mdl.OwnedMemory = block;
        return mdl;
    }

    /// <summary>Frees an MDL (and the memory it owns) back to this pool; false when the free was refused.</summary>
    public bool Free(Mdl mdl)
    {
        ArgumentNullException.ThrowIfNull(mdl);
        if (!Owns(mdl) || !mdl.IsAllocated)
            return Return(mdl);
        var owned = mdl.OwnedMemory;
        if (mdl.ByteCount != mdl.OriginalByteCount)
            Verifier.Report(global::CoNdis.NetBufferCore.Verifier.VerifierRule.MdlLengthNotRestored,
                $"{mdl} freed with length {mdl.ByteCount}, not its original {mdl.OriginalByteCount} (undo NdisAdjustMdlLength first)", mdl);
        mdl.Reset();
        if (owned is not null)
            Handle.Memory.Free(owned);
        return Return(mdl);
    }

    /// <inheritdoc />
    protected override Mdl CreateObject() => new();
}
