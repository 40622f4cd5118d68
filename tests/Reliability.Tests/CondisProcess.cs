using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// Runs the built <c>condis</c> (condis.dll, copied next to the tests by the project reference) as a process under GNU
/// time, which reports the child's peak resident set (wait4's ru_maxrss): exit code, stderr, wall time, peak memory.
/// </summary>
internal static class CondisProcess
{
    public const string GnuTime = "/usr/bin/time";

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "condis.dll");

    public static string Captures([CallerFilePath] string source = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(source)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoNdis.slnx")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "captures"));
        }
        throw new InvalidOperationException("repository root (CoNdis.slnx) not found");
    }

    internal readonly record struct Result(int Exit, string Stderr, TimeSpan Elapsed, long PeakKilobytes, bool TimedOut);

    /// <summary>dotnet condis.dll <paramref name="arguments"/>, killed after <paramref name="timeout"/>.</summary>
    public static Result Run(IReadOnlyList<string> arguments, TimeSpan timeout, string scratch)
    {
        var report = Path.Combine(scratch, $"time-{Guid.NewGuid():N}.txt");
        var info = new ProcessStartInfo(GnuTime) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-f", "%M", "-o", report, "dotnet", Dll, .. arguments])
            info.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Close();
        bool timedOut = !process.WaitForExit(timeout);
        if (timedOut)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        var elapsed = clock.Elapsed;
        _ = stdout.Result;
        long peak = -1;
        if (File.Exists(report))
        {
            // GNU time writes "Command exited with non-zero status N" before the format's line when the child fails.
            var last = File.ReadAllLines(report).LastOrDefault(l => l.Length > 0);
            if (last is not null && long.TryParse(last.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb))
                peak = kb;
            File.Delete(report);
        }
        return new Result(process.ExitCode, stderr.Result, elapsed, peak, timedOut);
    }
}
