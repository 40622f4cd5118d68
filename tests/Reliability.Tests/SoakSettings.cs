using System.Globalization;

namespace CoNdis.Reliability.Tests;

/// <summary>How long each soak runs: short in CI, longer with CONDIS_SOAK_SECONDS (seconds per soak run).</summary>
internal static class SoakSettings
{
    public const string Variable = "CONDIS_SOAK_SECONDS";

    /// <summary>Seconds of load per pairing and device; the CI default keeps every soak together under a minute.</summary>
    public static TimeSpan Duration(double ciSeconds)
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0)
            return TimeSpan.FromSeconds(seconds);
        return TimeSpan.FromSeconds(ciSeconds);
    }

    /// <summary>Bounded waits grow with the soak (a long soak may leave more in flight), never below 20 s.</summary>
    public static int WaitSeconds(TimeSpan duration) => (int)Math.Max(20, duration.TotalSeconds * 2);
}
