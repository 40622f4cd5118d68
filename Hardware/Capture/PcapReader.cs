using System.Buffers.Binary;

namespace CoNdis.Hardware.Capture;

/// <summary>
/// Reads classic libpcap files: both byte orders, microsecond and nanosecond magics, any link type number. Versions as
/// Wireshark's libpcap.c reads them: major 1 and below refused; in 2.0–2.2 (and DG/UX's 543.x) caplen and original length
/// are stored the other way round and swapped back; in 2.3 they are swapped when caplen exceeds the original length.
/// </summary>
internal sealed class PcapReader : CaptureReader
{
    /// <summary>How a file's record headers store the two lengths (libpcap.c's lengths_swapped).</summary>
    private enum LengthOrder
    {
        CapturedFirst,
        OriginalFirst,
        OriginalFirstWhenCapturedExceedsOriginal,
    }

    private const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;

    private readonly CaptureInterface _interface;
    private readonly uint _fractionUnit;
    private readonly uint _fractionsPerSecond;
    private readonly uint _snapLength;
    private readonly LengthOrder _lengthOrder;

    public PcapReader(CaptureInput input)
        : base(input)
    {
        int available = input.Fill(FileHeaderLength);
        if (available < FileHeaderLength)
            throw new CaptureFormatException(0, $"truncated pcap file header: {available} of {FileHeaderLength} bytes");
        var header = input.Peek(FileHeaderLength);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        IsBigEndian = magic is 0xD4C3B2A1 or 0x4D3CB2A1;
        bool nanosecond = magic is 0xA1B23C4D or 0x4D3CB2A1;
        ushort major = U16(header[4..]);
        ushort minor = U16(header[6..]);
        if (major < 2)
            throw new CaptureFormatException(4, $"unsupported pcap version {major}.{minor} (Wireshark and libpcap read 2.0 and later)");
        VersionMajor = major;
        VersionMinor = minor;
        _lengthOrder = (major, minor) switch
        {
            (2, < 3) or (543, _) => LengthOrder.OriginalFirst,
            (2, 3) => LengthOrder.OriginalFirstWhenCapturedExceedsOriginal,
            _ => LengthOrder.CapturedFirst,
        };
        _snapLength = U32(header[16..]);
        uint linkType = U32(header[20..]);
        _fractionUnit = nanosecond ? 1u : 1000u;
        _fractionsPerSecond = nanosecond ? 1_000_000_000u : 1_000_000u;
        _interface = CaptureInterface.FromPcapHeader(linkType, _snapLength, nanosecond);
        AddInterface(_interface);
        input.Advance(FileHeaderLength);
    }

    public override CaptureFormat Format => CaptureFormat.Pcap;

    public override bool TryReadPacket(out CapturePacket packet)
    {
        var input = Input;
        int available = input.Fill(RecordHeaderLength);
        if (available < RecordHeaderLength)
        {
            packet = default;
            if (available == 0)
                return false;
            throw new CaptureFormatException(input.Position, $"truncated pcap record header: {available} of {RecordHeaderLength} bytes");
        }

        var header = input.Peek(RecordHeaderLength);
        uint seconds = U32(header);
        uint fraction = U32(header[4..]);
        uint capturedLength = U32(header[8..]);
        uint originalLength = U32(header[12..]);
        int capturedAt = 8;
        if (_lengthOrder == LengthOrder.OriginalFirst
            || (_lengthOrder == LengthOrder.OriginalFirstWhenCapturedExceedsOriginal && capturedLength > originalLength))
        {
            (capturedLength, originalLength) = (originalLength, capturedLength);
            capturedAt = 12;
        }

        if (capturedLength > (uint)input.MaxPacketLength)
            throw new CaptureFormatException(input.Position + capturedAt, $"record captured length {capturedLength} exceeds the maximum of {input.MaxPacketLength} bytes");

        int total = RecordHeaderLength + (int)capturedLength;
        available = input.Fill(total);
        if (available < total)
            throw new CaptureFormatException(input.Position, $"truncated pcap record: captured length {capturedLength} but only {available - RecordHeaderLength} bytes left in the file");

        if (_snapLength != 0 && capturedLength > _snapLength)
            CapturedAboveSnapLengthCount++;
        if (capturedLength > originalLength)
            CapturedAboveOriginalCount++;
        if (fraction >= _fractionsPerSecond)
            InvalidFractionCount++;

        // Wireshark computes the nanoseconds in 32 bits (µs × 1000, then a signed int); invalid fractions (>= 1 s)
        // therefore wrap there, and we do the same so that both read the same time.
        var timestamp = new CaptureTimestamp(seconds, unchecked((int)(fraction * _fractionUnit)));
        packet = new CapturePacket(_interface, timestamp, input.Peek(total)[RecordHeaderLength..], originalLength);
        input.Advance(total);
        PacketCount++;
        return true;
    }

    private ushort U16(ReadOnlySpan<byte> s) => IsBigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    private uint U32(ReadOnlySpan<byte> s) => IsBigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
}
