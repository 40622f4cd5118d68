using CoNdis.NetBufferCore.Pools;

namespace CoNdis.NetBufferCore.Tests;

/// <summary>The steady state allocates nothing: pools, walkers (measured alone, see <see cref="AllocationCollection"/>).</summary>
[Collection(nameof(AllocationCollection))]
public sealed class AllocationTests
{
    [Fact]
    public void Steady_allocate_free_of_nbl_nb_mdl_and_data_allocates_nothing()
    {
        var handle = new NdisHandle("steady");
        var withData = new NetBufferListPool(handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 1514 });
        var nbls = new NetBufferListPool(handle, new NetBufferListPoolParameters());
        var nbs = new NetBufferPool(handle, new NetBufferPoolParameters());
        var data = new Memory.MemoryBlockPool(handle, 2048);
        void Round()
        {
            // One pooled NBL+NB+MDL+data…
            var whole = withData.AllocateNetBufferList()!;
            whole.FirstNetBuffer!.Advance(14, false, null);
            withData.FreeNetBufferList(whole);
            // …and the same four objects assembled from separate pools.
            var block = data.Allocate()!;
            var mdl = handle.Mdls.Allocate(block.Memory)!;
            var nb = nbs.AllocateNetBuffer(mdl, 0, 1514)!;
            var nbl = nbls.AllocateNetBufferList()!;
            nbl.FirstNetBuffer = nb;
            nbl.FirstNetBuffer = null;
            nbls.FreeNetBufferList(nbl);
            nb.Initialize(null, 0, 0);
            nbs.FreeNetBuffer(nb);
            handle.Mdls.Free(mdl);
            data.Free(block);
        }
        for (int i = 0; i < 1000; i++)
            Round();
        long allocated = global::CoNdis.TestDrivers.Allocations.Minimum(() =>
        {
            for (int i = 0; i < 1_000_000; i++)
                Round();
        });
        Assert.Equal(0, allocated);
        Assert.Equal(0, handle.Verifier.FindingCount);
    }

    [Fact]
    public void Walkers_do_not_allocate()
    {
        var ndis = new TestNdis();
        var nbl = ndis.NetBufferList(ndis.NetBuffer([4, 4], 0, 8), ndis.NetBuffer([4], 0, 4));
        nbl.Next = ndis.NetBufferLists.AllocateNetBufferList();
        int Walk()
        {
            int total = 0;
            foreach (var list in nbl.Chain)
                foreach (var nb in list.NetBuffers)
                {
                    foreach (var mdl in nb.Mdls)
                        total += mdl.ByteCount;
                    foreach (var piece in nb.UsedData)
                        total += piece.Length;
                }
            return total;
        }
        Walk();
        int sum = 0;
        Assert.Equal(0, global::CoNdis.TestDrivers.Allocations.Minimum(() =>
        {
            sum = 0;
            for (int i = 0; i < 1000; i++)
                sum += Walk();
        }));
        Assert.Equal(24 * 1000, sum);
    }
}
