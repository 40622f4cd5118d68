using System.Diagnostics;
using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary>Usage errors exit 2 and name what is wrong; help reads well; -v levels go to stderr; stdin on a terminal says it waits.</summary>
public sealed class UsageEndToEndTests
{
    private static string Afs => Path.Combine(Captures, "afs.pcap");

    [Theory]
    [InlineData("inspect", "--no-such-option")]
    [InlineData("inspect", "--nope", "FILE")]
    [InlineData("inspect", "-x", "FILE")]
    [InlineData("tour", "--fast")]
    [InlineData("--nope")]
    public void Unknown_option_exits_2_naming_that_option(params string[] arguments)
    {
        string[] args = [.. arguments.Select(a => a == "FILE" ? Afs : a)];
        var result = RunCondis(args);
        Assert.Equal(2, result.Exit);
        Assert.Equal("", result.Stdout);
        var unknown = args.First(a => a.StartsWith('-'));
        var first = Lines(result.Stderr)[0];
        Assert.Contains($"unknown option '{unknown}'", first, StringComparison.Ordinal);
        Assert.DoesNotContain(Afs, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help", Lines(result.Stderr)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_command_and_bad_verbosity_exit_2()
    {
        Assert.Equal(2, RunCondis("convertt", Afs).Exit);
        var bad = RunCondis("inspect", "-v", "loud", Afs);
        Assert.Equal(2, bad.Exit);
        Assert.Contains("'loud'", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_named_like_an_option_is_read_after_a_double_dash()
    {
        var dir = Directory.CreateTempSubdirectory("condis-dash-");
        try
        {
            File.Copy(Afs, Path.Combine(dir.FullName, "-odd.pcap"));
            var result = CondisIn(dir.FullName, null, "inspect", "--json", "--", "-odd.pcap");
            Assert.True(result.Exit == 0, result.Stderr);
            Assert.Contains("\"packetCount\":601", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_directory_is_called_a_directory_with_exit_3()
    {
        var dir = Path.GetTempPath().TrimEnd('/');
        var result = RunCondis("inspect", dir);
        Assert.Equal(3, result.Exit);
        var line = Assert.Single(Lines(result.Stderr));
        Assert.Equal($"condis inspect: {dir}: is a directory, not a capture file", line);
    }

    [Theory]
    [InlineData("convert")]
    [InlineData("demo")]
    [InlineData("inspect")]
    [InlineData("tour")]
    public void Help_of_each_command_shows_usage_examples_and_exit_codes(string command)
    {
        var result = RunCondis(command, "--help");
        Assert.Equal(0, result.Exit);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        var examples = result.Stdout[result.Stdout.IndexOf("Examples:", StringComparison.Ordinal)..];
        Assert.Contains($"condis {command}", examples, StringComparison.Ordinal);
        Assert.Contains("3  bad input file", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--verbosity", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void Root_help_lists_every_command_with_examples()
    {
        var result = RunCondis("--help");
        Assert.Equal(0, result.Exit);
        foreach (var command in new[] { "convert", "demo", "inspect", "tour" })
            Assert.Contains($"  {command}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Examples:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Verbosity_sends_diagnostics_to_stderr_only_and_quiet_sends_none()
    {
        var plain = RunCondis("inspect", "--json", Afs);
        var info = RunCondis("inspect", "--json", "-v", "info", Afs);
        var trace = RunCondis("inspect", "--json", "--verbosity", "trace", Afs);
        var quiet = RunCondis("inspect", "--json", "-v", "quiet", Afs);
        Assert.All(new[] { plain, info, trace, quiet }, r => Assert.Equal(0, r.Exit));
        Assert.All(new[] { info, trace, quiet }, r => Assert.Equal(plain.Stdout, r.Stdout));
        Assert.Equal("", plain.Stderr);
        Assert.Equal("", quiet.Stderr);
        Assert.Contains("condis: info: 601 packet(s)", info.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("condis: debug:", info.Stderr, StringComparison.Ordinal);
        Assert.Equal(601, Lines(trace.Stderr).Count(l => l.StartsWith("condis: trace: packet ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Standard_input_on_a_terminal_says_on_stderr_that_it_is_waiting()
    {
        // util-linux script gives condis a pseudo-terminal as stdin; Ctrl+D then ends the input (an empty file: exit 3).
        var script = Tool("script");
        if (script is null)
            Assert.Skip("script (util-linux) is not installed");
        var info = new ProcessStartInfo(script) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-qec", $"dotnet '{Dll}' inspect -", "/dev/null" })
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var seen = new System.Text.StringBuilder();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (seen)
                seen.Append(e.Data).Append('\n');
            if (e.Data?.Contains("waiting for a capture on standard input", StringComparison.Ordinal) == true)
                waiting.TrySetResult();
        };
        process.BeginOutputReadLine();
        try
        {
            var first = await Task.WhenAny(waiting.Task, Task.Delay(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
            Assert.True(first == waiting.Task, $"no waiting message; saw: {seen}");
            // Ctrl+D until it ends: one typed before the runtime has set the terminal up can be flushed away.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!process.WaitForExit(500) && DateTime.UtcNow < deadline)
            {
                process.StandardInput.Write('\u0004');
                process.StandardInput.Flush();
            }

            Assert.True(process.HasExited, "condis did not end at Ctrl+D");
            process.WaitForExit(); // drains the redirected output events
            Assert.Equal(3, process.ExitCode);
            lock (seen)
                Assert.Contains("empty file", seen.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }
}
