namespace CoNdis.NetBufferCore.Pools;

/// <summary>A snapshot of a pool's counters.</summary>
/// <param name="Capacity">Most objects the pool will ever hand out at once.</param>
/// <param name="Created">Objects constructed so far (grows lazily up to <paramref name="Capacity"/>).</param>
/// <param name="Allocations">Successful allocations since the pool was created.</param>
/// <param name="Outstanding">Objects allocated and not yet freed.</param>
/// <param name="HighWater">The largest <paramref name="Outstanding"/> seen (sampled whenever a thread's cache refills from the depot).</param>
/// <param name="Failures">Allocations refused because the pool was exhausted.</param>
/// <param name="Cached">Free objects held in per-thread caches (free, but seen only by their own thread).</param>
public readonly record struct PoolCounters(int Capacity, int Created, long Allocations, int Outstanding, int HighWater, long Failures, int Cached = 0);
