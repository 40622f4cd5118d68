using CoNdis.Fuzz;
using SharpFuzz;

// Under afl-fuzz (fork server in the environment): SharpFuzz's loop, input on stdin.
// Otherwise, every file named on the command line is run through the target once (replaying a corpus or a crash);
// with no file, stdin is read once.
if (Environment.GetEnvironmentVariable("__AFL_SHM_ID") is not null || args.Length == 0)
{
    Fuzzer.OutOfProcess.Run(CaptureReaderTarget.Run);
    return 0;
}

int failed = 0;
foreach (var path in args.SelectMany(a => Directory.Exists(a) ? Directory.EnumerateFiles(a) : [a]))
{
    try
    {
        using var file = File.OpenRead(path);
        CaptureReaderTarget.Run(file);
    }
#pragma warning disable CA1031 // A replay reports every finding and goes on with the next input.
    catch (Exception ex)
#pragma warning restore CA1031
    {
        failed++;
        Console.Error.WriteLine($"{path}: {ex.GetType().FullName}: {ex.Message}");
    }
}

Console.WriteLine($"{failed} of the inputs failed");
return failed == 0 ? 0 : 1;
