using System.Diagnostics;
using System.Runtime.CompilerServices;
using Xunit;

namespace Condis.Cli.Tests;

/// <summary>Runs the built <c>condis</c> (dotnet condis.dll next to the tests) and Wireshark's tools as processes.</summary>
internal static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "condis.dll");

    public static string RepositoryRoot([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CoNdis.slnx")))
                    return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (CoNdis.slnx) not found");
    }

    public static string Captures => Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "captures"));

    public static IEnumerable<string> CaptureNames =>
        Directory.Exists(Captures)
            ? Directory.GetFiles(Captures).Select(Path.GetFileName).Where(f => f!.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!
            : [];

    public static TheoryData<string> AllCaptures()
    {
        var data = new TheoryData<string>();
        foreach (var name in CaptureNames)
            data.Add(name);
        return data;
    }

    /// <summary>The path of a tool on PATH, or null.</summary>
    public static string? Tool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static string RequireTool(string name)
    {
        var path = Tool(name);
        if (path is null)
            Assert.Skip($"{name} is not installed (apt-get install tshark; .ci/run installs it)");
        return path;
    }

    public static (int Exit, string Stdout, string Stderr) Run(string file, IEnumerable<string> arguments, byte[]? stdin = null, string? workingDirectory = null, int timeoutMs = 120_000)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        if (workingDirectory is not null)
            info.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (stdin is not null)
            process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in {timeoutMs} ms");
        }

        return (process.ExitCode, stdout.Result, StripRootNote(stderr.Result));
    }

    /// <summary>condis with the given arguments (standard input: empty, or <paramref name="stdin"/>).</summary>
    public static (int Exit, string Stdout, string Stderr) RunCondis(params string[] arguments) => CondisIn(null, null, arguments);

    public static (int Exit, string Stdout, string Stderr) CondisIn(string? workingDirectory, byte[]? stdin, params string[] arguments)
    {
        Assert.True(File.Exists(Dll), $"built CLI not found at {Dll}");
        return Run("dotnet", [Dll, .. arguments], stdin, workingDirectory);
    }

    /// <summary>Lines of stderr that are not blank (Wireshark's "Running as user" note when run as root left out).</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Trim().Length > 0).ToArray();

    private static string StripRootNote(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(l => l.Trim().Length > 0 && !l.StartsWith("Running as user", StringComparison.Ordinal)));
}
