using System.CommandLine;

namespace Condis.Cli;

/// <summary>The <c>condis</c> command line: exit codes 0 ok, 1 verify mismatch, 2 usage, 3 bad input file.</summary>
internal static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Parses and runs one command line, writing to the given streams (tests call this directly).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("CoNdis: a user-mode model of the Windows CoNDIS data path.");
        foreach (var command in Commands.All(stdout, stderr))
            root.Subcommands.Add(command);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                stderr.WriteLine($"condis: {error.Message}");
            stderr.WriteLine("Run 'condis --help' for usage.");
            return ExitCodes.Usage;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
