using System.Text.RegularExpressions;
using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary><c>condis tour</c> runs the structure walkthrough and exits 0; <c>condis demo</c> runs the same code for now.</summary>
public sealed partial class TourEndToEndTests
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

    [Fact]
    public void Demo_prints_what_tour_prints_until_the_device_demo_lands()
    {
        var tour = RunCondis("tour");
        var demo = RunCondis("demo");
        Assert.Equal(tour.Exit, demo.Exit);
        Assert.Equal(Addresses().Replace(tour.Stdout, "@0x?"), Addresses().Replace(demo.Stdout, "@0x?"));
    }

    [GeneratedRegex("@0x[0-9A-F]+")]
    private static partial Regex Addresses();
}
