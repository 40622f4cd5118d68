namespace CoNdis.Hardware.Capture;

/// <summary>
/// One captured packet as read or to be written: interface and link type, timestamp with nanosecond precision
/// (64-bit seconds), original length, the captured bytes and the packet's pcapng options. The spans point into the reader's
/// pooled buffer and stay valid until the next read.
/// </summary>
public readonly ref struct CapturePacket
{
    public CapturePacket(CaptureInterface captureInterface, CaptureTimestamp timestamp, ReadOnlySpan<byte> data, uint originalLength, ReadOnlySpan<byte> options = default, bool hasTimestamp = true, uint blockType = PcapNgBlockTypes.PcapRecord)
    {
        ArgumentNullException.ThrowIfNull(captureInterface);
        Interface = captureInterface;
        Timestamp = timestamp;
        Data = data;
        OriginalLength = originalLength;
        Options = options;
        HasTimestamp = hasTimestamp;
        BlockType = blockType;
    }

    /// <summary>The interface the packet was captured on.</summary>
    public CaptureInterface Interface { get; }

    public int InterfaceIndex => Interface.Index;

    public uint LinkType => Interface.LinkType;

    /// <summary>Seconds and nanoseconds since 1970-01-01 00:00:00 UTC (zero when <see cref="HasTimestamp"/> is false).</summary>
    public CaptureTimestamp Timestamp { get; }

    /// <summary>False for pcapng Simple Packet Blocks, which carry no timestamp.</summary>
    public bool HasTimestamp { get; }

    /// <summary>Length of the packet on the wire.</summary>
    public uint OriginalLength { get; }

    /// <summary>The captured bytes (may be fewer than <see cref="OriginalLength"/>).</summary>
    public ReadOnlySpan<byte> Data { get; }

    public int CapturedLength => Data.Length;

    public bool IsTruncated => (uint)Data.Length < OriginalLength;

    /// <summary>The packet block's pcapng options (normalised little-endian TLVs); empty for pcap records.</summary>
    public ReadOnlySpan<byte> Options { get; }

    /// <summary>The pcapng block type it came from (<see cref="PcapNgBlockTypes"/>), or 0 for a pcap record.</summary>
    public uint BlockType { get; }
}
