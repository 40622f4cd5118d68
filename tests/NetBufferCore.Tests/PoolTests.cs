using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore.Tests;

public sealed class PoolTests
{
    [Fact]
    public void Exhausted_pool_returns_null_like_the_ddi_and_counts_the_failure()
    {
        var handle = new NdisHandle("tiny");
        var pool = new NetBufferListPool(handle, new NetBufferListPoolParameters(), capacity: 2);
        var a = pool.AllocateNetBufferList();
        var b = pool.AllocateNetBufferList();
        Assert.Null(pool.AllocateNetBufferList());
        var counters = pool.Counters;
        Assert.Equal(1, counters.Failures);
        Assert.Equal(2, counters.Outstanding);
        Assert.Equal(2, counters.HighWater);
        pool.FreeNetBufferList(a!);
        Assert.NotNull(pool.AllocateNetBufferList());
        Assert.Equal(3, pool.Counters.Allocations);
        pool.FreeNetBufferList(b!);
    }

    [Fact]
    public void Double_free_of_an_nbl_is_a_finding()
    {
        var handle = new NdisHandle("double");
        var pool = new NetBufferListPool(handle, new NetBufferListPoolParameters());
        var nbl = pool.AllocateNetBufferList()!;
        pool.FreeNetBufferList(nbl);
        var finding = Assert.Throws<NdisVerifierException>(() => pool.FreeNetBufferList(nbl));
        Assert.Equal(VerifierRule.DoubleFree, finding.Rule);
        Assert.Contains(nbl.ToString(), finding.Message, StringComparison.Ordinal);
        Assert.Equal(0, pool.Counters.Outstanding);
    }

    [Fact]
    public void Freeing_an_nbl_to_another_pool_is_a_foreign_free()
    {
        var handle = new NdisHandle("foreign");
        var mine = new NetBufferListPool(handle, new NetBufferListPoolParameters(), name: "mine");
        var theirs = new NetBufferListPool(handle, new NetBufferListPoolParameters(), name: "theirs");
        var nbl = theirs.AllocateNetBufferList()!;
        var finding = Assert.Throws<NdisVerifierException>(() => mine.FreeNetBufferList(nbl));
        Assert.Equal(VerifierRule.ForeignFree, finding.Rule);
        Assert.True(nbl.IsAllocated);
        theirs.FreeNetBufferList(nbl);
    }

    [Fact]
    public void Freeing_a_preallocated_nb_on_its_own_is_a_foreign_free()
    {
        var handle = new NdisHandle("prealloc");
        var pool = new NetBufferListPool(handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 64 });
        var nbl = pool.AllocateNetBufferList()!;
        var finding = Assert.Throws<NdisVerifierException>(() => Ndis.FreeNetBuffer(nbl.FirstNetBuffer!));
        Assert.Equal(VerifierRule.ForeignFree, finding.Rule);
        pool.FreeNetBufferList(nbl);
    }

    [Fact]
    public void Freeing_a_pool_with_objects_outstanding_reports_the_leak_naming_them()
    {
        var handle = new NdisHandle("leaky", new NdisVerifier(VerifierMode.Lenient));
        var pool = new NetBufferPool(handle, new NetBufferPoolParameters(), name: "leaky NBs");
        var nb = pool.AllocateNetBuffer(null, 0, 0)!;
        Assert.Equal(1, pool.FreePool());
        var finding = Assert.Single(handle.Verifier.RecentFindings);
        Assert.Equal(VerifierRule.LeakAtPoolFree, finding.Rule);
        Assert.Contains("leaky NBs", finding.Message, StringComparison.Ordinal);
        Assert.Contains(nb.ToString(), finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocating_from_a_freed_pool_is_use_after_free()
    {
        var handle = new NdisHandle("gone");
        var pool = new NetBufferListPool(handle, new NetBufferListPoolParameters());
        Ndis.FreeNetBufferListPool(pool);
        Assert.Equal(VerifierRule.UseAfterFree, Assert.Throws<NdisVerifierException>(() => pool.AllocateNetBufferList()).Rule);
    }

    [Fact]
    public void Using_a_freed_nb_is_use_after_free()
    {
        var ndis = new TestNdis();
        var nb = ndis.NetBuffer([16], 8, 8);
        var mdl = nb.MdlChain!;
        nb.Initialize(null, 0, 0);
        ndis.NetBuffers.FreeNetBuffer(nb);
        Assert.Equal(VerifierRule.UseAfterFree, Assert.Throws<NdisVerifierException>(() => nb.Retreat(4, 0, null)).Rule);
        ndis.Handle.Mdls.Free(mdl);
    }

    [Fact]
    public void Lenient_verifier_counts_and_keeps_going()
    {
        var handle = new NdisHandle("lenient", new NdisVerifier(VerifierMode.Lenient));
        var pool = new NetBufferListPool(handle, new NetBufferListPoolParameters());
        var nbl = pool.AllocateNetBufferList()!;
        pool.FreeNetBufferList(nbl);
        Assert.False(pool.FreeNetBufferList(nbl));
        Assert.False(pool.FreeNetBufferList(nbl));
        Assert.Equal(2, handle.Verifier.CountOf(VerifierRule.DoubleFree));
        handle.Verifier.Mode = VerifierMode.Off;
        Assert.False(pool.FreeNetBufferList(nbl));
        Assert.Equal(2, handle.Verifier.FindingCount);
    }

    [Fact]
    public async Task Concurrent_allocate_and_free_keep_every_object_exactly_once()
    {
        var handle = new NdisHandle("concurrent");
        var pool = new NetBufferListPool(handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 128 }, capacity: 64);
        const int threads = 4, rounds = 50_000;
        long failures = 0;
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Run(() =>
        {
            var held = new List<NetBufferList>(8);
            for (int i = 0; i < rounds; i++)
            {
                var nbl = pool.AllocateNetBufferList();
                if (nbl is null)
                    Interlocked.Increment(ref failures);
                else
                    held.Add(nbl);
                if (held.Count == 8 || (nbl is null && held.Count > 0))
                {
                    foreach (var h in held)
                        Assert.True(pool.FreeNetBufferList(h));
                    held.Clear();
                }
            }
            foreach (var h in held)
                pool.FreeNetBufferList(h);
        }, TestContext.Current.CancellationToken)).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        var counters = pool.Counters;
        Assert.Equal(0, counters.Outstanding);
        Assert.True(counters.HighWater <= 64);
        Assert.Equal(counters.Failures, failures);
        Assert.Equal(threads * (long)rounds - failures, counters.Allocations);
        Assert.Equal(0, handle.Verifier.FindingCount);
        Assert.Equal(0, pool.FreePool());
    }
}
