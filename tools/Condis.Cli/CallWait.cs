namespace Condis.Cli;

/// <summary>Bounded waits for call control that completes asynchronously (the call manager answers over the device).</summary>
internal static class CallWait
{
    public static void Until(Func<bool> condition, string what, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the device did not answer in {seconds} s: waiting for {what}");
            Thread.Sleep(1);
        }
    }
}
