using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.LegacyPacket.Tests;

public sealed class BufferDdiTests
{
    [Fact]
    public void AllocateBufferPool_always_succeeds_and_FreeBufferPool_with_no_buffers_out_is_clean()
    {
        var handle = Strict.Handle();
        Ndis5.AllocateBufferPool(out var status, out var pool, 4, handle);
        Assert.Equal(NdisStatus.Success, status);
        Assert.Equal(4, pool.NumberOfDescriptors);
        Ndis5.FreeBufferPool(pool);
        Assert.True(pool.IsFreed);
        Assert.Equal(0, handle.Verifier.FindingCount);
    }

    [Fact]
    public void AllocateBuffer_maps_the_given_range_with_legacy_origin()
    {
        var pool = Strict.BufferPool(Strict.Handle());
        var memory = Strict.Pattern(100, 7);
        Ndis5.AllocateBuffer(out var status, out var buffer, pool, memory.Slice(10, 50), 40);
        Assert.Equal(NdisStatus.Success, status);
        Assert.Equal(40, buffer!.ByteCount);
        Assert.Equal(memory.Address + 10, buffer.VirtualAddress);
        Assert.Equal(MdlOrigin.LegacyBuffer, buffer.Origin);
        Assert.Equal(17, buffer.Span[0]);
    }

    [Fact]
    public void AllocateBuffer_on_an_exhausted_pool_fails_with_FAILURE_and_null()
    {
        var pool = Strict.BufferPool(Strict.Handle(), 1);
        var memory = Strict.Pattern(8);
        Strict.Buffer(pool, memory);
        Ndis5.AllocateBuffer(out var status, out var buffer, pool, memory, 8);
        Assert.Equal(NdisStatus.Failure, status);
        Assert.Null(buffer);
    }

    [Fact]
    public void AllocateBuffer_with_a_length_past_the_memory_is_an_argument_error()
    {
        var pool = Strict.BufferPool(Strict.Handle());
        Assert.Throws<ArgumentOutOfRangeException>(() => Ndis5.AllocateBuffer(out _, out _, pool, Strict.Pattern(8), 9));
    }

    [Fact]
    public void FreeBuffer_returns_the_descriptor_so_it_can_be_allocated_again()
    {
        var pool = Strict.BufferPool(Strict.Handle(), 1);
        var buffer = Strict.Buffer(pool, Strict.Pattern(8));
        Ndis5.FreeBuffer(buffer);
        Assert.Equal(0, pool.Counters.Outstanding);
        Assert.Same(buffer, Strict.Buffer(pool, Strict.Pattern(4)));
    }

    [Fact]
    public void FreeBuffer_twice_is_a_double_free_finding()
    {
        var pool = Strict.BufferPool(Strict.Handle());
        var buffer = Strict.Buffer(pool, Strict.Pattern(8));
        Ndis5.FreeBuffer(buffer);
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.FreeBuffer(buffer));
        Assert.Equal(VerifierRule.DoubleFree, error.Rule);
    }

    [Fact]
    public void FreeBuffer_of_an_mdl_no_buffer_pool_allocated_is_a_foreign_free()
    {
        var handle = Strict.Handle();
        var mdl = handle.Mdls.Allocate(Strict.Pattern(8))!;
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.FreeBuffer(mdl));
        Assert.Equal(VerifierRule.ForeignFree, error.Rule);
    }

    [Fact]
    public void FreeBufferPool_with_a_buffer_outstanding_is_a_leak_finding()
    {
        var pool = Strict.BufferPool(Strict.Handle());
        Strict.Buffer(pool, Strict.Pattern(8));
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.FreeBufferPool(pool));
        Assert.Equal(VerifierRule.LeakAtPoolFree, error.Rule);
    }

    [Fact]
    public void CopyBuffer_describes_a_subrange_without_copying_data()
    {
        var pool = Strict.BufferPool(Strict.Handle());
        var source = Strict.Buffer(pool, Strict.Pattern(64));
        long copies = CopyCounters.BytesCopiedOnThisThread;
        Ndis5.CopyBuffer(out var status, out var copy, pool, source, 10, 20);
        Assert.Equal(NdisStatus.Success, status);
        Assert.Equal(20, copy!.ByteCount);
        Assert.Equal(source.VirtualAddress + 10, copy.VirtualAddress);
        Assert.Equal(10, copy.Span[0]);
        Assert.Equal(copies, CopyCounters.BytesCopiedOnThisThread);
        Ndis5.FreeBuffer(copy);
        Ndis5.FreeBuffer(source);
    }

    [Fact]
    public void CopyBuffer_out_of_range_fails_with_FAILURE()
    {
        var pool = Strict.BufferPool(Strict.Handle());
        var source = Strict.Buffer(pool, Strict.Pattern(64));
        Ndis5.CopyBuffer(out var status, out var copy, pool, source, 60, 5);
        Assert.Equal(NdisStatus.Failure, status);
        Assert.Null(copy);
    }

    [Fact]
    public void CopyBuffer_of_zero_bytes_is_an_empty_descriptor_not_the_rest_of_the_source()
    {
        var pool = Strict.BufferPool(Strict.Handle());
        var source = Strict.Buffer(pool, Strict.Pattern(64));
        Ndis5.CopyBuffer(out var status, out var copy, pool, source, 64, 0);
        Assert.Equal(NdisStatus.Success, status);
        Assert.Equal(0, copy!.ByteCount);
    }

    [Fact]
    public void QueryBuffer_and_QueryBufferSafe_give_the_mapping_and_ByteCount()
    {
        var pool = Strict.BufferPool(Strict.Handle());
        var memory = Strict.Pattern(32, 3);
        var buffer = Strict.Buffer(pool, memory);
        Ndis5.QueryBuffer(buffer, out var va, out uint length);
        Assert.Equal(memory.Address, va.Address);
        Assert.Equal(32u, length);
        Ndis5.QueryBufferSafe(buffer, out var safeVa, out uint safeLength, MmPagePriority.LowPagePriority);
        Assert.False(safeVa.IsNull);
        Assert.Equal(va, safeVa);
        Assert.Equal(32u, safeLength);
        Assert.Equal(3, va.Span[0]);
    }

    [Fact]
    public void QueryBufferOffset_gives_the_in_page_offset_and_length()
    {
        var pool = Strict.BufferPool(Strict.Handle());
        var memory = Strict.Pattern(6000);
        var buffer = Strict.Buffer(pool, memory.Slice(100, 200));
        Ndis5.QueryBufferOffset(buffer, out uint offset, out uint length);
        Assert.Equal((uint)((memory.Address + 100) & (Mdl.PageSize - 1)), offset);
        Assert.Equal(200u, length);
    }

    [Fact]
    public void GetNextBuffer_BufferLength_and_BufferVirtualAddress_read_the_descriptor()
    {
        var handle = Strict.Handle();
        var packet = Strict.PacketWithBuffers(Strict.PacketPool(handle), Strict.BufferPool(handle), 0, 5, 7);
        var first = packet.FirstBuffer!;
        Ndis5.GetNextBuffer(first, out var second);
        Assert.Same(packet.LastBuffer, second);
        Ndis5.GetNextBuffer(second!, out var none);
        Assert.Null(none);
        Assert.Equal(5u, Ndis5.BufferLength(first));
        Assert.Equal(first.VirtualAddress, Ndis5.BufferVirtualAddress(first).Address);
        Assert.Equal(second!.VirtualAddress, Ndis5.BufferVirtualAddressSafe(second, MmPagePriority.NormalPagePriority).Address);
    }

    [Fact]
    public void AdjustBufferLength_sets_ByteCount_within_the_mapped_length()
    {
        var pool = Strict.BufferPool(Strict.Handle());
        var buffer = Strict.Buffer(pool, Strict.Pattern(32));
        Ndis5.AdjustBufferLength(buffer, 10);
        Assert.Equal(10u, Ndis5.BufferLength(buffer));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ndis5.AdjustBufferLength(buffer, 33));
        Ndis5.AdjustBufferLength(buffer, 32);
        Ndis5.FreeBuffer(buffer);
    }

    [Fact]
    public void FreeBuffer_after_AdjustBufferLength_without_restoring_is_a_finding()
    {
        var pool = Strict.BufferPool(Strict.Handle());
        var buffer = Strict.Buffer(pool, Strict.Pattern(32));
        Ndis5.AdjustBufferLength(buffer, 10);
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.FreeBuffer(buffer));
        Assert.Equal(VerifierRule.MdlLengthNotRestored, error.Rule);
    }

    [Fact]
    public void GetBufferPhysicalArraySize_counts_the_pages_the_buffer_spans()
    {
        var pool = Strict.BufferPool(Strict.Handle());
        var memory = Strict.Pattern(3 * Mdl.PageSize);
        int toPageEnd = Mdl.PageSize - (int)(memory.Address & (Mdl.PageSize - 1));
        var buffer = Strict.Buffer(pool, memory.Slice(toPageEnd - 1, 2));
        Ndis5.GetBufferPhysicalArraySize(buffer, out uint pages);
        Assert.Equal(2u, pages);
        Assert.Equal(buffer.SpanPages, (int)pages);
    }

    [Fact]
    public void GetFirstBufferFromPacket_of_an_empty_packet_is_null_and_zero()
    {
        var packet = Strict.Packet(Strict.PacketPool(Strict.Handle()));
        Ndis5.GetFirstBufferFromPacket(packet, out var first, out var va, out uint firstLength, out uint total);
        Assert.Null(first);
        Assert.True(va.IsNull);
        Assert.Equal(0u, firstLength);
        Assert.Equal(0u, total);
    }

    [Fact]
    public void GetFirstBufferFromPacket_sums_the_chain_without_touching_the_cached_counts()
    {
        var handle = Strict.Handle();
        var packet = Strict.PacketWithBuffers(Strict.PacketPool(handle), Strict.BufferPool(handle), 9, 5, 7, 11);
        Ndis5.GetFirstBufferFromPacket(packet, out var first, out var va, out uint firstLength, out uint total);
        Assert.Same(packet.FirstBuffer, first);
        Assert.Equal(9, va.Span[0]);
        Assert.Equal(5u, firstLength);
        Assert.Equal(23u, total);
        Assert.False(packet.Private.ValidCounts);
        Ndis5.GetFirstBufferFromPacketSafe(packet, out var safeFirst, out _, out _, out uint safeTotal, MmPagePriority.HighPagePriority);
        Assert.Same(first, safeFirst);
        Assert.Equal(23u, safeTotal);
        Assert.False(packet.Private.ValidCounts);
    }

    [Fact]
    public void FreeBuffer_after_FreeBufferPool_is_a_use_after_free_finding()
    {
        var handle = Strict.Lenient();
        var pool = Strict.BufferPool(handle);
        var buffer = Strict.Buffer(pool, Strict.Pattern(8));
        Ndis5.FreeBufferPool(pool);
        Ndis5.FreeBuffer(buffer);
        Assert.Equal(1, handle.Verifier.CountOf(VerifierRule.UseAfterFree));
    }
}
