using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore.Tests;

public sealed class DerivedNetBufferListTests
{
    [Fact]
    public void Clone_describes_only_the_used_data_with_new_mdls_and_copies_nothing()
    {
        var ndis = new TestNdis();
        var original = ndis.NetBufferList(ndis.NetBuffer([10, 10, 10], 5, 20), ndis.NetBuffer([8], 0, 8));
        long copies = CopyCounters.CopiesOnThisThread;
        var clone = Ndis.AllocateCloneNetBufferList(original, null, null, 0)!;
        Assert.Equal(DerivedKind.Clone, clone.DerivedKind);
        Assert.Null(clone.Context);
        Assert.Null(clone.ParentNetBufferList); // NdisAllocateCloneNetBufferList leaves ParentNetBufferList to the driver that clones
        var o = original.FirstNetBuffer!;
        var c = clone.FirstNetBuffer!;
        Assert.Equal(0, c.DataOffset);
        Assert.Equal(o.ToArray(), c.ToArray());
        Assert.All(c.Mdls.ToList(), m => Assert.True(m.Flags.HasFlag(MdlFlags.Partial)));
        Assert.Equal(o.CurrentMdl!.VirtualAddress + o.CurrentMdlOffset, c.MdlChain!.VirtualAddress);
        Assert.Equal(original.FirstNetBuffer!.Next!.ToArray(), c.Next!.ToArray());
        Assert.Equal(copies, CopyCounters.CopiesOnThisThread);
        Ndis.FreeCloneNetBufferList(clone, 0);
        ndis.FreeAll(original);
        ndis.AssertNothingOutstanding();
    }

    [Fact]
    public void Clone_with_original_mdls_shares_the_chain_and_offsets()
    {
        var ndis = new TestNdis();
        var original = ndis.NetBufferList(ndis.NetBuffer([10, 10], 12, 6));
        var clone = Ndis.AllocateCloneNetBufferList(original, null, null, CloneFlags.UseOriginalMdls)!;
        var c = clone.FirstNetBuffer!;
        Assert.Same(original.FirstNetBuffer!.MdlChain, c.MdlChain);
        Assert.Equal(12, c.DataOffset);
        Assert.Same(original.FirstNetBuffer.CurrentMdl, c.CurrentMdl);
        Ndis.FreeCloneNetBufferList(clone, CloneFlags.UseOriginalMdls);
        Assert.Equal(2, ndis.Handle.Mdls.Counters.Outstanding); // the original's MDLs were not freed
        ndis.FreeAll(original);
        ndis.AssertNothingOutstanding();
    }

    [Fact]
    public void Freeing_a_clone_with_other_flags_is_a_finding_and_frees_per_the_allocation()
    {
        var ndis = new TestNdis(VerifierMode.Lenient);
        var original = ndis.NetBufferList(ndis.NetBuffer([10], 0, 10));
        var clone = Ndis.AllocateCloneNetBufferList(original, null, null, CloneFlags.UseOriginalMdls)!;
        Ndis.FreeCloneNetBufferList(clone, 0);
        Assert.Equal(1, ndis.Verifier.CountOf(VerifierRule.CloneFlagsMismatch));
        Assert.Equal(1, ndis.Handle.Mdls.Counters.Outstanding);
        ndis.FreeAll(original);
    }

    [Fact]
    public void A_derived_nbl_must_be_freed_with_its_own_free_function()
    {
        var ndis = new TestNdis();
        var original = ndis.NetBufferList(ndis.NetBuffer([10], 0, 10));
        var clone = Ndis.AllocateCloneNetBufferList(original, null, null, 0)!;
        Assert.Equal(VerifierRule.ForeignFree, Assert.Throws<NdisVerifierException>(() => Ndis.FreeNetBufferList(clone)).Rule);
        Assert.Equal(VerifierRule.ForeignFree, Assert.Throws<NdisVerifierException>(() => Ndis.FreeFragmentNetBufferList(clone, 0, 0)).Rule);
        Ndis.FreeCloneNetBufferList(clone, 0);
        Assert.Equal(VerifierRule.DoubleFree, Assert.Throws<NdisVerifierException>(() => Ndis.FreeCloneNetBufferList(clone, 0)).Rule);
        ndis.FreeAll(original);
    }

    [Fact]
    public void Fragments_cut_each_source_nb_separately_and_are_retreated_for_headers()
    {
        var ndis = new TestNdis();
        var first = ndis.NetBuffer([7, 30], 3, 30);
        var second = ndis.NetBuffer([12], 0, 12);
        var original = ndis.NetBufferList(first, second);
        var fragments = Ndis.AllocateFragmentNetBufferList(original, null, null, 4, 10, 8, 0, 0)!;
        var lengths = fragments.NetBuffers.ToList().Select(nb => nb.DataLength).ToArray();
        // first: 30 - 4 = 26 → 10, 10, 6; second: 12 - 4 = 8 → 8; each plus an 8-byte header.
        Assert.Equal([18, 18, 14, 16], lengths);
        var pieces = fragments.NetBuffers.ToList().Select(nb => nb.ToArray()[8..]).ToList();
        Assert.Equal(first.ToArray()[4..14], pieces[0]);
        Assert.Equal(first.ToArray()[14..24], pieces[1]);
        Assert.Equal(first.ToArray()[24..30], pieces[2]);
        Assert.Equal(second.ToArray()[4..12], pieces[3]);
        Ndis.FreeFragmentNetBufferList(fragments, 8, 0);
        ndis.FreeAll(original);
        ndis.AssertNothingOutstanding();
    }

    [Fact]
    public void Reassembly_concatenates_the_fragments_into_one_nb_without_copying()
    {
        var ndis = new TestNdis();
        var original = ndis.NetBufferList(ndis.NetBuffer([5, 9], 2, 12), ndis.NetBuffer([6, 6], 1, 11), ndis.NetBuffer([3], 0, 3));
        long copies = CopyCounters.CopiesOnThisThread;
        var whole = Ndis.AllocateReassembledNetBufferList(original, null, 2, 14, 0, 0)!;
        Assert.Equal(DerivedKind.Reassembled, whole.DerivedKind);
        Assert.Null(whole.FirstNetBuffer!.Next);
        var expected = original.NetBuffers.ToList().SelectMany(nb => nb.ToArray()[2..]).ToArray();
        Assert.Equal(14 + expected.Length, whole.FirstNetBuffer.DataLength);
        Assert.Equal(expected, whole.FirstNetBuffer.ToArray()[14..]);
        Assert.Equal(copies, CopyCounters.CopiesOnThisThread);
        Ndis.FreeReassembledNetBufferList(whole, 14, 0);
        ndis.FreeAll(original);
        ndis.AssertNothingOutstanding();
    }

    [Fact]
    public void Derived_nbls_refuse_pools_of_the_wrong_shape()
    {
        var ndis = new TestNdis();
        var original = ndis.NetBufferList(ndis.NetBuffer([10], 0, 10));
        var withNb = new Pools.NetBufferListPool(ndis.Handle, new Pools.NetBufferListPoolParameters { AllocateNetBuffer = true });
        Assert.Throws<ArgumentException>(() => Ndis.AllocateCloneNetBufferList(original, withNb, null, 0));
        Assert.Throws<ArgumentException>(() => Ndis.AllocateReassembledNetBufferList(original, ndis.NetBufferLists, 0, 0, 0, 0));
        ndis.FreeAll(original);
    }

    [Fact]
    public void Exhausted_pools_make_derivation_fail_with_null_and_leak_nothing()
    {
        var ndis = new TestNdis();
        var original = ndis.NetBufferList(ndis.NetBuffer([10, 10, 10], 0, 30));
        var tinyNbs = new Pools.NetBufferPool(ndis.Handle, new Pools.NetBufferPoolParameters(), capacity: 2);
        Assert.Null(Ndis.AllocateFragmentNetBufferList(original, null, tinyNbs, 0, 5, 0, 0, 0));
        Assert.Equal(0, tinyNbs.Counters.Outstanding);
        Assert.Equal(3, ndis.Handle.Mdls.Counters.Outstanding);
        ndis.FreeAll(original);
        ndis.AssertNothingOutstanding();
    }
}
