using System.Buffers.Binary;

namespace CoNdis.Hardware.Capture;

/// <summary>Writes a classic libpcap file (little-endian, version 2.4, microsecond or nanosecond magic, one link type).</summary>
public sealed class PcapWriter : CaptureWriter
{
    /// <summary>The snapshot length written when none is given: 262144, Wireshark's standard maximum.</summary>
    public const uint DefaultSnapLength = 262144;

    private readonly bool _nanosecond;

    /// <summary>Writes the file header; <paramref name="linkType"/> is the full 32-bit field (FCS bits kept as given).</summary>
    public PcapWriter(Stream stream, uint linkType, uint snapLength = DefaultSnapLength, bool nanosecond = false, bool leaveOpen = false)
        : base(stream, leaveOpen)
    {
        LinkType = linkType;
        SnapLength = snapLength;
        _nanosecond = nanosecond;
        var header = Output.Reserve(24);
        BinaryPrimitives.WriteUInt32LittleEndian(header, nanosecond ? 0xA1B23C4Du : 0xA1B2C3D4u);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], linkType);
    }

    public override CaptureFormat Format => CaptureFormat.Pcap;

    public uint LinkType { get; }

    public uint SnapLength { get; }

    /// <summary>A writer for packets of <paramref name="captureInterface"/>: its link type (with FCS bits), snapshot length and a resolution that loses nothing down to nanoseconds.</summary>
    public static PcapWriter ForInterface(Stream stream, CaptureInterface captureInterface, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(captureInterface);
        uint snapLength = captureInterface.SnapLength == 0 ? DefaultSnapLength : captureInterface.SnapLength;
        bool nanosecond = captureInterface.TicksPerSecond > 1_000_000 || 1_000_000 % captureInterface.TicksPerSecond != 0;
        return new PcapWriter(stream, captureInterface.PcapLinkTypeField, snapLength, nanosecond, leaveOpen);
    }

    /// <summary>Writes a packet; its interface must have this file's link type (pcap holds one).</summary>
    public override void WritePacket(in CapturePacket packet)
    {
        if (packet.Interface.PcapLinkTypeField != LinkType)
            throw new InvalidOperationException($"a pcap file holds one link type ({LinkType}); this packet's is {packet.Interface.PcapLinkTypeField}");
        WritePacket(packet.Timestamp, packet.Data, packet.OriginalLength);
    }

    /// <summary>Writes a record: timestamp (1970 to 2106, pcap's range; µs files drop the last 3 digits), bytes, original length.</summary>
    public void WritePacket(CaptureTimestamp timestamp, ReadOnlySpan<byte> data, uint originalLength)
    {
        long seconds = timestamp.Seconds;
        int nanoseconds = timestamp.Nanoseconds;
        if (seconds is < 0 or > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(timestamp), "pcap timestamps hold 1970-01-01 to 2106-02-07 only");
        if (originalLength < (uint)data.Length)
            throw new ArgumentOutOfRangeException(nameof(originalLength), "the original length is shorter than the captured bytes");
        var header = Output.Reserve(16);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(_nanosecond ? nanoseconds : nanoseconds / 1000));
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], originalLength);
        Output.Write(data);
        PacketCount++;
    }
}
