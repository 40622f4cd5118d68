using System.Buffers.Binary;
using CoNdis.Hardware.Capture;
using Xunit;
using static CoNdis.Hardware.Tests.Capture.CaptureBytes;

namespace CoNdis.Hardware.Tests.Capture;

/// <summary>
/// Limits and version rules where the readers follow Wireshark's wiretap (libpcap.c, pcapng.c): each edge file is
/// accepted or refused as tshark 4.0 does it, with the same captured and original lengths. The expectations were
/// taken from tshark 4.0.17; a second test asks the installed tshark again, so the judge stays outside.
/// </summary>
public sealed class WiresharkAgreementEdgeTests
{
    private const int Max = CaptureReaderOptions.DefaultMaxPacketLength;

    /// <summary>An edge file and what Wireshark reads from it: null when it calls the file damaged or unsupported.</summary>
    private sealed record Edge(byte[] File, (int Captured, long Original)[]? Packets);

    private static readonly Lazy<Dictionary<string, Edge>> Edges = new(Build);

    private static Dictionary<string, Edge> Build()
    {
        var sixty = Frame(60);
        var eth0 = System.Text.Encoding.ASCII.GetBytes("eth0");
        byte[] Ng(byte[] epbOptions) => Concat(Shb(), Idb(), Epb(sixty, epbOptions));
        var ok60 = new[] { (60, 60L) };
        var swapped = new[] { (60, 100L) };
        return new()
        {
            ["pcap caplen 262144 (Wireshark's maximum)"] = new(Pcap(2, 4, 1, Max, (Max, Max, Frame(Max))), [(Max, Max)]),
            ["pcap caplen 262145"] = new(Pcap(2, 4, 1, Max, (Max + 1, Max + 1, Frame(Max + 1))), null),
            ["pcap 2.0 stores len before caplen"] = new(Pcap(2, 0, 1, 65535, (100, 60, sixty)), swapped),
            ["pcap 2.1 stores len before caplen"] = new(Pcap(2, 1, 1, 65535, (100, 60, sixty)), swapped),
            ["pcap 2.2 stores len before caplen"] = new(Pcap(2, 2, 1, 65535, (100, 60, sixty)), swapped),
            ["pcap 2.3 swapped when caplen > len"] = new(Pcap(2, 3, 1, 65535, (100, 60, sixty)), swapped),
            ["pcap 2.3 in 2.4 order"] = new(Pcap(2, 3, 1, 65535, (60, 100, sixty)), swapped),
            ["pcap 543.0 (DG/UX) stores len first"] = new(Pcap(543, 0, 1, 65535, (100, 60, sixty)), swapped),
            ["pcap 3.0 read as 2.4"] = new(Pcap(3, 0, 1, 65535, (60, 60, sixty)), ok60),
            ["pcap 1.0 unsupported"] = new(Pcap(1, 0, 1, 65535, (60, 60, sixty)), null),
            ["pcapng SHB 1.0"] = new(Concat(Shb(1, 0), Idb(), Epb(sixty)), ok60),
            ["pcapng SHB 1.1 unsupported"] = new(Concat(Shb(1, 1), Idb(), Epb(sixty)), null),
            ["pcapng SHB 1.2 read as 1.0"] = new(Concat(Shb(1, 2), Idb(), Epb(sixty)), ok60),
            ["pcapng SHB 1.3 unsupported"] = new(Concat(Shb(1, 3), Idb(), Epb(sixty)), null),
            ["pcapng SHB 2.0 unsupported"] = new(Concat(Shb(2, 0), Idb(), Epb(sixty)), null),
            ["end-of-options of length 4 inside its block"] = new(Concat(Shb(), Idb(options: Concat(Option(2, eth0), Option(0, new byte[4]))), Epb(sixty)), ok60),
            ["end-of-options of length 4 past its block"] = new(Concat(Shb(), Idb(options: Concat(Option(2, eth0), Option(0, [], length: 4))), Epb(sixty)), null),
            ["bytes after end-of-options are ignored"] = new(Concat(Shb(), Idb(options: Concat(Option(2, eth0), EndOfOptions, [0xFF, 0xFF, 0xFF, 0xFF])), Epb(sixty)), ok60),
            ["EPB caplen 262144"] = new(Concat(Shb(), Idb(), Epb(Frame(Max))), [(Max, Max)]),
            ["EPB caplen 262145"] = new(Concat(Shb(), Idb(), Epb(Frame(Max + 1))), null),
            ["EPB caplen 262144 with 120,000 bytes of options"] = new(Concat(Shb(), Idb(), Epb(Frame(Max), Concat(Option(1, new byte[60_000]), Option(1, new byte[60_000]), EndOfOptions))), [(Max, Max)]),
            ["unknown block of 1 MiB skipped"] = new(Concat(Shb(), Idb(), Block(0x12345, new byte[1 << 20]), Epb(sixty)), ok60),
            ["block length not a multiple of 4 rounded up"] = new(Concat(Shb(), Idb(), Unpadded(Frame(61)), Epb(sixty)), [(61, 61), (60, 60)]),
            ["SPB too small for min(len, snaplen)"] = new(Concat(Shb(), Idb(), Spb(100, sixty), Epb(sixty)), null),
            ["SPB cut to the snapshot length"] = new(Concat(Shb(), Idb(snapLength: 60), Spb(100, sixty)), swapped),
            ["epb_flags of 4 bytes"] = new(Ng(Concat(Option(2, new byte[4]), EndOfOptions)), ok60),
            ["epb_flags of 8 bytes"] = new(Ng(Concat(Option(2, new byte[8]), EndOfOptions)), null),
            ["epb_hash of 0 bytes"] = new(Ng(Concat(Option(3, []), EndOfOptions)), ok60),
            ["epb_dropcount of 4 bytes"] = new(Ng(Concat(Option(4, new byte[4]), EndOfOptions)), null),
            ["epb_packetid of 4 bytes"] = new(Ng(Concat(Option(5, new byte[4]), EndOfOptions)), null),
            ["epb_queue of 8 bytes"] = new(Ng(Concat(Option(6, new byte[8]), EndOfOptions)), null),
            ["epb_verdict of 0 bytes"] = new(Ng(Concat(Option(7, []), EndOfOptions)), null),
            ["epb_verdict TC of 1 byte"] = new(Ng(Concat(Option(7, [1]), EndOfOptions)), null),
            ["if_filter of 0 bytes"] = new(Concat(Shb(), Idb(options: Concat(Option(11, []), EndOfOptions)), Epb(sixty)), null),
            ["ISB shorter than 24 bytes"] = new(Concat(Shb(), Idb(), Block(PcapNgBlockTypes.InterfaceStatistics, new byte[4]), Epb(sixty)), null),
        };
    }

    /// <summary>An EPB whose total length leaves out the packet's padding (as some writers did); the trailer does the same.</summary>
    private static byte[] Unpadded(byte[] data)
    {
        var block = Epb(data);
        uint length = (uint)(32 + data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), length);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(block.Length - 4), length);
        return block;
    }

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Edges.Value.Keys)
            data.Add(name);
        return data;
    }

    /// <summary>What our reader makes of a file: its packets' lengths, or null when it refuses the file.</summary>
    private static (int Captured, long Original)[]? Ours(byte[] file)
    {
        try
        {
            using var reader = CaptureReader.Open(new MemoryStream(file));
            var packets = new List<(int, long)>();
            while (reader.TryReadPacket(out var packet))
                packets.Add((packet.CapturedLength, packet.OriginalLength));
            return [.. packets];
        }
        catch (CaptureFormatException)
        {
            return null;
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Edge_file_is_read_or_refused_as_wireshark_reads_it(string name)
    {
        var edge = Edges.Value[name];
        var ours = Ours(edge.File);
        if (edge.Packets is null)
            Assert.True(ours is null, $"{name}: Wireshark refuses it, we read {ours?.Length} packet(s)");
        else
            Assert.Equal(edge.Packets, ours);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Installed_tshark_reads_the_edge_file_as_recorded(string name)
    {
        ExternalTool.Require("tshark");
        var edge = Edges.Value[name];
        var path = Path.Combine(Path.GetTempPath(), $"condis-edge-{Environment.ProcessId}-{Math.Abs(name.GetHashCode(StringComparison.Ordinal))}.cap");
        File.WriteAllBytes(path, edge.File);
        try
        {
            var run = ExternalTool.Run("tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.cap_len", "-e", "frame.len");
            if (edge.Packets is null)
            {
                Assert.True(run.ExitCode != 0, $"{name}: recorded as refused, tshark read it: {run.Stdout}");
                return;
            }

            Assert.True(run.ExitCode == 0, $"{name}: tshark refused it: {run.Stderr}");
            var rows = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(r => r.Split('\t'))
                .Select(c => (int.Parse(c[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture)))
                .ToArray();
            Assert.Equal(edge.Packets, rows);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_skipped_block_is_streamed_over_without_being_held()
    {
        // A 16 MiB unknown block read through a 64 KiB packet limit: skipped by length, the EPB after it read.
        var options = new CaptureReaderOptions { MaxPacketLength = 65_536, MaxBlockLength = 70_000 };
        var file = Concat(Shb(), Idb(), Block(0x40000001, new byte[16 << 20]), Epb(Frame(60)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var reader = CaptureReader.Open(new MemoryStream(file), options);
        Assert.True(reader.TryReadPacket(out var packet));
        Assert.Equal(60, packet.CapturedLength);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the skipped block was buffered");
        Assert.Equal(1, reader.SkippedBlocks[0x40000001]);
    }

    [Fact]
    public void A_held_block_above_the_block_limit_is_refused_naming_the_limit()
    {
        var file = Concat(Shb(), Idb(), Epb(Frame(100), Concat(Option(1, new byte[10_000]), EndOfOptions)));
        var ex = Assert.Throws<CaptureFormatException>(() =>
        {
            using var reader = CaptureReader.Open(new MemoryStream(file), new CaptureReaderOptions { MaxBlockLength = 4096 });
            reader.TryReadPacket(out _);
        });
        Assert.Contains("exceeds the maximum of 4096 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pcap_version_is_reported()
    {
        using var reader = CaptureReader.Open(new MemoryStream(Pcap(2, 2, 1, 65535)));
        Assert.Equal((2, 2), (reader.VersionMajor, reader.VersionMinor));
        using var ng = CaptureReader.Open(new MemoryStream(Concat(Shb(1, 2), Idb())));
        Assert.Equal((1, 2), (ng.VersionMajor, ng.VersionMinor));
    }
}
