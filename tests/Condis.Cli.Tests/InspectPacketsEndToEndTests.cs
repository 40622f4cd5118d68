using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary><c>inspect --packets</c> as a process: per packet the NBL it enters the data path as and the NDIS_PACKET it becomes.</summary>
public sealed partial class InspectPacketsEndToEndTests
{
    private const uint LinkTypeSunAtm = 123;

    [Theory]
    [MemberData(nameof(AllCaptures), MemberType = typeof(CliProcess))]
    public void Inspect_packets_json_agrees_with_tshark_on_packet_count_and_lengths(string name)
    {
        var tshark = RequireTool("tshark");
        var path = Path.Combine(Captures, name);
        var ours = RunCondis("inspect", "--packets", "--json", path);
        Assert.True(ours.Exit == 0, ours.Stderr);
        using var json = JsonDocument.Parse(ours.Stdout);
        var packets = json.RootElement.GetProperty("packets").EnumerateArray().ToList();
        Assert.Equal(json.RootElement.GetProperty("packetCount").GetInt64(), packets.Count);

        // tshark shows pcapng custom blocks as records without an encapsulation: they are not packets.
        var theirs = Run(tshark, ["-n", "-r", path, "-T", "fields", "-e", "frame.encap_type", "-e", "frame.cap_len", "-e", "frame.len"]);
        Assert.True(theirs.Exit == 0, theirs.Stderr);
        var rows = theirs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split('\t')).Where(c => c[0].Length > 0).ToList();
        Assert.Equal(rows.Count, packets.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var packet = packets[i];
            long captured = packet.GetProperty("capturedLength").GetInt64();
            long original = packet.GetProperty("originalLength").GetInt64();
            // Wireshark moves LINKTYPE_SUNATM's 4-byte pseudo-header out of the frame (docs/capture.md).
            bool sunAtm = packet.GetProperty("linkType").GetUInt32() == LinkTypeSunAtm;
            long capturedShift = sunAtm ? Math.Min(4, captured) : 0, originalShift = sunAtm ? 4 : 0;
            Assert.True(long.Parse(rows[i][1], CultureInfo.InvariantCulture) == captured - capturedShift, $"{name} packet {i + 1}: caplen {captured}, tshark {rows[i][1]}");
            Assert.True(long.Parse(rows[i][2], CultureInfo.InvariantCulture) == original - originalShift, $"{name} packet {i + 1}: len {original}, tshark {rows[i][2]}");
            AssertLayoutDescribesTheFrame(name, packet);
        }
    }

    /// <summary>The NB holds the frame (less a removed 802.1Q tag), its MDLs add up to it, and the NDIS_PACKET's buffers describe the same bytes.</summary>
    private static void AssertLayoutDescribesTheFrame(string name, JsonElement packet)
    {
        long captured = packet.GetProperty("capturedLength").GetInt64();
        bool tagRemoved = packet.GetProperty("ieee8021QTagRemoved").GetBoolean();
        var nbl = packet.GetProperty("netBufferList");
        var nb = Assert.Single(nbl.GetProperty("netBuffers").EnumerateArray());
        long dataLength = nb.GetProperty("dataLength").GetInt64();
        Assert.Equal(captured - (tagRemoved ? 4 : 0), dataLength);
        Assert.Equal(dataLength, nb.GetProperty("mdls").EnumerateArray().Sum(m => m.GetProperty("used").GetInt64()));
        Assert.Equal(tagRemoved, nbl.GetProperty("ieee8021Q").ValueKind == JsonValueKind.Object);
        var translation = packet.GetProperty("translation");
        if (dataLength == 0)
        {
            Assert.Equal("CannotTranslate", translation.GetProperty("outcome").GetString());
            Assert.Equal("EmptyNetBuffer", translation.GetProperty("failure").GetString());
            Assert.StartsWith("NDIS_STATUS_INVALID_LENGTH", packet.GetProperty("completionStatus").GetString(), StringComparison.Ordinal);
            return;
        }

        Assert.True(translation.GetProperty("outcome").GetString() == "Success", $"{name} packet {packet.GetProperty("number")}: {translation}");
        var ndisPacket = translation.GetProperty("ndisPacket");
        Assert.Equal(dataLength, ndisPacket.GetProperty("totalLength").GetInt64());
        Assert.Equal(dataLength, ndisPacket.GetProperty("buffers").EnumerateArray().Sum(b => b.GetProperty("byteCount").GetInt64()));
        Assert.Equal(nbl.GetProperty("ieee8021Q").GetRawText(), ndisPacket.GetProperty("ieee8021Q").GetRawText());
        Assert.StartsWith("NDIS_STATUS_SUCCESS", packet.GetProperty("completionStatus").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_packets_text_shows_each_packets_nbl_and_ndis_packet_and_a_vlan_tag_as_info()
    {
        var result = RunCondis("inspect", "--packets", Path.Combine(Captures, "VlanPackets.pcap"));
        Assert.True(result.Exit == 0, result.Stderr);
        var lines = result.Stdout.Split('\n');
        Assert.Equal(26, lines.Count(l => PacketHeading().IsMatch(l)));
        Assert.Equal(26, lines.Count(l => l.StartsWith("  NBL#", StringComparison.Ordinal)));
        Assert.Equal(26, lines.Count(l => l.StartsWith("  NDIS_PACKET#", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("802.1Q tag taken out of the frame into Ieee8021QNetBufferListInfo", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Ieee8021QInfo priority", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Packets:", StringComparison.Ordinal) && l.EndsWith(" 26", StringComparison.Ordinal));
    }

    [Fact]
    public void Inspect_packets_streams_a_large_capture_in_bounded_memory()
    {
        // 200,000 Ethernet frames (about 14 MB): the JSON runs to hundreds of MB, memory must stay flat.
        var file = Path.Combine(Path.GetTempPath(), $"condis-large-{Environment.ProcessId}.pcap");
        WriteLargePcap(file, 200_000);
        try
        {
            var result = Run("sh", ["-c", $"dotnet '{Dll}' inspect --packets --json -v debug '{file}' > /dev/null"]);
            Assert.True(result.Exit == 0, result.Stderr);
            var peak = PeakLine().Match(result.Stderr);
            Assert.True(peak.Success, $"no peak working set in: {result.Stderr}");
            int megabytes = int.Parse(peak.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(megabytes < 120, $"peak working set {megabytes} MiB for 200,000 packets");
            Assert.Contains("200000 packet(s)", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void WriteLargePcap(string path, int packets)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1);
        stream.Write(header);
        Span<byte> record = stackalloc byte[16 + 54];
        for (int i = 0; i < packets; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(record, 1_700_000_000u + (uint)(i / 1000));
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(i % 1000) * 1000);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], 54);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], 54);
            record[28] = 0x08; // EtherType IPv4 at frame offset 12
            record[(16 + 14)..].Fill((byte)i);
            stream.Write(record);
        }
    }

    [GeneratedRegex(@"^Packet \d+: interface \d+, link type \d+, \d+ of \d+ bytes")]
    private static partial Regex PacketHeading();

    [GeneratedRegex(@"peak working set (\d+) MiB")]
    private static partial Regex PeakLine();
}
