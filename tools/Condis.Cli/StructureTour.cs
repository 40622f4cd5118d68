using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Diagnostics;
using CoNdis.NetBufferCore.Pools;

namespace Condis.Cli;

/// <summary>
/// <c>condis tour</c> (and, until the device-backed demo lands, <c>condis demo</c>): a protocol builds a frame in pooled NET_BUFFERs, prepends headers
/// (from backfill, then with an allocating retreat), clones it for a second path, fragments it to an
/// MTU, reassembles the fragments, then frees everything and checks that every pool is full again.
/// Each step prints the NBL/NB/MDL layout it produced (NDIS_BUFFER ≡ MDL, as in !ndiskd.nbl).
/// </summary>
internal static class StructureTour
{
    public static int Run(TextWriter stdout, TextWriter stderr, string command)
    {
        var handle = Ndis.AllocateGenericObject("demo protocol");
        var nblPool = Ndis.AllocateNetBufferListPool(handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 1514 });

        // A 1514-byte frame in one pooled NBL+NB+MDL+data; the first 54 bytes become backfill.
        var nbl = Ndis.AllocateNetBufferList(nblPool, 0, 0)!;
        var nb = nbl.FirstNetBuffer!;
        var payload = nb.MdlChain!.Span;
        for (int i = 0; i < payload.Length; i++)
            payload[i] = (byte)i;
        Ndis.AdvanceNetBufferDataStart(nb, 54, false, null);
        Step(stdout, "1. allocate a 1514-byte frame from the pool and advance past 54 bytes of headers", nbl);

        Ndis.RetreatNetBufferDataStart(nb, 40, 0, null);
        Step(stdout, "2. retreat 40 bytes: served from backfill, no allocation", nbl);

        Ndis.RetreatNetBufferDataStart(nb, 32, 64, null);
        Step(stdout, "3. retreat 32 more with 64 bytes of extra backfill: NDIS allocates an MDL in front (the old head stays described by a partial MDL)", nbl);

        var clone = Ndis.AllocateCloneNetBufferList(nbl, null, null, 0)!;
        Step(stdout, "4. clone for a second path: new partial MDLs over the same bytes, no copy", clone);

        var fragments = Ndis.AllocateFragmentNetBufferList(nbl, null, null, 0, 576, 20, 0, 0)!;
        Step(stdout, "5. fragment to 576-byte pieces, each retreated by a 20-byte header", fragments);

        var reassembled = Ndis.AllocateReassembledNetBufferList(fragments, null, 20, 0, 0, 0)!;
        Step(stdout, "6. reassemble the fragments (skipping their 20-byte headers) into one NB", reassembled);

        bool same = reassembled.FirstNetBuffer!.ToArray().AsSpan().SequenceEqual(nb.ToArray());
        stdout.WriteLine($"reassembled bytes equal the original: {same}");

        Ndis.FreeReassembledNetBufferList(reassembled, 0, 0);
        Ndis.FreeFragmentNetBufferList(fragments, 20, 0);
        Ndis.FreeCloneNetBufferList(clone, 0);
        Ndis.AdvanceNetBufferDataStart(nb, 72, true, null);
        Step(stdout, "7. advance 72 bytes with FreeMdl: the allocated MDL is freed and the original chain restored", nbl);
        Ndis.FreeNetBufferList(nbl);

        var counters = nblPool.Counters;
        int mdlsOutstanding = handle.Mdls.Counters.Outstanding;
        stdout.WriteLine($"pool: {counters.Allocations} allocation(s), {counters.Outstanding} outstanding, high water {counters.HighWater}; MDLs outstanding {mdlsOutstanding}");
        stdout.WriteLine($"verifier findings: {handle.Verifier.FindingCount}");
        Ndis.FreeNetBufferListPool(nblPool);
        if (!same || counters.Outstanding != 0 || mdlsOutstanding != 0 || handle.Verifier.FindingCount != 0)
        {
            stderr.WriteLine($"condis {command}: the scenario did not end clean (see above).");
            return ExitCodes.VerifyMismatch;
        }
        return ExitCodes.Ok;
    }

    private static void Step(TextWriter stdout, string title, NetBufferList nbl)
    {
        stdout.WriteLine($"== {title}");
        stdout.Write(LayoutWriter.Describe(nbl));
        stdout.WriteLine();
    }
}
