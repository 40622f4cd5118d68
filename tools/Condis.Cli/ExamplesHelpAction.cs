using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Condis.Cli;

/// <summary>--help as System.CommandLine writes it, followed by the command's examples and, for the root, the exit codes.</summary>
internal sealed class ExamplesHelpAction : SynchronousCommandLineAction
{
    private readonly HelpAction standard;

    public ExamplesHelpAction(HelpAction standard)
    {
        this.standard = standard;
        // Redirected help (a pipe, a file, a test) would otherwise be one endless line per option.
        if (Console.IsOutputRedirected)
            standard.MaxWidth = 110;
    }

    /// <summary>Like the standard help: 'condis inspect --help' is help, not a missing IN.</summary>
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        standard.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var command = parseResult.CommandResult.Command;
        string key = command is RootCommand ? "condis" : command.Name;
        if (Commands.Examples.TryGetValue(key, out var examples))
        {
            output.WriteLine("Examples:");
            foreach (var line in examples)
                output.WriteLine("  " + line);
            output.WriteLine();
        }

        output.WriteLine("Exit codes:");
        output.WriteLine("  0  success");
        output.WriteLine("  1  verify mismatch (a run did not end as it must)");
        output.WriteLine("  2  usage error (unknown command or option, missing or bad argument)");
        output.WriteLine("  3  bad input file (one line on stderr naming the file, the offset and what is wrong)");
        output.WriteLine();
        return ExitCodes.Ok;
    }
}
