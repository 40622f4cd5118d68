using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Condis.Cli;

/// <summary><c>-v, --verbosity LEVEL</c> on every command: how much diagnostic output goes to standard error.</summary>
internal static class Verbosity
{
    public static readonly string[] Levels = ["quiet", "error", "warning", "info", "debug", "trace"];

    public static Option<string> CreateOption()
    {
        var option = new Option<string>("--verbosity", "-v")
        {
            Description = "Diagnostics on stderr: quiet, error, warning (default), info (file, counts, speed), debug (interfaces, skipped blocks, memory), trace (every packet).",
            HelpName = "LEVEL",
            Recursive = true,
            DefaultValueFactory = _ => "warning",
        };
        option.AcceptOnlyFromAmong(Levels);
        return option;
    }

    public static LogLevel ToLogLevel(string? level) => level switch
    {
        "quiet" => LogLevel.None,
        "error" => LogLevel.Error,
        "info" => LogLevel.Information,
        "debug" => LogLevel.Debug,
        "trace" => LogLevel.Trace,
        _ => LogLevel.Warning,
    };

    public static ILoggerFactory CreateLoggerFactory(string? level, TextWriter stderr) =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(ToLogLevel(level)).AddProvider(new StderrLoggerProvider(stderr)));
}
