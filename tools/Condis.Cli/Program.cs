using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Text;

namespace Condis.Cli;

/// <summary>The <c>condis</c> command line: exit codes 0 ok, 1 verify mismatch, 2 usage, 3 bad input file.</summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        // Standard output is buffered (a line per write would be a write call per packet) and flushed at the end.
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        int exit;
        try
        {
            exit = Run(args, new CliIo(stdout, Console.Error));
            stdout.Flush();
        }
        catch (IOException ex)
        {
            // A closed pipe (condis inspect --packets big.pcap | head) or a full disk: one line, no stack trace.
            Console.Error.WriteLine($"condis: cannot write standard output: {TextEscaping.Escape(ex.Message)}");
            return ExitCodes.BadInput;
        }

        return exit;
    }

    /// <summary>Parses and runs one command line, writing to the given streams (tests call this directly).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, new CliIo(stdout, stderr));

    public static int Run(string[] args, CliIo io)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        var root = CreateRoot(io);
        var parsed = root.Parse(args);
        string commandName = parsed.CommandResult.Command is RootCommand ? "condis" : $"condis {parsed.CommandResult.Command.Name}";

        // An argument that looks like an option is an unknown option (System.CommandLine would take it for IN, or
        // blame the next word); '--' ends the options, so 'condis inspect -- -name.pcap' still reads a file named so.
        bool helpOrVersion = parsed.Action is { ClearsParseErrors: true };
        if (!helpOrVersion && UnknownOption(parsed) is string unknown)
            return Usage(io, commandName, $"unknown option '{TextEscaping.Escape(unknown)}'");
        if (!helpOrVersion && parsed.Errors.Count > 0)
            return Usage(io, commandName, string.Join("; ", parsed.Errors.Select(e => TextEscaping.Escape(Named(e)))));
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = io.Stdout, Error = io.Stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is not IOException)
        {
            // Last resort: whatever went wrong, one line and no stack trace (exit 1: the run did not end as it must).
            io.Stderr.WriteLine($"{commandName}: internal error: {ex.GetType().Name}: {TextEscaping.Escape(ex.Message.ReplaceLineEndings(" "))}");
            return ExitCodes.VerifyMismatch;
        }
    }

    internal static RootCommand CreateRoot(CliIo io)
    {
        var root = new RootCommand("CoNdis: a user-mode model of the Windows CoNDIS data path. Convert captures through it (native or NDIS 5.x client and miniport over a simulated loopback NIC, or across a UNI call between two ATM hosts), write frames as ATM cells, inspect captures as the data path sees them, walk through its structures.");
        root.Options.Add(Verbosity.CreateOption());
        foreach (var command in Commands.All(io))
            root.Subcommands.Add(command);
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction standard } help)
                help.Action = new ExamplesHelpAction(standard);
        }

        return root;
    }

    private static string? UnknownOption(ParseResult parsed)
    {
        foreach (var token in parsed.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
                return null;
            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-' && !IsOptionValue(parsed, token))
                return token.Value;
        }

        return null;
    }

    /// <summary>Options that take a value: the word after one is its value, even when it starts with '-'.</summary>
    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal) { "--verbosity", "-v", "--output", "-o", "--client", "--miniport", "--device", "--format", "--wire", "--jobs", "-j", "--vpi", "--vci", "--encap", "--container" };

    private static bool IsOptionValue(ParseResult parsed, Token token)
    {
        var tokens = parsed.Tokens;
        for (int i = 1; i < tokens.Count; i++)
        {
            if (ReferenceEquals(tokens[i], token))
                return tokens[i - 1].Type == TokenType.Option && ValueOptions.Contains(tokens[i - 1].Value);
        }

        return false;
    }

    /// <summary>A parse error as one line that names the option it is about ("--encap: Argument 'lane' not recognized...").</summary>
    private static string Named(ParseError error)
    {
        string message = OneLine(error.Message);
        return error.SymbolResult is OptionResult { Option.Name: string name } && !message.Contains(name, StringComparison.Ordinal)
            ? $"{name}: {message}"
            : message;
    }

    /// <summary>System.CommandLine's multi-line messages (a list of allowed values) as one line.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static int Usage(CliIo io, string command, string problem)
    {
        io.Stderr.WriteLine($"{command}: {problem}");
        io.Stderr.WriteLine($"Run '{command} --help' for usage.");
        return ExitCodes.Usage;
    }
}
