using Microsoft.Extensions.Logging;

namespace Condis.Cli;

/// <summary>Writes each diagnostic as one line on standard error ("condis: debug: …"), synchronously, escaped.</summary>
internal sealed class StderrLoggerProvider(TextWriter stderr) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new StderrLogger(stderr);

    public void Dispose()
    {
    }
}
