namespace Condis.Cli;

internal static class Demo
{
    public static int Run(TextWriter stdout, TextWriter stderr)
    {
        _ = stderr;
        stdout.WriteLine("CoNdis demo");
        return ExitCodes.Ok;
    }
}
