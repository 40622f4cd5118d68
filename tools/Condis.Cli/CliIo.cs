namespace Condis.Cli;

/// <summary>The streams a command reads and writes; <see cref="Program.Main"/> passes the console's, tests their own.</summary>
internal sealed class CliIo
{
    public CliIo(TextWriter stdout, TextWriter stderr, Func<Stream>? openStdin = null, Func<bool>? stdinIsTerminal = null, Func<Stream>? openStdout = null, Func<bool>? stderrIsTerminal = null)
    {
        OpenStdout = openStdout ?? (() =>
        {
            stdout.Flush();
            return Console.OpenStandardOutput();
        });
        StderrIsTerminal = stderrIsTerminal ?? (() => !Console.IsErrorRedirected);
        Stdout = stdout;
        Stderr = stderr;
        OpenStdin = openStdin ?? Console.OpenStandardInput;
        StdinIsTerminal = stdinIsTerminal ?? (() => !Console.IsInputRedirected);
    }

    public TextWriter Stdout { get; }

    public TextWriter Stderr { get; }

    public Func<Stream> OpenStdin { get; }

    /// <summary>Standard output as bytes (a capture written to '-'); text written to <see cref="Stdout"/> before is flushed first.</summary>
    public Func<Stream> OpenStdout { get; }

    /// <summary>True when standard error is a terminal (a progress bar may be drawn there).</summary>
    public Func<bool> StderrIsTerminal { get; }

    /// <summary>True when standard input is a terminal (nothing piped in): reading it would wait for typing.</summary>
    public Func<bool> StdinIsTerminal { get; }
}
