using System.CommandLine;

namespace Condis.Cli;

/// <summary><c>condis demo</c>: runs the embedded default scenario with no files and no setup.</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("demo", "Run the built-in scenario on the embedded default (no files needed).");
        command.SetAction(_ => Demo.Run(stdout, stderr));
        return command;
    }
}
