namespace Condis.Cli;

/// <summary>The streams a command reads and writes; <see cref="Program.Main"/> passes the console's, tests their own.</summary>
internal sealed class CliIo
{
    public CliIo(TextWriter stdout, TextWriter stderr, Func<Stream>? openStdin = null, Func<bool>? stdinIsTerminal = null)
    {
        Stdout = stdout;
        Stderr = stderr;
        OpenStdin = openStdin ?? Console.OpenStandardInput;
        StdinIsTerminal = stdinIsTerminal ?? (() => !Console.IsInputRedirected);
    }

    public TextWriter Stdout { get; }

    public TextWriter Stderr { get; }

    public Func<Stream> OpenStdin { get; }

    /// <summary>True when standard input is a terminal (nothing piped in): reading it would wait for typing.</summary>
    public Func<bool> StdinIsTerminal { get; }
}
