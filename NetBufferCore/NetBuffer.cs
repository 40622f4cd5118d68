using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore;

/// <summary>
/// NET_BUFFER: one frame's data described by an MDL chain. Bytes <c>[0, DataOffset)</c> of the chain are
/// unused data space (backfill), <c>[DataOffset, DataOffset + DataLength)</c> the used data space;
/// <see cref="CurrentMdl"/> and <see cref="CurrentMdlOffset"/> locate the first used byte.
/// </summary>
public sealed class NetBuffer : NdisPoolObject, ILinked<NetBuffer>
{
    /// <summary>Slots of NET_BUFFER.ProtocolReserved.</summary>
    public const int ProtocolReservedSlots = 6;
    /// <summary>Slots of NET_BUFFER.MiniportReserved.</summary>
    public const int MiniportReservedSlots = 4;

    private RetreatRecord[] _retreats = [];
    private int _retreatCount;

    internal NetBuffer(NdisHandle handle)
    {
        Handle = handle;
    }

    /// <summary>The next NB of the owning NBL (NET_BUFFER_NEXT_NB). Only the creator relinks NBs.</summary>
    public NetBuffer? Next { get; set; }

    /// <summary>First MDL of the chain (NET_BUFFER_FIRST_MDL).</summary>
    public Mdl? MdlChain { get; set; }

    /// <summary>The MDL holding the first used byte (NET_BUFFER_CURRENT_MDL).</summary>
    public Mdl? CurrentMdl { get; set; }

    /// <summary>Offset of the first used byte inside <see cref="CurrentMdl"/> (NET_BUFFER_CURRENT_MDL_OFFSET).</summary>
    public int CurrentMdlOffset { get; set; }

    /// <summary>Size of the unused data space (NET_BUFFER_DATA_OFFSET).</summary>
    public int DataOffset { get; set; }

    /// <summary>Size of the used data space (NET_BUFFER_DATA_LENGTH).</summary>
    public int DataLength { get; set; }

    /// <summary>Bytes to skip before checksumming (NET_BUFFER_CHECKSUM_BIAS).</summary>
    public ushort ChecksumBias { get; set; }

    /// <summary>Protocol scratch, 6 slots (NET_BUFFER_PROTOCOL_RESERVED), one driver at a time.</summary>
    public ReservedArea ProtocolReserved { get; } = new(ProtocolReservedSlots, "NET_BUFFER.ProtocolReserved");

    /// <summary>Miniport scratch, 4 slots (NET_BUFFER_MINIPORT_RESERVED), one driver at a time.</summary>
    public ReservedArea MiniportReserved { get; } = new(MiniportReservedSlots, "NET_BUFFER.MiniportReserved");

    /// <summary>NET_BUFFER_DATA_PHYSICAL_ADDRESS.</summary>
    public long DataPhysicalAddress { get; set; }

    /// <summary>NDIS 6.20 ScatterGatherList / SharedMemoryInfo union (set by the DMA layer).</summary>
    public object? ScatterGatherList { get; set; }

    /// <summary>DataOffset + DataLength.</summary>
    public int TotalDataSize => DataOffset + DataLength;

    /// <summary>The handle whose MDL pool and allocator serve this NB's retreats.</summary>
    internal NdisHandle Handle { get; }

    /// <summary>The NBL this NB was pre-allocated with (freed only with it), or null.</summary>
    internal NetBufferList? PreallocatedIn { get; set; }

    /// <summary>The MDL (and data) pre-allocated with this NB, or null.</summary>
    internal Mdl? PreallocatedMdl { get; set; }

    /// <summary>The pool the NB came from (NdisGetPoolFromNetBuffer): a NetBufferPool, or the NBL pool for a pre-allocated NB.</summary>
    public object? PoolHandle => PreallocatedIn is not null ? PreallocatedIn.OwningPool : OwningPool;

    /// <summary>Allocating retreats not yet undone by an advance with FreeMdl.</summary>
    public int OutstandingRetreatAllocations => _retreatCount;

    internal NdisVerifier Verifier => Handle.Verifier;

    /// <summary>The MDL chain, walked without allocating.</summary>
    public LinkedChain<Mdl> Mdls => new(MdlChain);

    /// <summary>The used data as spans, one per MDL piece, without allocating.</summary>
    public UsedDataSegments UsedData => new(this);

    /// <summary>Sum of ByteCount over the chain.</summary>
    public int ChainByteCount
    {
        get
        {
            int total = 0;
            for (var mdl = MdlChain; mdl is not null; mdl = mdl.Next)
                total += mdl.ByteCount;
            return total;
        }
    }

    /// <summary>
    /// Points the NB at a new chain (what NdisAllocateNetBuffer does, and I2: every field set consistently).
    /// A null chain needs offset and length 0.
    /// </summary>
    public void Initialize(Mdl? mdlChain, int dataOffset, int dataLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(dataLength);
        if (mdlChain is null && (dataOffset | dataLength) != 0)
            throw new ArgumentException("With no MDL chain, DataOffset and DataLength must both be 0.", nameof(mdlChain));
        MdlChain = mdlChain;
        DataOffset = dataOffset;
        DataLength = dataLength;
        int chainBytes = ChainByteCount;
        if ((long)dataOffset + dataLength > chainBytes)
            throw new ArgumentException($"DataOffset {dataOffset} + DataLength {dataLength} exceeds the {chainBytes} byte(s) the MDL chain describes.", nameof(dataLength));
        SetCurrentFromDataOffset();
    }

    /// <summary>
    /// Recomputes CurrentMdl/CurrentMdlOffset from DataOffset (NdisAdjustNetBufferCurrentMdl), in the
    /// canonical form (the model's choice, docs/model-choices.md): at an MDL boundary the next non-empty MDL at offset 0.
    /// </summary>
    public void SetCurrentFromDataOffset()
    {
        var position = new MdlPosition(MdlChain, DataOffset).Canonical();
        CurrentMdl = position.Mdl;
        CurrentMdlOffset = position.Offset;
    }

    /// <summary>
    /// Checks the data-space invariants (NET_BUFFER structure (nbl.h)): CurrentMdl is on the chain (I1), the data fits the
    /// chain (I4), and DataOffset equals the bytes before CurrentMdl plus CurrentMdlOffset (I5; both forms
    /// of a boundary position are accepted). Returns null when they hold, else what is wrong.
    /// </summary>
    public string? CheckInvariants()
    {
        if (DataOffset < 0 || DataLength < 0 || CurrentMdlOffset < 0)
            return $"negative field (DataOffset {DataOffset}, DataLength {DataLength}, CurrentMdlOffset {CurrentMdlOffset})";
        if (MdlChain is null)
            return (DataOffset | DataLength) == 0 && CurrentMdl is null ? null : "no MDL chain but non-zero data fields or a CurrentMdl";
        int before = 0;
        bool found = false;
        int total = 0;
        for (var mdl = MdlChain; mdl is not null; mdl = mdl.Next)
        {
            if (ReferenceEquals(mdl, CurrentMdl))
            {
                found = true;
                before = total;
            }
            total += mdl.ByteCount;
        }
        if (!found)
            return "I1: CurrentMdl is not an MDL of the chain";
        if (CurrentMdlOffset > CurrentMdl!.ByteCount)
            return $"I1: CurrentMdlOffset {CurrentMdlOffset} is past the end of CurrentMdl ({CurrentMdl.ByteCount} B)";
        if ((long)DataOffset + DataLength > total)
            return $"I4: DataOffset {DataOffset} + DataLength {DataLength} exceeds the chain's {total} B";
        if (before + CurrentMdlOffset != DataOffset)
            return $"I5: bytes before CurrentMdl ({before}) + CurrentMdlOffset ({CurrentMdlOffset}) != DataOffset ({DataOffset})";
        return null;
    }

    /// <summary>
    /// NdisRetreatNetBufferDataStart: grows the used data space by <paramref name="dataOffsetDelta"/> bytes
    /// toward the front. With enough unused space this is offset arithmetic; otherwise NDIS allocates
    /// <c>delta + backfill</c> bytes and an MDL and puts them in front.
    /// <para>Model choice (Retreat Operations leaves the geometry open; docs/model-choices.md):
    /// to keep the used data contiguous after an allocating retreat,
    /// the new MDL is followed by a partial MDL that starts at the old first used byte (or by the old
    /// current MDL itself when the used data started at its first byte); the old head of the chain is
    /// remembered and restored, exactly, by the advance that frees the allocation.</para>
    /// </summary>
    public NdisStatus Retreat(int dataOffsetDelta, int dataBackFill, NetBufferAllocateMdlHandler? allocateMdlHandler)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataOffsetDelta);
        ArgumentOutOfRangeException.ThrowIfNegative(dataBackFill);
        CheckAllocated();
        if (dataOffsetDelta <= DataOffset)
        {
            DataOffset -= dataOffsetDelta;
            DataLength += dataOffsetDelta;
            if (dataOffsetDelta <= CurrentMdlOffset)
                CurrentMdlOffset -= dataOffsetDelta;
            else
                SetCurrentFromDataOffset();
            return NdisStatus.Success;
        }

        int size = checked(dataOffsetDelta + dataBackFill);
        Mdl? added;
        if (allocateMdlHandler is not null)
        {
            int reported = size;
            added = allocateMdlHandler(ref reported);
            if (added is null)
                return NdisStatus.Resources;
            if (added.ByteCount < dataOffsetDelta)
                return NdisStatus.Failure;
        }
        else
        {
            added = Handle.Mdls.AllocateWithMemory(Handle.Memory, size, MdlOrigin.Retreat);
            if (added is null)
                return NdisStatus.Resources;
        }

        Mdl? partial = null;
        Mdl? rest;
        if (CurrentMdl is null)
        {
            rest = null;
        }
        else if (CurrentMdlOffset == 0)
        {
            rest = CurrentMdl;
        }
        else
        {
            partial = Handle.Mdls.AllocatePartial(CurrentMdl, CurrentMdlOffset, CurrentMdl.ByteCount - CurrentMdlOffset);
            if (partial is null)
            {
                if (allocateMdlHandler is null)
                    Handle.Mdls.Free(added);
                return NdisStatus.Resources;
            }
            partial.Next = CurrentMdl.Next;
            rest = partial;
        }

        PushRetreat(new RetreatRecord(added, partial, MdlChain, DataOffset, added.ByteCount, allocateMdlHandler is not null));
        added.Next = rest;
        MdlChain = added;
        DataOffset = added.ByteCount - dataOffsetDelta;
        DataLength += dataOffsetDelta;
        CurrentMdl = added;
        CurrentMdlOffset = DataOffset;
        return NdisStatus.Success;
    }

    /// <summary>
    /// NdisAdvanceNetBufferDataStart: shrinks the used data space by <paramref name="dataOffsetDelta"/>
    /// bytes from the front. With <paramref name="freeMdl"/>, memory an earlier allocating retreat added
    /// is freed once the data start moves past it (through <paramref name="freeMdlHandler"/> for MDLs a
    /// NetAllocateMdl handler made); without it, the MDLs stay for later retreats. Advancing past the
    /// used data is refused (Advance Operations does not describe it; the model's choice, docs/model-choices.md).
    /// </summary>
    public void Advance(int dataOffsetDelta, bool freeMdl, NetBufferFreeMdlHandler? freeMdlHandler)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataOffsetDelta);
        if (dataOffsetDelta > DataLength)
            throw new ArgumentOutOfRangeException(nameof(dataOffsetDelta),
                $"Cannot advance {dataOffsetDelta} byte(s): the NB has only {DataLength} byte(s) of used data.");
        CheckAllocated();
        DataOffset += dataOffsetDelta;
        DataLength -= dataOffsetDelta;
        bool restored = false;
        while (freeMdl && _retreatCount > 0 && DataOffset >= _retreats[_retreatCount - 1].Size)
        {
            var record = _retreats[--_retreatCount];
            _retreats[_retreatCount] = default;
            ReleaseRetreat(record, freeMdlHandler);
            MdlChain = record.SavedChain;
            DataOffset = record.SavedDataOffset + (DataOffset - record.Size);
            restored = true;
        }
        if (!restored && CurrentMdl is not null)
        {
            var position = new MdlPosition(CurrentMdl, CurrentMdlOffset + dataOffsetDelta).Canonical();
            CurrentMdl = position.Mdl;
            CurrentMdlOffset = position.Offset;
        }
        else
        {
            SetCurrentFromDataOffset();
        }
    }

    /// <summary>
    /// NdisGetDataBuffer: the first <paramref name="bytesNeeded"/> used bytes. A direct view into the MDL
    /// when they are contiguous in one MDL and the address meets the alignment (address ≡
    /// <paramref name="alignOffset"/> mod <paramref name="alignMultiple"/>); otherwise they are copied
    /// into <paramref name="storage"/> and that is returned; an empty span is the DDI's NULL (too little
    /// data, or no storage when a copy is needed). A misaligned contiguous region is treated like a
    /// non-contiguous one (the NdisGetDataBuffer page does not say how it aligns; the model's choice,
    /// docs/model-choices.md). The NB is not modified.
    /// </summary>
    public Span<byte> GetDataBuffer(int bytesNeeded, Span<byte> storage, int alignMultiple, int alignOffset)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesNeeded, 1);
        if (alignMultiple < 1 || alignMultiple > 8192 || (alignMultiple & (alignMultiple - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(alignMultiple), $"AlignMultiple must be a power of two from 1 to 8192, not {alignMultiple}.");
        if (alignOffset < 0 || alignOffset >= alignMultiple)
            throw new ArgumentOutOfRangeException(nameof(alignOffset), $"AlignOffset must be below AlignMultiple ({alignMultiple}), not {alignOffset}.");
        CheckAllocated();
        if (DataLength < bytesNeeded || CurrentMdl is null)
            return default;
        var start = new MdlPosition(CurrentMdl, CurrentMdlOffset).Canonical();
        var mdl = start.Mdl!;
        if (mdl.ByteCount - start.Offset >= bytesNeeded
            && ((mdl.VirtualAddress + start.Offset) & (alignMultiple - 1)) == alignOffset)
            return mdl.Span.Slice(start.Offset, bytesNeeded);
        if (storage.IsEmpty)
            return default;
        if (storage.Length < bytesNeeded)
            throw new ArgumentException($"Storage holds {storage.Length} byte(s); {bytesNeeded} are needed.", nameof(storage));
        var target = storage[..bytesNeeded];
        CopyUsedDataTo(0, target);
        CopyCounters.Count(bytesNeeded);
        return target;
    }

    /// <summary>
    /// Copies used data starting <paramref name="offset"/> bytes after the data start into
    /// <paramref name="destination"/>; returns the bytes copied (less when the used data ends first).
    /// A read, not an NDIS copy: not counted.
    /// </summary>
    public int CopyUsedDataTo(int offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        int available = Math.Max(0, DataLength - offset);
        int wanted = Math.Min(available, destination.Length);
        if (wanted == 0)
            return 0;
        var position = new MdlPosition(CurrentMdl, CurrentMdlOffset).Advance(offset);
        int done = 0;
        for (var mdl = position.Mdl; mdl is not null && done < wanted; mdl = mdl.Next)
        {
            int skip = ReferenceEquals(mdl, position.Mdl) ? position.Offset : 0;
            int piece = Math.Min(mdl.ByteCount - skip, wanted - done);
            mdl.Span.Slice(skip, piece).CopyTo(destination[done..]);
            done += piece;
        }
        return done;
    }

    /// <summary>The used data as a new array (tests and diagnostics; allocates).</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[DataLength];
        CopyUsedDataTo(0, bytes);
        return bytes;
    }

    /// <summary>
    /// NdisQueryNetBufferPhysicalCount: the most physical pieces the NB's MDLs can map to.
    /// Model choice (its page does not say where counting starts; docs/model-choices.md):
    /// the span pages of every MDL from CurrentMdl to the end of
    /// the chain (NDIS_MDL_TO_SPAN_PAGES each, so a zero-length MDL counts 1), an upper bound.
    /// </summary>
    public int QueryPhysicalCount()
    {
        int count = 0;
        for (var mdl = CurrentMdl; mdl is not null; mdl = mdl.Next)
            count += mdl.SpanPages;
        return count;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void CheckAllocated([System.Runtime.CompilerServices.CallerMemberName] string caller = "")
    {
        if (!IsAllocated && OwningPool is not null)
            ReportUseAfterFree(caller);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ReportUseAfterFree(string caller) =>
        Verifier.Report(VerifierRule.UseAfterFree, $"{this} used after it was freed", this, null, caller);

    /// <summary>Frees what allocating retreats added and restores the original chain (used at free time).</summary>
    internal int ReclaimRetreats()
    {
        int reclaimed = _retreatCount;
        while (_retreatCount > 0)
        {
            var record = _retreats[--_retreatCount];
            _retreats[_retreatCount] = default;
            ReleaseRetreat(record, null);
            MdlChain = record.SavedChain;
            DataOffset = record.SavedDataOffset;
        }
        return reclaimed;
    }

    /// <summary>Clears every field for reuse (called by pools on free).</summary>
    internal void ResetForReuse()
    {
        Next = null;
        MdlChain = CurrentMdl = null;
        CurrentMdlOffset = DataOffset = DataLength = 0;
        ChecksumBias = 0;
        DataPhysicalAddress = 0;
        ScatterGatherList = null;
        ProtocolReserved.Clear();
        MiniportReserved.Clear();
    }

    private void PushRetreat(RetreatRecord record)
    {
        if (_retreatCount == _retreats.Length)
            Array.Resize(ref _retreats, Math.Max(2, _retreats.Length * 2));
        _retreats[_retreatCount++] = record;
    }

    private void ReleaseRetreat(RetreatRecord record, NetBufferFreeMdlHandler? freeMdlHandler)
    {
        if (record.Partial is not null)
            Handle.Mdls.Free(record.Partial);
        record.Added.Next = null;
        if (!record.FromHandler)
        {
            Handle.Mdls.Free(record.Added);
        }
        else if (freeMdlHandler is not null)
        {
            freeMdlHandler(record.Added);
        }
        else
        {
            Verifier.Report(VerifierRule.ForeignFree,
                $"{record.Added} came from a NetAllocateMdl handler and must be freed by its NetFreeMdl handler, but none was passed", record.Added, this);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{(PreallocatedIn is null ? $"NB#{PoolIndex}" : $"NB of {PreallocatedIn}")}(off {DataOffset}, len {DataLength})";

    private readonly record struct RetreatRecord(Mdl Added, Mdl? Partial, Mdl? SavedChain, int SavedDataOffset, int Size, bool FromHandler);
}
