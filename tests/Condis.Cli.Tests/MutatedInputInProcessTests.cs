using System.Buffers.Binary;
using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary>
/// Mutated shared captures through <c>condis inspect --packets --json</c> in process (Program.Run with string writers):
/// every one ends with exit 0 or 3, a 3 with exactly one line on stderr, no exception escapes, none hangs.
/// </summary>
public sealed class MutatedInputInProcessTests
{
    private const int MutantsPerFile = 60;

    private static byte[] Mutate(byte[] original, Random random)
    {
        var file = (byte[])original.Clone();
        switch (random.Next(3))
        {
            case 0:
                for (int flips = random.Next(1, 8); flips > 0; flips--)
                {
                    int bit = random.Next(file.Length * 8);
                    file[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                return file;
            case 1:
                return file[..random.Next(file.Length)];
            default:
                int at = random.Next(Math.Max(1, file.Length / 4)) * 4;
                if (at + 4 <= file.Length)
                    BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), random.Next(3) switch { 0 => 0u, 1 => 0xFFFFFFFFu, _ => (uint)random.Next() });
                return file;
        }
    }

    [Fact]
    public async Task Mutated_captures_end_with_exit_0_or_3_and_one_line_and_never_hang()
    {
        var directory = Directory.CreateTempSubdirectory("condis-mutants-");
        int ok = 0, refused = 0;
        try
        {
            foreach (var (name, index) in CaptureNames.Select((n, i) => (n, i)))
            {
                var original = File.ReadAllBytes(Path.Combine(Captures, name));
                if (original.Length is 0 or > 200_000)
                    continue;
                var random = new Random(15_000 + index);
                for (int m = 0; m < MutantsPerFile; m++)
                {
                    var path = Path.Combine(directory.FullName, $"{m}-{name}");
                    File.WriteAllBytes(path, Mutate(original, random));
                    var stdout = new StringWriter();
                    var stderr = new StringWriter();
                    var run = Task.Run(() => Program.Run(["inspect", "--packets", "--json", path], new CliIo(stdout, stderr, stdinIsTerminal: () => false)), TestContext.Current.CancellationToken);
                    var done = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
                    Assert.True(done == run, $"{name} mutant {m} did not finish in 20 s");
                    int exit = await run;
                    var lines = Lines(stderr.ToString());
                    if (exit == 0)
                    {
                        ok++;
                        Assert.Empty(lines);
                        System.Text.Json.JsonDocument.Parse(stdout.ToString()).Dispose();
                    }
                    else
                    {
                        Assert.True(exit == 3, $"{name} mutant {m}: exit {exit}: {stderr}");
                        refused++;
                        var line = Assert.Single(lines);
                        Assert.StartsWith($"condis inspect: {path}: ", line, StringComparison.Ordinal);
                    }

                    File.Delete(path);
                }
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        Assert.True(ok > 0 && refused > 0, $"read {ok}, refused {refused}");
    }
}
