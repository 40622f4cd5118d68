using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary>
/// Steady state allocates nothing per packet: what a whole convert run allocates (as -v debug reports it, from
/// GC.GetTotalAllocatedBytes) is the same for 601 packets and for 500,000, to within less than a byte per packet, over
/// the loopback NIC and across the ATM call (segmentation, cells, reassembly on two hosts).
/// </summary>
public sealed partial class ConvertAllocationEndToEndTests
{
    private const int Packets = 500_000;

    [Theory]
    [InlineData("native", "native", "loopback")]
    [InlineData("legacy", "legacy", "loopback")]
    [InlineData("native", "native", "atm")]
    [InlineData("legacy", "legacy", "atm")]
    public void Converting_more_packets_allocates_no_more(string client, string miniport, string device)
    {
        var dir = Directory.CreateTempSubdirectory("condis-alloc").FullName;
        try
        {
            var big = Path.Combine(dir, "big.pcap");
            File.WriteAllBytes(big, ManyFrames(Packets));
            long small = Allocated(Path.Combine(Captures, "afs.pcap"), client, miniport, device);
            long large = Allocated(big, client, miniport, device);
            Assert.True(large - small < Packets, $"{client}/{miniport} over {device}: {small} bytes for 601 packets, {large} for {Packets}: {(large - small) / (double)Packets:F2} bytes per packet");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static long Allocated(string input, string client, string miniport, string device)
    {
        var result = RunCondis("convert", input, "-o", "/dev/null", "--client", client, "--miniport", miniport, "--device", device, "-v", "debug");
        Assert.True(result.Exit == 0, result.Stderr);
        var match = AllocatedLine().Match(result.Stderr);
        Assert.True(match.Success, result.Stderr);
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>A pcap of Ethernet frames of 60 to 123 bytes.</summary>
    private static byte[] ManyFrames(int count)
    {
        using var file = new MemoryStream();
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);
        file.Write(header);
        var record = new byte[16 + 123];
        for (int i = 0; i < count; i++)
        {
            int length = 60 + (i % 64);
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(1_600_000_000 + (i / 1000)));
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)(i % 1000 * 1000));
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)length);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)length);
            record[16 + 12] = 0x88;
            record[16 + 13] = 0xB5;
            record[16 + 14] = (byte)i;
            file.Write(record, 0, 16 + length);
        }

        return file.ToArray();
    }

    [GeneratedRegex(@"debug: (\d+) bytes allocated in all")]
    private static partial Regex AllocatedLine();
}
