namespace CoNdis.NetBufferCore.Pools;

/// <summary>A snapshot of a pool's counters.</summary>
/// <param name="Capacity">Most objects the pool will ever hand out at once.</param>
/// <param name="Created">Objects constructed so far (grows lazily up to <paramref name="Capacity"/>).</param>
/// <param name="Allocations">Successful allocations since the pool was created.</param>
/// <param name="Outstanding">Objects allocated and not yet freed.</param>
/// <param name="HighWater">The largest <paramref name="Outstanding"/> seen.</param>
/// <param name="Failures">Allocations refused because the pool was exhausted.</param>
public readonly record struct PoolCounters(int Capacity, int Created, long Allocations, int Outstanding, int HighWater, long Failures);
