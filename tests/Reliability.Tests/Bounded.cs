namespace CoNdis.Reliability.Tests;

/// <summary>Bounded waits: a condition that does not come true in time is a hang, reported with what was awaited.</summary>
internal static class Bounded
{
    public static void Until(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out after {seconds} s waiting for {what}");
            Thread.Sleep(1);
        }
    }

    /// <summary>Waits for a condition; false (no throw) when it did not come true in time.</summary>
    public static bool TryUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            Thread.Sleep(1);
        }
        return true;
    }
}
