namespace CoNdis.TestDrivers;

/// <summary>
/// Measures managed allocation of a steady loop on the current thread. The runtime can charge a few KB to a thread
/// for its own reasons (tiering, a GC that another thread started), so a loop is measured in several windows and
/// the smallest is reported: an allocation per operation shows in every window, background noise in few.
/// </summary>
public static class Allocations
{
    /// <summary>Runs <paramref name="loop"/> once per window and returns the fewest bytes any window allocated.</summary>
    public static long Minimum(Action loop, int windows = 3)
    {
        ArgumentNullException.ThrowIfNull(loop);
        long fewest = long.MaxValue;
        for (int i = 0; i < windows && fewest != 0; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            loop();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
