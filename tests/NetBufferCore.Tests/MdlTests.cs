using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore.Tests;

public sealed class MdlTests
{
    [Fact]
    public void Mdl_describes_pinned_memory_at_a_stable_address_with_page_arithmetic()
    {
        var ndis = new TestNdis();
        var memory = NdisMemory.AllocatePinned(3 * Mdl.PageSize);
        var mdl = Ndis.AllocateMdl(ndis.Handle, memory.Slice(100), 2 * Mdl.PageSize)!;
        Assert.Equal(memory.Address + 100, mdl.VirtualAddress);
        Assert.Equal((int)(mdl.VirtualAddress & (Mdl.PageSize - 1)), mdl.ByteOffset);
        Assert.Equal(mdl.VirtualAddress - mdl.ByteOffset, mdl.StartVa);
        int expectedPages = (int)(((mdl.VirtualAddress & 0xFFF) + 2 * Mdl.PageSize + 0xFFF) >> 12);
        Assert.Equal(expectedPages, mdl.SpanPages);
        GC.Collect();
        Assert.Equal(memory.Address + 100, mdl.VirtualAddress);
        Ndis.FreeMdl(mdl);
        ndis.AssertNothingOutstanding();
    }

    [Fact]
    public void Zero_length_mdl_spans_one_page()
    {
        var ndis = new TestNdis();
        var mdl = ndis.Handle.Mdls.Allocate(NdisMemory.AllocatePinned(10))!;
        mdl.AdjustLength(0);
        Assert.Equal(1, mdl.SpanPages);
        mdl.AdjustLength(10);
        ndis.Handle.Mdls.Free(mdl);
    }

    [Fact]
    public void Partial_mdl_shares_the_source_bytes_and_length_zero_means_to_the_end()
    {
        var ndis = new TestNdis();
        var source = ndis.Chain([100])!;
        var partial = ndis.Handle.Mdls.AllocatePartial(source, 30, 0)!;
        Assert.Equal(70, partial.ByteCount);
        Assert.Equal(source.VirtualAddress + 30, partial.VirtualAddress);
        Assert.True(partial.Flags.HasFlag(MdlFlags.Partial));
        Assert.Same(source, partial.SourceMdl);
        partial.Span[0] = 0xEE;
        Assert.Equal(0xEE, source.Span[30]);
        ndis.Handle.Mdls.Free(partial);
        ndis.Handle.Mdls.Free(source);
        ndis.AssertNothingOutstanding();
    }

    [Fact]
    public void Partial_mdl_outside_its_source_is_refused()
    {
        var ndis = new TestNdis();
        var source = ndis.Chain([100])!;
        Assert.Throws<ArgumentOutOfRangeException>(() => ndis.Handle.Mdls.AllocatePartial(source, 90, 20));
        Assert.Equal(1, ndis.Handle.Mdls.Counters.Outstanding);
        ndis.Handle.Mdls.Free(source);
    }

    [Fact]
    public void AdjustMdlLength_may_shrink_and_restore_but_never_grow_past_the_original()
    {
        var ndis = new TestNdis();
        var mdl = ndis.Chain([64])!;
        Ndis.AdjustMdlLength(mdl, 10);
        Assert.Equal(10, mdl.ByteCount);
        Assert.Equal(10, mdl.Span.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ndis.AdjustMdlLength(mdl, 65));
        Ndis.AdjustMdlLength(mdl, 64);
        Ndis.FreeMdl(mdl);
        ndis.AssertNothingOutstanding();
    }

    [Fact]
    public void Freeing_an_mdl_with_its_length_not_restored_is_a_finding()
    {
        var ndis = new TestNdis(VerifierMode.Lenient);
        var mdl = ndis.Chain([64])!;
        Ndis.AdjustMdlLength(mdl, 10);
        Ndis.FreeMdl(mdl);
        Assert.Equal(1, ndis.Verifier.CountOf(VerifierRule.MdlLengthNotRestored));
    }

    [Fact]
    public void QueryMdl_QueryMdlOffset_and_GetNextMdl_read_the_descriptor()
    {
        var ndis = new TestNdis();
        var chain = ndis.Chain([10, 20])!;
        Ndis.QueryMdl(chain, out var va, out int length, MmPagePriority.NormalPagePriority);
        Assert.Equal(10, length);
        Assert.Equal(chain.Span.ToArray(), va.ToArray());
        Ndis.QueryMdlOffset(chain, out int offset, out length);
        Assert.Equal(chain.ByteOffset, offset);
        Assert.Equal(10, length);
        Ndis.GetNextMdl(chain, out var next);
        Assert.Same(chain.Next, next);
        Ndis.GetMdlPhysicalArraySize(next!, out int pages);
        Assert.Equal(next!.SpanPages, pages);
        Ndis.FreeMdl(next);
        Ndis.FreeMdl(chain);
    }

    [Fact]
    public void FreeMdl_refuses_an_mdl_that_NdisAllocateMdl_did_not_build()
    {
        var ndis = new TestNdis();
        var source = ndis.Chain([100])!;
        var partial = ndis.Handle.Mdls.AllocatePartial(source, 0, 50)!;
        var finding = Assert.Throws<NdisVerifierException>(() => Ndis.FreeMdl(partial));
        Assert.Equal(VerifierRule.ForeignFree, finding.Rule);
    }

    [Fact]
    public void Freeing_an_mdl_twice_is_a_double_free()
    {
        var ndis = new TestNdis();
        var mdl = ndis.Chain([16])!;
        Ndis.FreeMdl(mdl);
        var finding = Assert.Throws<NdisVerifierException>(() => Ndis.FreeMdl(mdl));
        Assert.Equal(VerifierRule.DoubleFree, finding.Rule);
    }

    [Fact]
    public void Memory_from_AllocateMemoryWithTagPriority_comes_back_to_its_pool()
    {
        var ndis = new TestNdis();
        var memory = Ndis.AllocateMemoryWithTagPriority(ndis.Handle, 300, 0x4e444953, MmPagePriority.NormalPagePriority);
        Assert.False(memory.IsNull);
        Assert.Equal(300, memory.Length);
        Ndis.FreeMemoryWithTagPriority(ndis.Handle, memory, 0x4e444953);
        ndis.AssertNothingOutstanding();
        Assert.Throws<NdisVerifierException>(() => Ndis.FreeMemoryWithTagPriority(ndis.Handle, memory, 0));
    }
}
