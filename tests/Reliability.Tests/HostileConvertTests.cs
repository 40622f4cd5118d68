using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// Hostile captures through <c>condis convert --verify</c> as a process: a seeded corpus of mutants of the shared
/// captures (bit flips, truncations, a 32-bit field overwritten with 0, all ones or a random value, a record length
/// field set past the file), rotated over the four client/miniport pairings. Each ends with exit 0 (converted and
/// verified) or 3 (bad input file, one line on stderr), never a verify mismatch, an exception's stack trace or a hang
/// (a pcap record whose time its own format cannot hold, once exit 2, is a bad input since this suite found it);
/// each finishes in under 10 s with a peak resident set under 200 MB (GNU time's maximum RSS of the child).
/// </summary>
public sealed class HostileConvertTests
{
    private const int Mutants = 200;
    private const int MaximumInputBytes = 200_000;
    private static readonly TimeSpan PerRun = TimeSpan.FromSeconds(10);
    private const long PeakLimitKilobytes = 200 * 1024;

    internal static byte[] Mutate(byte[] original, Random random)
    {
        var file = (byte[])original.Clone();
        switch (random.Next(4))
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
            case 2:
            {
                int at = random.Next(Math.Max(1, file.Length / 4)) * 4;
                if (at + 4 <= file.Length)
                    BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), random.Next(3) switch { 0 => 0u, 1 => 0xFFFFFFFFu, _ => (uint)random.Next() });
                return file;
            }
            default:
            {
                // A length that points past the end: pcap's first record's incl_len (offset 32), or a pcapng block's
                // total length (the first block after the section header, at its stated length + 4).
                int at = file.Length >= 36 && BinaryPrimitives.ReadUInt32LittleEndian(file) is 0xA1B2C3D4 or 0xA1B23C4D ? 32
                    : file.Length >= 12 ? (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)) + 4, (uint)file.Length - 4) : 0;
                if (at + 4 <= file.Length)
                    BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), (uint)file.Length + (uint)random.Next(1, 1 << 20));
                return file;
            }
        }
    }

    [Fact]
    public void Mutated_captures_through_convert_verify_end_with_exit_0_or_3_one_line_no_stack_trace_in_10_s_and_200_mb()
    {
        if (!File.Exists(CondisProcess.GnuTime))
            Assert.Skip($"{CondisProcess.GnuTime} (GNU time) is not installed: it measures each run's peak memory (apt-get install time)");
        Assert.True(File.Exists(CondisProcess.Dll), $"built CLI not found at {CondisProcess.Dll}");
        var captures = CondisProcess.Captures();
        if (!Directory.Exists(captures))
            Assert.Skip($"the shared captures are not at {captures}");
        var originals = Directory.GetFiles(captures).Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Select(f => (Name: Path.GetFileName(f), Bytes: File.ReadAllBytes(f)))
            .Where(c => c.Bytes.Length is > 0 and <= MaximumInputBytes).ToArray();
        Assert.NotEmpty(originals);
        var scratch = Directory.CreateTempSubdirectory("condis-hostile-");
        var random = new Random(16_000);
        var work = Enumerable.Range(0, Mutants).Select(m =>
        {
            var (name, bytes) = originals[m % originals.Length];
            var pairing = Pairings.All[m / originals.Length % Pairings.All.Length];
            var path = Path.Combine(scratch.FullName, $"{m:D3}-{name}");
            File.WriteAllBytes(path, Mutate(bytes, random));
            return (Index: m, Name: name, Pairing: pairing, Path: path);
        }).ToArray();
        var results = new ConcurrentBag<(int Index, string Name, string Pairing, CondisProcess.Result Result)>();
        try
        {
            // Two at a time: the machine's two cores (each run is mostly the runtime starting and JIT-compiling).
            Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = 2 }, item =>
            {
                var parts = item.Pairing.Split('/');
                var output = item.Path + ".out";
                var result = CondisProcess.Run(["convert", item.Path, "-o", output, "--client", parts[0], "--miniport", parts[1], "--verify", "-j", "1"], PerRun, scratch.FullName);
                results.Add((item.Index, item.Name, item.Pairing, result));
                File.Delete(output);
                File.Delete(item.Path);
            });
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        var all = results.OrderBy(r => r.Index).ToArray();
        var findings = new List<string>();
        foreach (var (index, name, pairing, r) in all)
        {
            string what = $"mutant {index} of {name} on {pairing}";
            var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (r.TimedOut)
                findings.Add($"{what}: did not finish in {PerRun.TotalSeconds} s");
            else if (r.Exit is not (0 or 3))
                findings.Add($"{what}: exit {r.Exit}: {r.Stderr}");
            else if (r.Exit == 3 && (lines.Length != 1 || !lines[0].StartsWith("condis convert: ", StringComparison.Ordinal)))
                findings.Add($"{what}: exit 3 with {lines.Length} lines on stderr: {r.Stderr}");
            if (lines.Any(l => l.StartsWith("at ", StringComparison.Ordinal) || l.Contains("Unhandled exception", StringComparison.Ordinal)))
                findings.Add($"{what}: a stack trace on stderr: {r.Stderr}");
            if (r.Elapsed >= PerRun)
                findings.Add($"{what}: took {r.Elapsed.TotalSeconds:F1} s");
            if (r.PeakKilobytes < 0 || r.PeakKilobytes >= PeakLimitKilobytes)
                findings.Add($"{what}: peak resident set {r.PeakKilobytes} KB (limit {PeakLimitKilobytes} KB; -1: not measured)");
        }
        int converted = all.Count(r => r.Result.Exit == 0), refused = all.Count(r => r.Result.Exit == 3);
        var slowest = all.MaxBy(r => r.Result.Elapsed);
        var largest = all.MaxBy(r => r.Result.PeakKilobytes);
        SoakReport.Write(nameof(Mutated_captures_through_convert_verify_end_with_exit_0_or_3_one_line_no_stack_trace_in_10_s_and_200_mb),
            $"{all.Length} mutants of {originals.Length} captures over {Pairings.All.Length} pairings: {converted} converted and verified (exit 0), {refused} refused as bad input (exit 3); " +
            $"slowest {slowest.Result.Elapsed.TotalSeconds:F2} s ({slowest.Name} on {slowest.Pairing}), largest peak RSS {largest.Result.PeakKilobytes / 1024.0:F1} MB ({largest.Name} on {largest.Pairing}), " +
            $"median {all.Select(r => r.Result.Elapsed.TotalSeconds).Order().ElementAt(all.Length / 2):F2} s and {all.Select(r => r.Result.PeakKilobytes).Order().ElementAt(all.Length / 2) / 1024.0:F1} MB; " +
            $"exit 3 lines like: {all.Where(r => r.Result.Exit == 3).Select(r => r.Result.Stderr.Trim()).FirstOrDefault()}");
        Assert.Equal(Mutants, all.Length);
        Assert.True(findings.Count == 0, $"{findings.Count} findings:\n{string.Join('\n', findings.Take(20))}");
        Assert.True(converted > 0 && refused > 0, $"the corpus is not hostile enough: {converted} converted, {refused} refused");
    }
}
