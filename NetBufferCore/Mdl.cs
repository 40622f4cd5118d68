using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.NetBufferCore;

/// <summary>
/// A memory descriptor list entry (MDL, and NDIS 5's NDIS_BUFFER): <see cref="ByteCount"/> bytes of
/// pinned memory starting at <see cref="VirtualAddress"/>, linked to the next entry by
/// <see cref="Next"/>. Addresses are real and stable, so page spans and physical counts are computed as
/// the kernel macros compute them (<see cref="PageSize"/> = 4096).
/// </summary>
public sealed class Mdl : NdisPoolObject, ILinked<Mdl>
{
    /// <summary>PAGE_SIZE of the model.</summary>
    public const int PageSize = 4096;

    private byte[] _array = [];
    private int _start;

    internal Mdl()
    {
    }

    /// <summary>The next MDL of the chain (null ends it). Drivers may read and write it (MDL.Next).</summary>
    public Mdl? Next { get; set; }

    /// <summary>Bytes described (MmGetMdlByteCount).</summary>
    public int ByteCount { get; private set; }

    /// <summary>Bytes described when the MDL was built (NdisAdjustMdlLength may only shrink to this).</summary>
    public int OriginalByteCount { get; private set; }

    /// <summary>MDL flags (MdlFlags): partial, mapped, nonpaged source.</summary>
    public MdlFlags Flags { get; internal set; }

    /// <summary>The source MDL of a partial MDL (IoBuildPartialMdl), otherwise null.</summary>
    public Mdl? SourceMdl { get; private set; }

    /// <summary>The MDL pool this MDL came from (null for one pre-allocated with an NB or NBL).</summary>
    public Pools.MdlPool? Pool => OwningPool as Pools.MdlPool;

    /// <summary>What put this MDL together, which decides who may free it.</summary>
    public MdlOrigin Origin { get; internal set; }

    /// <summary>The memory block this MDL owns (freed with it), when NDIS allocated the memory too.</summary>
    internal MemoryBlock? OwnedMemory { get; set; }

    /// <summary>The virtual address of the first byte (MmGetMdlVirtualAddress).</summary>
    public unsafe nint VirtualAddress => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array)) + _start;

    /// <summary>Page-aligned base of the described range (MDL.StartVa).</summary>
    public nint StartVa => VirtualAddress & ~(nint)(PageSize - 1);

    /// <summary>Offset of the first byte inside its page (MmGetMdlByteOffset).</summary>
    public int ByteOffset => (int)(VirtualAddress & (PageSize - 1));

    /// <summary>The described bytes (MmGetSystemAddressForMdlSafe + ByteCount).</summary>
    public Span<byte> Span => _array.AsSpan(_start, ByteCount);

    /// <summary>The described memory as an <see cref="NdisMemory"/> range.</summary>
    public NdisMemory Memory => new(_array, _start, ByteCount);

    /// <summary>Pages the range spans; 1 for a zero-length MDL (NDIS_MDL_TO_SPAN_PAGES).</summary>
    public int SpanPages => ByteCount == 0 ? 1 : SpanPagesOf(VirtualAddress, ByteCount);

    /// <summary>ADDRESS_AND_SIZE_TO_SPAN_PAGES.</summary>
    public static int SpanPagesOf(nint virtualAddress, int size) =>
        (int)((((long)virtualAddress & (PageSize - 1)) + size + PageSize - 1) >> 12);

    /// <summary>Describes <paramref name="memory"/> (MmInitializeMdl + MmBuildMdlForNonPagedPool).</summary>
    internal void Build(NdisMemory memory, MdlOrigin origin)
    {
        _array = memory.Array ?? throw new ArgumentException("NULL memory cannot be described by an MDL.", nameof(memory));
        _start = memory.Offset;
        ByteCount = OriginalByteCount = memory.Length;
        Flags = MdlFlags.SourceIsNonPagedPool | MdlFlags.MappedToSystemVa;
        SourceMdl = null;
        Origin = origin;
        Next = null;
    }

    /// <summary>
    /// Builds this MDL as a partial MDL of <paramref name="source"/> (IoBuildPartialMdl): it describes
    /// <paramref name="length"/> bytes starting <paramref name="offset"/> bytes into the source; a length of 0
    /// means "to the end of the source". The partial shares the source's mapping.
    /// </summary>
    public void BuildPartial(Mdl source, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0)
            length = source.ByteCount - offset;
        if (offset + length > source.ByteCount || length < 0)
            throw new ArgumentOutOfRangeException(nameof(length),
                $"A partial MDL must lie inside its source: [{offset}, {offset + length}) is outside [0, {source.ByteCount}).");
        _array = source._array;
        _start = source._start + offset;
        ByteCount = OriginalByteCount = length;
        Flags = MdlFlags.Partial | (source.Flags & (MdlFlags.MappedToSystemVa | MdlFlags.SourceIsNonPagedPool));
        SourceMdl = source.SourceMdl ?? source;
        Next = null;
    }

    /// <summary>Sets the described length (NdisAdjustMdlLength); never beyond the original length.</summary>
    public void AdjustLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > OriginalByteCount)
            throw new ArgumentOutOfRangeException(nameof(length),
                $"NdisAdjustMdlLength may not grow an MDL past its original {OriginalByteCount} bytes (asked {length}).");
        ByteCount = length;
    }

    internal void Reset()
    {
        _array = [];
        _start = 0;
        ByteCount = OriginalByteCount = 0;
        Flags = MdlFlags.None;
        SourceMdl = null;
        Next = null;
        OwnedMemory = null;
    }

    /// <summary>The chain starting here, as a non-allocating enumerable.</summary>
    public LinkedChain<Mdl> Chain => new(this);

    /// <inheritdoc />
    public override string ToString() =>
        $"{(PoolIndex >= 0 ? $"MDL#{PoolIndex}" : "MDL")}({(Flags.HasFlag(MdlFlags.Partial) ? "partial " : "")}{ByteCount} B @0x{VirtualAddress:X})";
}
