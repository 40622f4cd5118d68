using System.CommandLine;
using CoNdis.Hardware.Capture;

namespace Condis.Cli;

/// <summary><c>condis inspect IN [--json]</c>: capture file facts like capinfos; exit 0 ok, 2 usage, 3 bad input file (one line).</summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("inspect", "Print facts about a pcap or pcapng capture (format, interfaces, packets, bytes, times), like capinfos.");
        var input = new Argument<string>("IN") { Description = "Capture file to read, or - for standard input." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        command.Arguments.Add(input);
        command.Options.Add(json);
        command.SetAction(parseResult => Run(parseResult.GetValue(input)!, parseResult.GetValue(json), stdout, stderr));
        return command;
    }

    public static int Run(string path, bool json, TextWriter stdout, TextWriter stderr)
    {
        bool fromStdin = path == "-";
        string name = fromStdin ? "(stdin)" : path;
        CaptureInspector inspector;
        try
        {
            using var stream = fromStdin
                ? Console.OpenStandardInput()
                : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            inspector = CaptureInspector.Inspect(name, stream);
        }
        catch (CaptureFormatException ex)
        {
            stderr.WriteLine($"condis inspect: {name}: {OneLine(ex.Message)}");
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"condis inspect: {name}: cannot read: {OneLine(ex.Message)}");
            return ExitCodes.BadInput;
        }

        if (json)
        {
            stdout.Flush();
            using var buffer = new MemoryStream();
            inspector.WriteJson(buffer);
            stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
        else
        {
            inspector.WriteText(stdout);
        }

        return ExitCodes.Ok;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
