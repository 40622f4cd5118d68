namespace CoNdis.Hardware.Tests.Miniports;

/// <summary>Bounded waits for the device thread's work.</summary>
internal static class Wait
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
}
