using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary><c>condis tour</c> runs the structure walkthrough and exits 0.</summary>
public sealed class TourEndToEndTests
{
    [Fact]
    public void Tour_exits_0_and_prints_every_step_ending_clean()
    {
        var result = RunCondis("tour");
        Assert.True(result.Exit == 0, result.Stderr);
        for (int step = 1; step <= 7; step++)
            Assert.Contains($"== {step}. ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("reassembled bytes equal the original: True", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("verifier findings: 0", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("", result.Stderr);
    }
}
