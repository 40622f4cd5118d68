using CoNdis.Hardware.Capture;
using Xunit;

namespace Condis.Cli.Tests;

/// <summary>convert --verify's read-back: what counts as a difference between the input and the output.</summary>
public sealed class CaptureComparerTests
{
    private static readonly CaptureInterface Ethernet = new(1, 65535);

    private static string Write(string dir, string name, params (long Seconds, int Nanoseconds, byte[] Data, uint Original)[] packets)
    {
        var path = Path.Combine(dir, name);
        using var writer = new PcapWriter(File.Create(path), 1, nanosecond: true);
        foreach (var (seconds, nanoseconds, data, original) in packets)
            writer.WritePacket(new CaptureTimestamp(seconds, nanoseconds), data, original);
        return path;
    }

    [Fact]
    public void Identical_captures_have_no_differences()
    {
        var dir = Directory.CreateTempSubdirectory("condis-compare").FullName;
        try
        {
            var a = Write(dir, "a.pcap", (1, 2, [1, 2, 3], 3), (5, 6, [4, 5], 9));
            var b = Write(dir, "b.pcap", (1, 2, [1, 2, 3], 3), (5, 6, [4, 5], 9));
            Assert.Empty(Condis.Cli.CaptureComparer.Compare(a, b, 8));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_changed_byte_timestamp_original_length_or_a_missing_packet_is_each_reported_with_its_packet_number()
    {
        var dir = Directory.CreateTempSubdirectory("condis-compare").FullName;
        try
        {
            var a = Write(dir, "a.pcap", (1, 2, [1, 2, 3], 3), (5, 6, [4, 5], 9), (7, 8, [6], 1));
            var b = Write(dir, "b.pcap", (1, 2, [1, 9, 3], 3), (5, 7, [4, 5], 8));
            var differences = Condis.Cli.CaptureComparer.Compare(a, b, 8);
            Assert.Equal(
            [
                "packet 1: bytes differ from offset 1",
                "packet 2: original length 9 in, 8 out",
                "packet 2: timestamp 5.000000006 in, 5.000000007 out",
                "the output ends after 2 packet(s); the input has more",
            ], differences);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void The_report_stops_at_the_first_differences()
    {
        var dir = Directory.CreateTempSubdirectory("condis-compare").FullName;
        try
        {
            var many = Enumerable.Range(0, 20).Select(i => (1L, i, new byte[] { (byte)i }, 1u)).ToArray();
            var changed = Enumerable.Range(0, 20).Select(i => (1L, i, new byte[] { (byte)(i + 1) }, 1u)).ToArray();
            var differences = Condis.Cli.CaptureComparer.Compare(Write(dir, "a.pcap", many), Write(dir, "b.pcap", changed), 3);
            Assert.Equal(3, differences.Count);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
