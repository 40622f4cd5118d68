using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary>Wrong <c>condis convert</c> command lines exit 2 with a message naming what is wrong, and touch nothing.</summary>
public sealed class ConvertUsageEndToEndTests
{
    private static string Afs => Path.Combine(Captures, "afs.pcap");

    public static TheoryData<string[], string> WrongOptions() => new()
    {
        { ["convert"], "" },
        { ["convert", "FILE"], "--output" },
        { ["convert", "FILE", "-o", "OUT", "--client", "ndis4"], "ndis4" },
        { ["convert", "FILE", "-o", "OUT", "--miniport", "x"], "'x'" },
        { ["convert", "FILE", "-o", "OUT", "--format", "erf"], "erf" },
        { ["convert", "FILE", "-o", "OUT", "--device", "sonet"], "--device" },
        { ["convert", "FILE", "-o", "OUT", "--nope"], "unknown option '--nope'" },
        { ["convert", "FILE", "-o", "OUT", "-j", "0"], "--jobs must be at least 1" },
        { ["convert", "FILE", "-o", "OUT", "--annotate", "--format", "pcap"], "--annotate" },
        { ["convert", "FILE", "FILE2", "-o", "-"], "several inputs" },
        { ["convert", "-", "FILE", "-o", "OUT"], "only input" },
        { ["convert", "FILE", "-o", "-", "--wire", "-"], "--wire" },
        { ["convert", "FILE", "-o", "FILE"], "is the input itself" },
    };

    [Theory]
    [MemberData(nameof(WrongOptions))]
    public void A_wrong_convert_command_line_exits_2_naming_the_problem(string[] arguments, string problem)
    {
        var dir = Directory.CreateTempSubdirectory("condis-usage").FullName;
        try
        {
            var second = Path.Combine(dir, "second.pcap");
            File.Copy(Afs, second);
            string[] args = [.. arguments.Select(a => a switch { "FILE" => Afs, "FILE2" => second, "OUT" => Path.Combine(dir, "out.pcap"), _ => a })];
            var result = RunCondis(args);
            Assert.Equal(2, result.Exit);
            Assert.Contains(problem, result.Stderr, StringComparison.Ordinal);
            Assert.Contains("--help", result.Stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dir, "out.pcap")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Convert_help_shows_every_option_examples_and_exit_codes()
    {
        var result = RunCondis("convert", "--help");
        Assert.Equal(0, result.Exit);
        foreach (var option in new[] { "--output", "--client", "--miniport", "--device", "--format", "--annotate", "--verify", "--wire", "--jobs", "--json", "--verbosity" })
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Examples:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1  verify mismatch", result.Stdout, StringComparison.Ordinal);
    }
}
