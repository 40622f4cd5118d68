using System.CommandLine;

namespace Condis.Cli;

/// <summary>
/// <c>condis demo</c>: for now the same walkthrough as <c>condis tour</c> (same code, same output and exit codes); the
/// device-backed demo (mixed traffic through the four pairings) replaces it when the device lands.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("demo", "Run the built-in scenario with no files and no setup (today: the structure walkthrough of 'condis tour').");
        command.SetAction(_ => StructureTour.Run(io.Stdout, io.Stderr, "demo"));
        return command;
    }
}
