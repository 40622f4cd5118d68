using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore.Tests;

public sealed class NetBufferTests
{
    private static byte[] Range(int start, int count) => Enumerable.Range(start, count).Select(i => (byte)i).ToArray();

    [Fact]
    public void AllocateNetBuffer_sets_current_mdl_from_data_offset_across_mdls()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([10, 20, 30], 25, 30);
        Assert.Same(nb.MdlChain!.Next, nb.CurrentMdl);
        Assert.Equal(15, nb.CurrentMdlOffset);
        Assert.Null(nb.CheckInvariants());
        Assert.Equal(Range(25, 30), nb.ToArray());
        ndis.FreeNetBuffer(nb);
        ndis.AssertNothingOutstanding();
    }

    [Fact]
    public void Data_offset_on_an_mdl_boundary_is_canonical_at_the_next_mdl()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([10, 0, 20], 10, 5);
        Assert.Same(nb.MdlChain!.Next!.Next, nb.CurrentMdl);
        Assert.Equal(0, nb.CurrentMdlOffset);
        nb.CurrentMdl = nb.MdlChain;
        nb.CurrentMdlOffset = 10;
        Assert.Null(nb.CheckInvariants());
        Assert.Equal(Range(10, 5), nb.ToArray());
        Assert.Equal(NdisStatus.Success, Ndis.AdjustNetBufferCurrentMdl(nb));
        Assert.Same(nb.MdlChain!.Next!.Next, nb.CurrentMdl);
        ndis.FreeNetBuffer(nb);
    }

    [Fact]
    public void AllocateNetBuffer_refuses_data_that_does_not_fit_the_chain()
    {
        var ndis = new TestNdis();
        var chain = ndis.Chain([10, 10]);
        Assert.Throws<ArgumentException>(() => ndis.NetBuffers.AllocateNetBuffer(chain, 5, 16));
        Assert.Throws<ArgumentException>(() => ndis.NetBuffers.AllocateNetBuffer(null, 0, 1));
        Assert.Equal(0, ndis.NetBuffers.Counters.Outstanding);
    }

    [Fact]
    public void Invariant_check_names_the_broken_rule()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([10, 10], 4, 6);
        nb.DataOffset = 5;
        Assert.StartsWith("I5", nb.CheckInvariants());
        nb.DataOffset = 4;
        nb.DataLength = 17;
        Assert.StartsWith("I4", nb.CheckInvariants());
        nb.DataLength = 6;
        var stranger = ndis.Chain([4])!;
        nb.CurrentMdl = stranger;
        Assert.StartsWith("I1", nb.CheckInvariants());
        nb.CurrentMdl = nb.MdlChain;
        ndis.Handle.Mdls.Free(stranger);
        ndis.FreeNetBuffer(nb);
    }

    [Fact]
    public void Retreat_within_unused_space_moves_offsets_without_allocating()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([10, 20], 14, 16);
        long mdlsBefore = ndis.Handle.Mdls.Counters.Allocations;
        Assert.Equal(NdisStatus.Success, Ndis.RetreatNetBufferDataStart(nb, 8, 0, null));
        Assert.Equal(6, nb.DataOffset);
        Assert.Equal(24, nb.DataLength);
        Assert.Same(nb.MdlChain, nb.CurrentMdl);
        Assert.Equal(6, nb.CurrentMdlOffset);
        Assert.Equal(Range(6, 24), nb.ToArray());
        Assert.Equal(mdlsBefore, ndis.Handle.Mdls.Counters.Allocations);
        Assert.Null(nb.CheckInvariants());
        ndis.FreeNetBuffer(nb);
    }

    [Fact]
    public void Allocating_retreat_prepends_delta_plus_backfill_and_keeps_used_data_contiguous()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([10, 20], 4, 20);
        var oldChain = nb.MdlChain;
        Assert.Equal(NdisStatus.Success, Ndis.RetreatNetBufferDataStart(nb, 6, 16, null));
        var added = nb.MdlChain!;
        Assert.Equal(MdlOrigin.Retreat, added.Origin);
        Assert.Equal(22, added.ByteCount);
        Assert.Equal(16, nb.DataOffset);
        Assert.Equal(26, nb.DataLength);
        Assert.Same(added, nb.CurrentMdl);
        Assert.Equal(16, nb.CurrentMdlOffset);
        // The old unused 4 bytes are not inside the used data: a partial MDL starts at the old data start.
        var partial = added.Next!;
        Assert.True(partial.Flags.HasFlag(MdlFlags.Partial));
        Assert.Equal(6, partial.ByteCount);
        Assert.Equal(Range(4, 20), nb.ToArray()[6..]);
        Assert.Null(nb.CheckInvariants());
        Assert.Equal(1, nb.OutstandingRetreatAllocations);

        // Backfill of the new MDL serves the next retreat without allocating.
        Assert.Equal(NdisStatus.Success, Ndis.RetreatNetBufferDataStart(nb, 16, 0, null));
        Assert.Equal(0, nb.DataOffset);
        Assert.Equal(1, nb.OutstandingRetreatAllocations);

        // Advancing past what the retreats added, with FreeMdl, frees exactly that and restores the chain.
        Ndis.AdvanceNetBufferDataStart(nb, 22, true, null);
        Assert.Same(oldChain, nb.MdlChain);
        Assert.Equal(4, nb.DataOffset);
        Assert.Equal(20, nb.DataLength);
        Assert.Equal(0, nb.OutstandingRetreatAllocations);
        Assert.Equal(Range(4, 20), nb.ToArray());
        Assert.Null(nb.CheckInvariants());
        ndis.FreeNetBuffer(nb);
        ndis.AssertNothingOutstanding();
    }

    [Fact]
    public void Advance_without_FreeMdl_keeps_the_allocated_mdl_for_later_retreats()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([32], 0, 32);
        Assert.Equal(NdisStatus.Success, nb.Retreat(14, 0, null));
        Ndis.AdvanceNetBufferDataStart(nb, 14, false, null);
        Assert.Equal(1, nb.OutstandingRetreatAllocations);
        Assert.Equal(14, nb.DataOffset);
        long before = ndis.Handle.Mdls.Counters.Allocations;
        Assert.Equal(NdisStatus.Success, nb.Retreat(14, 0, null));
        Assert.Equal(before, ndis.Handle.Mdls.Counters.Allocations);
        nb.Advance(14, true, null);
        Assert.Equal(0, nb.OutstandingRetreatAllocations);
        ndis.FreeNetBuffer(nb);
        ndis.AssertNothingOutstanding();
    }

    [Fact]
    public void Advance_past_the_used_data_is_refused()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([16], 0, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ndis.AdvanceNetBufferDataStart(nb, 11, false, null));
        Assert.Equal(10, nb.DataLength);
        ndis.FreeNetBuffer(nb);
    }

    [Fact]
    public void Retreat_uses_the_NetAllocateMdl_handler_and_advance_its_NetFreeMdl_handler()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([8], 0, 8);
        int asked = 0;
        Mdl? given = null;
        Mdl? freed = null;
        Mdl? Allocate(ref int size)
        {
            asked = size;
            given = ndis.Handle.Mdls.Allocate(Memory.NdisMemory.AllocatePinned(size + 8));
            size += 8;
            return given;
        }
        Assert.Equal(NdisStatus.Success, nb.Retreat(4, 4, Allocate));
        Assert.Equal(8, asked);
        Assert.Same(given, nb.MdlChain);
        Assert.Equal(12, nb.DataOffset);
        nb.Advance(4, true, m => { freed = m; ndis.Handle.Mdls.Free(m); });
        Assert.Same(given, freed);
        ndis.FreeNetBuffer(nb);
        ndis.AssertNothingOutstanding();
    }

    [Fact]
    public void Retreat_returns_resources_when_the_handler_fails()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([8], 0, 8);
        Assert.Equal(NdisStatus.Resources, nb.Retreat(4, 0, (ref int _) => null));
        Assert.Equal(8, nb.DataLength);
        ndis.FreeNetBuffer(nb);
    }

    [Fact]
    public void Retreat_returns_resources_when_the_mdl_pool_is_exhausted()
    {
        var ndis = new TestNdis(capacity: 2);
        var nb = ndis.NetBuffer([8, 8], 0, 16);
        Assert.Equal(NdisStatus.Resources, nb.Retreat(4, 0, null));
        Assert.Equal(16, nb.DataLength);
        Assert.Null(nb.CheckInvariants());
        Assert.Equal(1, ndis.Handle.Mdls.Counters.Failures); // the one MDL the retreat needed
        ndis.FreeNetBuffer(nb);
    }

    [Fact]
    public void Freeing_an_nb_with_retreat_memory_attached_is_reported_and_reclaimed()
    {
        var ndis = new TestNdis(VerifierMode.Lenient);
        var nb = ndis.NetBuffer([8], 0, 8);
        nb.Retreat(20, 0, null);
        var chain = nb.MdlChain!.Next;
        nb.MdlChain!.Next = null;
        ndis.NetBuffers.FreeNetBuffer(nb);
        Assert.Equal(1, ndis.Verifier.CountOf(VerifierRule.RetreatAllocationLeak));
        ndis.Handle.Mdls.Free(chain!);
        Assert.Equal(0, ndis.Handle.Mdls.Counters.Outstanding);
    }

    [Fact]
    public void GetDataBuffer_returns_a_direct_view_when_contiguous()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([40, 40], 10, 60);
        long copies = CopyCounters.CopiesOnThisThread;
        var view = Ndis.GetDataBuffer(nb, 20, default, 1, 0);
        Assert.Equal(Range(10, 20), view.ToArray());
        view[0] = 0xAB;
        Assert.Equal(0xAB, nb.MdlChain!.Span[10]);
        Assert.Equal(copies, CopyCounters.CopiesOnThisThread);
        ndis.FreeNetBuffer(nb);
    }

    [Fact]
    public void GetDataBuffer_copies_into_storage_across_mdls_and_returns_null_without_storage()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([40, 40], 30, 40);
        Assert.True(Ndis.GetDataBuffer(nb, 20, default, 1, 0).IsEmpty);
        var storage = new byte[20];
        long bytes = CopyCounters.BytesCopiedOnThisThread;
        var copy = Ndis.GetDataBuffer(nb, 20, storage, 1, 0);
        Assert.Equal(Range(30, 20), copy.ToArray());
        Assert.Equal(Range(30, 20), storage);
        Assert.Equal(bytes + 20, CopyCounters.BytesCopiedOnThisThread);
        ndis.FreeNetBuffer(nb);
    }

    [Fact]
    public void GetDataBuffer_returns_null_when_the_nb_has_too_little_data()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([40], 0, 10);
        Assert.True(Ndis.GetDataBuffer(nb, 11, new byte[64], 1, 0).IsEmpty);
        ndis.FreeNetBuffer(nb);
    }

    [Fact]
    public void GetDataBuffer_treats_a_misaligned_contiguous_region_like_a_split_one()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([64], 0, 64);
        int misalignment = (int)(nb.MdlChain!.VirtualAddress & 7);
        nb.Advance(misalignment == 1 ? 2 : 1, false, null);
        Assert.True(Ndis.GetDataBuffer(nb, 8, default, 8, 0).IsEmpty);
        var storage = new byte[8];
        Assert.Equal(nb.ToArray()[..8], Ndis.GetDataBuffer(nb, 8, storage, 8, 0).ToArray());
        int want = (int)((nb.MdlChain.VirtualAddress + nb.CurrentMdlOffset) & 7);
        Assert.False(Ndis.GetDataBuffer(nb, 8, default, 8, want).IsEmpty);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ndis.GetDataBuffer(nb, 8, storage, 3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ndis.GetDataBuffer(nb, 8, storage, 8, 8));
        ndis.FreeNetBuffer(nb);
    }

    [Fact]
    public void CopyFromNetBufferToNetBuffer_copies_from_offsets_and_stops_at_the_source_data_end()
    {
        var ndis = new TestNdis();
        var source = ndis.NetBuffer([5, 7, 9], 3, 15);
        var destination = ndis.NetBuffer([4, 4, 40], 2, 0, _ => 0);
        var status = Ndis.CopyFromNetBufferToNetBuffer(destination, 3, 100, source, 2, out int copied);
        Assert.Equal(NdisStatus.Success, status);
        Assert.Equal(13, copied);
        Assert.Equal(0, destination.DataLength); // the caller updates the destination's fields
        destination.DataLength = 16;
        Assert.Equal(new byte[3].Concat(Range(5, 13)).ToArray(), destination.ToArray());
        ndis.FreeNetBuffer(source);
        ndis.FreeNetBuffer(destination);
    }

    [Fact]
    public void CopyFromNetBufferToNetBuffer_stops_at_the_end_of_the_destination_chain()
    {
        var ndis = new TestNdis();
        var source = ndis.NetBuffer([50], 0, 50);
        var destination = ndis.NetBuffer([6, 4], 0, 0, _ => 0);
        Ndis.CopyFromNetBufferToNetBuffer(destination, 0, 50, source, 0, out int copied);
        Assert.Equal(10, copied);
        ndis.FreeNetBuffer(source);
        ndis.FreeNetBuffer(destination);
    }

    [Fact]
    public void QueryNetBufferPhysicalCount_sums_span_pages_from_the_current_mdl()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([100, 5000, 10], 150, 10);
        int expected = nb.MdlChain!.Next!.SpanPages + nb.MdlChain.Next.Next!.SpanPages;
        Assert.Equal(expected, Ndis.QueryNetBufferPhysicalCount(nb));
        ndis.FreeNetBuffer(nb);
    }

    [Fact]
    public void Used_data_segments_walk_the_pieces_without_copying()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([5, 0, 7, 9], 3, 12);
        var lengths = new List<int>();
        var bytes = new List<byte>();
        foreach (var piece in nb.UsedData)
        {
            lengths.Add(piece.Length);
            bytes.AddRange(piece.ToArray());
        }
        Assert.Equal([2, 7, 3], lengths);
        Assert.Equal(Range(3, 12), bytes.ToArray());
        ndis.FreeNetBuffer(nb);
    }

    [Fact]
    public void NetBufferMdlAndData_comes_with_its_own_mdl_and_used_data_of_DataSize()
    {
        var ndis = new TestNdis();
        var pool = Ndis.AllocateNetBufferPool(ndis.Handle, new Pools.NetBufferPoolParameters { DataSize = 256 });
        var nb = Ndis.AllocateNetBufferMdlAndData(pool)!;
        Assert.Equal(0, nb.DataOffset);
        Assert.Equal(256, nb.DataLength);
        Assert.Equal(MdlOrigin.Preallocated, nb.MdlChain!.Origin);
        Assert.Same(pool, Ndis.GetPoolFromNetBuffer(nb));
        Assert.Throws<InvalidOperationException>(() => Ndis.AllocateNetBuffer(pool, null, 0, 0));
        Ndis.FreeNetBuffer(nb);
        Ndis.FreeNetBufferPool(pool);
        Assert.Equal(0, ndis.Verifier.FindingCount);
    }

    [Fact]
    public void Reserved_areas_have_the_ddi_slot_counts_and_refuse_writes_past_them()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([4], 0, 4);
        Assert.Equal(6, nb.ProtocolReserved.Length);
        Assert.Equal(4, nb.MiniportReserved.Length);
        nb.MiniportReserved[3] = "ok";
        Assert.Throws<ArgumentOutOfRangeException>(() => nb.MiniportReserved[4] = "past the end");
        Assert.Throws<ArgumentOutOfRangeException>(() => nb.MiniportReserved.EnsureFits(5));
        ndis.FreeNetBuffer(nb);
        var reused = ndis.NetBuffer([4], 0, 4);
        Assert.Null(reused.MiniportReserved[3]);
        ndis.FreeNetBuffer(reused);
    }
}
