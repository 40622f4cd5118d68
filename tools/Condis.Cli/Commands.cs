using System.CommandLine;

namespace Condis.Cli;

/// <summary>The list of subcommands; each command lives in its own file.</summary>
internal static class Commands
{
    public static IEnumerable<Command> All(TextWriter stdout, TextWriter stderr)
    {
        yield return DemoCommand.Create(stdout, stderr);
        yield return InspectCommand.Create(stdout, stderr);
    }
}
