namespace CoNdis.Reliability.Tests;

/// <summary>Where a soak's summary goes: the test output, and a file when CONDIS_SOAK_REPORT names one (for docs/reliability.md).</summary>
internal static class SoakReport
{
    private static readonly Lock s_file = new();

    public static void Write(string test, string summary)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        var path = Environment.GetEnvironmentVariable("CONDIS_SOAK_REPORT");
        if (string.IsNullOrWhiteSpace(path))
            return;
        lock (s_file)
            File.AppendAllText(path, $"{test}: {summary}{Environment.NewLine}");
    }
}
