using System.Collections.Concurrent;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.NetBufferCore.Tests;

/// <summary>
/// The per-thread caches in front of a pool's shared depot: objects rented on one thread and freed on another (as a
/// send is completed on a DPC thread) all come home exactly once, the counts derived from the caches are exact when
/// the pool is quiet, and what a thread that has ended still caches is handed out again.
/// </summary>
public sealed class PoolThreadCacheTests
{
    [Fact]
    public async Task Objects_rented_on_four_threads_and_freed_on_four_others_all_come_home_with_exact_counts()
    {
        var handle = new NdisHandle("cross-thread");
        var nbls = new NetBufferListPool(handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 64 }, capacity: 4096, "nbls");
        var mdls = new MdlPool(handle, capacity: 4096, "mdls");
        var memory = NdisMemory.AllocatePinned(64);
        const int renters = 4, rounds = 60_000;
        var handoff = Enumerable.Range(0, renters).Select(_ => new BlockingCollection<(NetBufferList, Mdl)>(boundedCapacity: 1024)).ToArray();
        long rented = 0, failed = 0, nblsGivenBack = 0, mdlsGivenBack = 0;
        var cancel = TestContext.Current.CancellationToken;

        var freers = handoff.Select(queue => Task.Factory.StartNew(() =>
        {
            foreach (var (nbl, mdl) in queue.GetConsumingEnumerable(cancel))
            {
                Assert.True(nbls.FreeNetBufferList(nbl));
                Assert.True(mdls.Free(mdl));
            }
        }, cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        var renting = Enumerable.Range(0, renters).Select(r => Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < rounds; i++)
            {
                var nbl = nbls.AllocateNetBufferList();
                var mdl = mdls.Allocate(memory);
                if (nbl is null || mdl is null)
                {
                    // Exhausted for now (the freers are behind): give back what we got and go on.
                    Interlocked.Increment(ref failed);
                    if (nbl is not null && nbls.FreeNetBufferList(nbl))
                        Interlocked.Increment(ref nblsGivenBack);
                    if (mdl is not null && mdls.Free(mdl))
                        Interlocked.Increment(ref mdlsGivenBack);
                    Thread.Yield();
                    continue;
                }
                Interlocked.Increment(ref rented);
                handoff[(r + i) % renters].Add((nbl, mdl), cancel); // freed on another thread than this one, mostly
            }
        }, cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        await Task.WhenAll(renting).WaitAsync(TimeSpan.FromSeconds(60), cancel);
        foreach (var queue in handoff)
            queue.CompleteAdding();
        await Task.WhenAll(freers).WaitAsync(TimeSpan.FromSeconds(60), cancel);

        Assert.Equal(renters * (long)rounds, rented + failed);
        foreach (var counters in new[] { nbls.Counters, mdls.Counters })
        {
            Assert.Equal(0, counters.Outstanding);
            Assert.True(counters.Created <= 4096);
            Assert.True(counters.Cached <= counters.Created);
        }
        Assert.Equal(rented + nblsGivenBack, nbls.Counters.Allocations);
        Assert.Equal(rented + mdlsGivenBack, mdls.Counters.Allocations);
        Assert.Equal(0, handle.Verifier.FindingCount);
        Assert.Equal(0, nbls.FreePool());
        Assert.Equal(0, mdls.FreePool());
    }

    [Fact]
    public async Task What_a_thread_that_has_ended_still_caches_is_allocated_again()
    {
        var pool = new NetBufferListPool(new NdisHandle("ended"), new NetBufferListPoolParameters(), capacity: 64, "small");
        Assert.True(pool.CacheSize > 0);
        var worker = new Thread(() =>
        {
            var all = Enumerable.Range(0, 64).Select(_ => pool.AllocateNetBufferList()!).ToList();
            foreach (var nbl in all)
                pool.FreeNetBufferList(nbl);
        });
        worker.Start();
        await Task.Run(worker.Join, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(pool.Counters.Cached > 0); // the ended thread kept some to itself
        var again = Enumerable.Range(0, 64).Select(_ => pool.AllocateNetBufferList()).ToList();
        Assert.All(again, Assert.NotNull);
        Assert.Null(pool.AllocateNetBufferList());
        foreach (var nbl in again)
            pool.FreeNetBufferList(nbl!);
        Assert.Equal(0, pool.FreePool());
    }

    [Fact]
    public async Task A_small_pool_keeps_no_thread_cache_so_its_bound_is_exact_across_threads()
    {
        var pool = new NetBufferListPool(new NdisHandle("tiny"), new NetBufferListPoolParameters(), capacity: 8, "tiny");
        Assert.Equal(0, pool.CacheSize);
        var cancel = TestContext.Current.CancellationToken;
        var held = await Task.Run(() => Enumerable.Range(0, 8).Select(_ => pool.AllocateNetBufferList()!).ToList(), cancel);
        await Task.Run(() => held.ForEach(n => pool.FreeNetBufferList(n)), cancel);
        var mine = Enumerable.Range(0, 8).Select(_ => pool.AllocateNetBufferList()).ToList();
        Assert.All(mine, Assert.NotNull);
        Assert.Equal(0, pool.Counters.Cached);
        mine.ForEach(n => pool.FreeNetBufferList(n!));
    }
}
