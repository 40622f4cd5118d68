using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CoNdis.Hardware.Capture;

namespace CoNdis.Benchmarks;

/// <summary>
/// <c>condis convert</c> as a user runs it, side by side in one run with the tools it is measured against: a
/// 1,000,000-packet Ethernet pcap (afs.pcap's 601 real frames, 70-1514 bytes, repeated; 868 MB) converted to pcapng
/// through the native client, the native miniport and the loopback NIC (every frame sent as an NBL, DMA-gathered,
/// looped back, DMA-written into a receive buffer, indicated and written), next to <c>editcap -F pcapng</c> on the
/// same file (the baseline: the ratio column is the wall-time ratio asked about), <c>cat</c> to /dev/null, and cat
/// through a pipe (GNU cat to /dev/null may not copy the bytes at all). Each is a process, started and waited for, so
/// the times include start-up. Per-operation times are per packet. Also the same conversion across the ATM call
/// (<c>--device atm</c>: two hosts, the frames in cells) and <c>condis cells</c> writing the frames as SunATM. Build the CLI first
/// (<c>dotnet build tools/Condis.Cli -c Release</c>); run:
/// <c>dotnet run -c Release --project tools/Benchmarks -- --filter '*ConvertCommandBenchmarks*'</c>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 7)]
public class ConvertCommandBenchmarks
{
    private const int Packets = 1_000_000;
    private string _directory = "";
    private string _input = "";
    private string _output = "";
    private string _condis = "";

    [GlobalSetup]
    public void Setup()
    {
        _condis = FindCondis();
        _directory = Directory.CreateTempSubdirectory("condis-convert-bench-").FullName;
        _input = Path.Combine(_directory, "million.pcap");
        _output = Path.Combine(_directory, "out.pcapng");
        var packets = new List<(CaptureTimestamp Time, byte[] Data, uint Length)>();
        CaptureInterface captureInterface;
        using (var reader = CaptureReader.Open(FindCapture("afs.pcap")))
        {
            while (reader.TryReadPacket(out var packet))
                packets.Add((packet.Timestamp, packet.Data.ToArray(), packet.OriginalLength));
            captureInterface = reader.Interfaces[0];
        }

        using (var writer = PcapWriter.ForInterface(File.Create(_input), captureInterface))
        {
            for (int i = 0; i < Packets; i++)
            {
                var (time, data, length) = packets[i % packets.Count];
                writer.WritePacket(new CaptureTimestamp(time.Seconds + (i / packets.Count), time.Nanoseconds), data, length);
            }
        }

        // A check, not a measurement: the conversion must be right before its speed means anything.
        Run("dotnet", _condis, "convert", _input, "-o", _output, "--format", "pcapng", "--verify");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = Packets, Description = "editcap -F pcapng")]
    public int Editcap() => Run("editcap", "-F", "pcapng", _input, _output);

    [Benchmark(OperationsPerInvoke = Packets, Description = "condis convert, native/native over loopback")]
    public int CondisNative() => Run("dotnet", _condis, "convert", _input, "-o", _output, "--format", "pcapng");

    [Benchmark(OperationsPerInvoke = Packets, Description = "condis convert, legacy/legacy over loopback")]
    public int CondisLegacy() => Run("dotnet", _condis, "convert", _input, "-o", _output, "--format", "pcapng", "--client", "legacy", "--miniport", "legacy");

    [Benchmark(OperationsPerInvoke = Packets, Description = "condis convert, native/native over atm")]
    public int CondisAtm() => Run("dotnet", _condis, "convert", _input, "-o", _output, "--format", "pcapng", "--device", "atm");

    [Benchmark(OperationsPerInvoke = Packets, Description = "condis cells --format sunatm")]
    public int CondisCells() => Run("dotnet", _condis, "cells", _input, "-o", _output, "--format", "sunatm");

    [Benchmark(OperationsPerInvoke = Packets, Description = "cat > /dev/null")]
    public int Cat() => Run("sh", "-c", "cat \"$0\" > /dev/null", _input);

    [Benchmark(OperationsPerInvoke = Packets, Description = "cat | cat > /dev/null")]
    public int CatThroughPipe() => Run("sh", "-c", "cat \"$0\" | cat > /dev/null", _input);

    private static int Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr}");
        return process.ExitCode;
    }

    private static string FindCondis()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tools", "Condis.Cli", "bin", "Release", "net10.0", "condis.dll");
            if (File.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException("condis.dll not found: build it first (dotnet build tools/Condis.Cli -c Release)");
    }

    private static string FindCapture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "captures", name);
            if (File.Exists(candidate))
                return candidate;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("CONDIS_CAPTURES");
        if (fromEnvironment is not null && File.Exists(Path.Combine(fromEnvironment, name)))
            return Path.Combine(fromEnvironment, name);
        throw new FileNotFoundException($"{name} not found: set CONDIS_CAPTURES to the shared captures folder");
    }
}
