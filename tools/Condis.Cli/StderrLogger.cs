using Microsoft.Extensions.Logging;

namespace Condis.Cli;

/// <summary>The logger of <see cref="StderrLoggerProvider"/>: level name and message, one line each.</summary>
internal sealed class StderrLogger(TextWriter stderr) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        string level = logLevel switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warning",
            LogLevel.Error => "error",
            _ => "critical",
        };
        string message = TextEscaping.Escape(formatter(state, exception));
        if (exception is not null)
            message += ": " + TextEscaping.Escape(exception.Message);
        lock (stderr)
            stderr.WriteLine($"condis: {level}: {message}");
    }
}
