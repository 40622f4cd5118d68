using System.CommandLine;

namespace Condis.Cli;

/// <summary><c>condis tour</c>: the NET_BUFFER structure walkthrough (allocate, retreat, clone, fragment, reassemble, free).</summary>
internal static class TourCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("tour", "Walk through the NET_BUFFER structures: allocate a frame, prepend headers, clone, fragment, reassemble, free; each step prints its NBL/NB/MDL layout. Exit 0 when every pool is full again and the verifier found nothing, 1 otherwise.");
        command.SetAction(_ => StructureTour.Run(io.Stdout, io.Stderr, "tour"));
        return command;
    }
}
