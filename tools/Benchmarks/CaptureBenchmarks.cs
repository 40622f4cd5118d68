using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using CoNdis.Hardware.Capture;

namespace CoNdis.Benchmarks;

/// <summary>
/// Capture conversion speed: read a 1,000,000-packet pcap (afs.pcap's 601 packets repeated) and write it as pcapng,
/// next to <c>editcap -F pcapng</c> on the same file. Per-operation time is per packet (OperationsPerInvoke).
/// Run: dotnet run -c Release --project tools/Benchmarks -- --filter '*CaptureBenchmarks*' --strategy Monitoring --warmupCount 1 --iterationCount 5
/// </summary>
[MemoryDiagnoser]
public class CaptureBenchmarks
{
    private const int Packets = 1_000_000;
    private string _directory = "";
    private string _input = "";
    private string _output = "";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("condis-bench-").FullName;
        _input = Path.Combine(_directory, "million.pcap");
        _output = Path.Combine(_directory, "out.pcapng");
        var source = FindAfs();
        var packets = new List<(CaptureTimestamp Time, byte[] Data, uint Length)>();
        CaptureInterface captureInterface;
        using (var reader = CaptureReader.Open(source))
        {
            while (reader.TryReadPacket(out var packet))
                packets.Add((packet.Timestamp, packet.Data.ToArray(), packet.OriginalLength));
            captureInterface = reader.Interfaces[0];
        }

        using var writer = PcapWriter.ForInterface(File.Create(_input), captureInterface);
        for (int i = 0; i < Packets; i++)
        {
            var (time, data, length) = packets[i % packets.Count];
            writer.WritePacket(new CaptureTimestamp(time.Seconds + (i / packets.Count), time.Nanoseconds), data, length);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(OperationsPerInvoke = Packets, Description = "CoNdis read pcap + write pcapng")]
    public long ReadWrite()
    {
        using var reader = CaptureReader.Open(_input);
        using var writer = new PcapNgWriter(File.Create(_output));
        while (reader.TryReadPacket(out var packet))
            writer.WritePacket(packet);
        return writer.PacketCount;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Packets, Description = "editcap -F pcapng")]
    public int Editcap()
    {
        var info = new ProcessStartInfo("editcap") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-F", "pcapng", _input, _output })
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("editcap did not start");
        _ = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    private static string FindAfs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "captures", "afs.pcap");
            if (File.Exists(candidate))
                return candidate;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("CONDIS_CAPTURES");
        if (fromEnvironment is not null && File.Exists(Path.Combine(fromEnvironment, "afs.pcap")))
            return Path.Combine(fromEnvironment, "afs.pcap");
        throw new FileNotFoundException("afs.pcap not found: set CONDIS_CAPTURES to the shared captures folder");
    }
}
