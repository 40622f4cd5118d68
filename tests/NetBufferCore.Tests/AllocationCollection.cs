namespace CoNdis.NetBufferCore.Tests;

/// <summary>
/// Tests that measure allocation with GC.GetAllocatedBytesForCurrentThread run alone: a GC started by another
/// test's threads can make the per-thread count move while nothing on this thread allocated.
/// </summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;
