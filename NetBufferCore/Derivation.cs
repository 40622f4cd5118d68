using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore;

/// <summary>
/// Clone, fragment and reassemble (Derived NET_BUFFER_LIST Structures): new NBLs and NBs that reference the
/// original data without copying it. Children get no context and no info; parent/child bookkeeping is the caller's
/// (Relationships Between NET_BUFFER_LIST Generations; what the pages leave open: docs/model-choices.md).
/// </summary>
internal static class Derivation
{
    public static NetBufferList? Clone(NetBufferList original, NetBufferListPool? nblPool, NetBufferPool? nbPool, uint flags)
    {
        ArgumentNullException.ThrowIfNull(original);
        original.CheckAllocated();
        var handle = original.Handle;
        nblPool = RequireNoPreallocatedNb(nblPool ?? handle.InternalNetBufferLists);
        nbPool = RequireNoData(nbPool ?? handle.InternalNetBuffers);
        var clone = nblPool.AllocateNetBufferList();
        if (clone is null)
            return null;
        clone.DerivedKind = DerivedKind.Clone;
        clone.CloneFlags = flags;
        bool shareMdls = (flags & CloneFlags.UseOriginalMdls) != 0;
        NetBuffer? last = null;
        foreach (var nb in original.NetBuffers)
        {
            NetBuffer? copy;
            if (shareMdls)
            {
                copy = nbPool.AllocateNetBuffer(null, 0, 0);
                if (copy is not null)
                {
                    copy.MdlChain = nb.MdlChain;
                    copy.DataOffset = nb.DataOffset;
                    copy.DataLength = nb.DataLength;
                    copy.CurrentMdl = nb.CurrentMdl;
                    copy.CurrentMdlOffset = nb.CurrentMdlOffset;
                }
            }
            else
            {
                copy = DescribeInNewNetBuffer(nbPool, handle.Mdls, new MdlPosition(nb.CurrentMdl, nb.CurrentMdlOffset), nb.DataLength);
            }
            if (copy is null)
            {
                FreeClone(clone, flags);
                return null;
            }
            copy.ChecksumBias = nb.ChecksumBias;
            Link(clone, ref last, copy);
        }
        return clone;
    }

    public static void FreeClone(NetBufferList clone, uint flags)
    {
        ArgumentNullException.ThrowIfNull(clone);
        if (!CheckKind(clone, DerivedKind.Clone))
            return;
        if (flags != clone.CloneFlags)
            clone.Verifier.Report(VerifierRule.CloneFlagsMismatch,
                $"{clone} allocated with clone flags 0x{clone.CloneFlags:X} but freed with 0x{flags:X}; freeing per the allocation flags", clone);
        bool shared = (clone.CloneFlags & CloneFlags.UseOriginalMdls) != 0;
        FreeNetBuffers(clone, freeChains: !shared, dataOffsetDelta: 0);
        FreeNbl(clone);
    }

    public static NetBufferList? Fragment(NetBufferList original, NetBufferListPool? nblPool, NetBufferPool? nbPool,
        int startOffset, int maximumLength, int dataOffsetDelta, int dataBackFill)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentOutOfRangeException.ThrowIfNegative(startOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(dataOffsetDelta);
        ArgumentOutOfRangeException.ThrowIfNegative(dataBackFill);
        original.CheckAllocated();
        var handle = original.Handle;
        nblPool = RequireNoPreallocatedNb(nblPool ?? handle.InternalNetBufferLists);
        nbPool = RequireNoData(nbPool ?? handle.InternalNetBuffers);
        var fragments = nblPool.AllocateNetBufferList();
        if (fragments is null)
            return null;
        fragments.DerivedKind = DerivedKind.Fragment;
        NetBuffer? last = null;
        foreach (var nb in original.NetBuffers)
        {
            if (startOffset > nb.DataLength)
            {
                FreeFragment(fragments, 0);
                throw new ArgumentOutOfRangeException(nameof(startOffset), $"StartOffset {startOffset} is past the {nb.DataLength} used byte(s) of {nb}.");
            }
            var position = new MdlPosition(nb.CurrentMdl, nb.CurrentMdlOffset).Advance(startOffset);
            int remaining = nb.DataLength - startOffset;
            while (remaining > 0)
            {
                int length = Math.Min(maximumLength, remaining);
                var fragment = DescribeInNewNetBuffer(nbPool, handle.Mdls, position, length);
                if (fragment is null || fragment.Retreat(dataOffsetDelta, dataBackFill, null) != NdisStatus.Success)
                {
                    if (fragment is not null)
                        FreeDescribedNetBuffer(fragment);
                    FreeFragment(fragments, dataOffsetDelta);
                    return null;
                }
                Link(fragments, ref last, fragment);
                position = position.Advance(length);
                remaining -= length;
            }
        }
        return fragments;
    }

    public static void FreeFragment(NetBufferList fragments, int dataOffsetDelta)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        if (!CheckKind(fragments, DerivedKind.Fragment))
            return;
        FreeNetBuffers(fragments, freeChains: true, dataOffsetDelta);
        FreeNbl(fragments);
    }

    public static NetBufferList? Reassemble(NetBufferList fragments, NetBufferListPool? pool, int startOffset, int dataOffsetDelta, int dataBackFill)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        ArgumentOutOfRangeException.ThrowIfNegative(startOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(dataOffsetDelta);
        ArgumentOutOfRangeException.ThrowIfNegative(dataBackFill);
        fragments.CheckAllocated();
        var handle = fragments.Handle;
        pool ??= handle.InternalNetBufferListsWithNetBuffer;
        if (!pool.Parameters.AllocateNetBuffer || pool.Parameters.DataSize != 0)
            throw new ArgumentException($"Pool '{pool.Name}' must have fAllocateNetBuffer = TRUE and DataSize = 0 for reassembly.", nameof(pool));
        Mdl? head = null, tail = null;
        int total = 0;
        foreach (var nb in fragments.NetBuffers)
        {
            if (startOffset > nb.DataLength)
            {
                MdlChainBuilder.FreeChain(head);
                throw new ArgumentOutOfRangeException(nameof(startOffset), $"StartOffset {startOffset} is past the {nb.DataLength} used byte(s) of {nb}.");
            }
            int length = nb.DataLength - startOffset;
            var start = new MdlPosition(nb.CurrentMdl, nb.CurrentMdlOffset).Advance(startOffset);
            if (!MdlChainBuilder.TryDescribe(handle.Mdls, start, length, MdlOrigin.NdisPartial, out var pieceHead, out var pieceTail))
            {
                MdlChainBuilder.FreeChain(head);
                return null;
            }
            if (pieceHead is null)
                continue;
            if (tail is null)
                head = pieceHead;
            else
                tail.Next = pieceHead;
            tail = pieceTail;
            total += length;
        }
        var reassembled = pool.AllocateNetBufferList();
        if (reassembled is null)
        {
            MdlChainBuilder.FreeChain(head);
            return null;
        }
        reassembled.DerivedKind = DerivedKind.Reassembled;
        var whole = reassembled.FirstNetBuffer!;
        whole.Initialize(head, 0, total);
        if (whole.Retreat(dataOffsetDelta, dataBackFill, null) != NdisStatus.Success)
        {
            MdlChainBuilder.FreeChain(head);
            whole.Initialize(null, 0, 0);
            FreeNbl(reassembled);
            return null;
        }
        return reassembled;
    }

    public static void FreeReassembled(NetBufferList reassembled, int dataOffsetDelta)
    {
        ArgumentNullException.ThrowIfNull(reassembled);
        if (!CheckKind(reassembled, DerivedKind.Reassembled))
            return;
        var nb = reassembled.FirstNetBuffer!;
        AdvanceForFree(nb, dataOffsetDelta);
        ReportAndReclaimRetreats(nb);
        MdlChainBuilder.FreeChain(nb.MdlChain);
        nb.Initialize(null, 0, 0);
        FreeNbl(reassembled);
    }

    private static NetBuffer? DescribeInNewNetBuffer(NetBufferPool nbPool, MdlPool mdls, MdlPosition start, int length)
    {
        if (!MdlChainBuilder.TryDescribe(mdls, start, length, MdlOrigin.NdisPartial, out var head, out _))
            return null;
        var nb = nbPool.AllocateNetBuffer(head, 0, length);
        if (nb is null)
            MdlChainBuilder.FreeChain(head);
        return nb;
    }

    private static void FreeDescribedNetBuffer(NetBuffer nb)
    {
        ReportAndReclaimRetreats(nb);
        MdlChainBuilder.FreeChain(nb.MdlChain);
        nb.Initialize(null, 0, 0);
        ((NetBufferPool)nb.OwningPool!).FreeNetBuffer(nb);
    }

    private static void FreeNetBuffers(NetBufferList nbl, bool freeChains, int dataOffsetDelta)
    {
        var nb = nbl.FirstNetBuffer;
        nbl.FirstNetBuffer = null;
        while (nb is not null)
        {
            var next = nb.Next;
            nb.Next = null;
            if (freeChains)
            {
                AdvanceForFree(nb, dataOffsetDelta);
                FreeDescribedNetBuffer(nb);
            }
            else
            {
                nb.MdlChain = nb.CurrentMdl = null;
                nb.DataOffset = nb.DataLength = nb.CurrentMdlOffset = 0;
                ((NetBufferPool)nb.OwningPool!).FreeNetBuffer(nb);
            }
            nb = next;
        }
    }

    private static void AdvanceForFree(NetBuffer nb, int dataOffsetDelta)
    {
        if (dataOffsetDelta > nb.DataLength)
        {
            nb.Verifier.Report(VerifierRule.RetreatAllocationLeak,
                $"{nb} freed with DataOffsetDelta {dataOffsetDelta} larger than its {nb.DataLength} used byte(s); it must equal the allocation's delta", nb);
            return;
        }
        if (dataOffsetDelta > 0)
            nb.Advance(dataOffsetDelta, freeMdl: true, null);
    }

    private static void ReportAndReclaimRetreats(NetBuffer nb)
    {
        if (nb.ReclaimRetreats() > 0)
            nb.Verifier.Report(VerifierRule.RetreatAllocationLeak,
                $"{nb} freed with memory from an allocating retreat still attached (free with the allocation's DataOffsetDelta); reclaimed", nb);
    }

    private static void FreeNbl(NetBufferList nbl)
    {
        nbl.DerivedKind = DerivedKind.None;
        if (nbl.PreallocatedNetBuffer is not null)
            nbl.FirstNetBuffer = nbl.PreallocatedNetBuffer;
        ((NetBufferListPool)nbl.OwningPool!).FreeNetBufferList(nbl);
    }

    private static bool CheckKind(NetBufferList nbl, DerivedKind expected, [System.Runtime.CompilerServices.CallerMemberName] string caller = "")
    {
        if (!nbl.IsAllocated)
        {
            nbl.Verifier.Report(VerifierRule.DoubleFree, $"{nbl} freed twice", nbl, null, caller);
            return false;
        }
        if (nbl.DerivedKind == expected)
            return true;
        nbl.Verifier.Report(VerifierRule.ForeignFree,
            $"{nbl} is {(nbl.DerivedKind == DerivedKind.None ? "a pool NBL" : $"a {nbl.DerivedKind} NBL")}, not a {expected} NBL", nbl, null, caller);
        return false;
    }

    private static void Link(NetBufferList nbl, ref NetBuffer? last, NetBuffer nb)
    {
        if (last is null)
            nbl.FirstNetBuffer = nb;
        else
            last.Next = nb;
        last = nb;
    }

    private static NetBufferListPool RequireNoPreallocatedNb(NetBufferListPool pool) =>
        pool.Parameters.AllocateNetBuffer
            ? throw new ArgumentException($"Pool '{pool.Name}' pre-allocates NBs; derived NBLs need a pool with fAllocateNetBuffer = FALSE.", nameof(pool))
            : pool;

    private static NetBufferPool RequireNoData(NetBufferPool pool) =>
        pool.Parameters.DataSize != 0
            ? throw new ArgumentException($"NB pool '{pool.Name}' has a DataSize; derived NBs need a pool without data.", nameof(pool))
            : pool;
}
