using System.Diagnostics;
using Xunit;

namespace CoNdis.Hardware.Tests.Capture;

/// <summary>Runs Wireshark's command-line tools (tshark, capinfos, editcap); tests skip when a tool is not installed.</summary>
internal static class ExternalTool
{
    public static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }

    public static string Require(string name)
    {
        var path = Find(name);
        if (path is null)
            Assert.Skip($"{name} is not installed (apt-get install tshark wireshark-common; .ci/run installs it)");
        return path;
    }

    public static (int ExitCode, string Stdout, string Stderr) Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(Require(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish in 60 s");
        }

        return (process.ExitCode, stdout, StripRootWarning(stderr.Result));
    }

    /// <summary>Wireshark's tools print a note when run as root (CI containers); that is not a warning about the file.</summary>
    private static string StripRootWarning(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(line => !line.StartsWith("Running as user", StringComparison.Ordinal) && line.Trim().Length > 0));
}
