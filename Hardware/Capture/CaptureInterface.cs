using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CoNdis.Hardware.Capture;

/// <summary>
/// One capture interface: a pcapng Interface Description Block, or the single interface a classic pcap file header
/// describes. The link type is kept as the number stored in the file (for pcap the whole 32-bit field, FCS bits included).
/// </summary>
public sealed class CaptureInterface
{
    private readonly byte[] _options;

    /// <summary>Describes an interface to write: link type, snapshot length (0 = none) and pcapng options (normalised TLVs).</summary>
    public CaptureInterface(uint linkType, uint snapLength, ReadOnlySpan<byte> options = default)
    {
        var problem = Parse(options, out byte resolution, out ulong ticksPerSecond, out long offset, out string? name, out int? fcs);
        if (problem is not null)
            throw new ArgumentException(problem, nameof(options));
        LinkType = linkType;
        SnapLength = snapLength;
        _options = options.ToArray();
        TimestampResolution = resolution;
        TicksPerSecond = ticksPerSecond;
        TimestampOffsetSeconds = offset;
        Name = name;
        FcsLength = fcs ?? PcapFcsLength(linkType);
        Index = -1;
    }

    /// <summary>Index among all interfaces the reader has seen (across sections); -1 for one made by the caller.</summary>
    public int Index { get; internal set; }

    /// <summary>Section (0-based) the interface belongs to.</summary>
    public int Section { get; internal set; }

    /// <summary>Link type as stored: pcap's 32-bit field (upper nibble = FCS bits) or the pcapng IDB's 16-bit number.</summary>
    public uint LinkType { get; }

    /// <summary>Snapshot length from the header or IDB (0 = not set).</summary>
    public uint SnapLength { get; }

    /// <summary>The if_tsresol byte: 6 for microseconds, 9 for nanoseconds, 0x80|n for 2^-n seconds.</summary>
    public byte TimestampResolution { get; }

    /// <summary>Timestamp ticks per second implied by <see cref="TimestampResolution"/>.</summary>
    public ulong TicksPerSecond { get; }

    /// <summary>if_tsoffset: seconds added to every timestamp of the interface.</summary>
    public long TimestampOffsetSeconds { get; }

    /// <summary>if_name, when present.</summary>
    public string? Name { get; }

    /// <summary>Bytes of FCS at the end of each frame, from if_fcslen or pcap's FCS bits; null when not stated.</summary>
    public int? FcsLength { get; }

    /// <summary>The interface's pcapng options (normalised little-endian TLVs, no end marker), kept to be written back.</summary>
    public ReadOnlySpan<byte> Options => _options;

    /// <summary>The value for a pcap file header's link type field: the link type with FCS bits from <see cref="FcsLength"/>.</summary>
    public uint PcapLinkTypeField
    {
        get
        {
            if ((LinkType & 0xF0000000) != 0 || FcsLength is not int fcs || fcs % 2 != 0 || fcs / 2 is 0 or > 7)
                return LinkType;
            return LinkType | 0x10000000u | ((uint)(fcs / 2) << 29);
        }
    }

    /// <summary>Human text for the resolution, e.g. "microseconds (10^-6 s)" or "2^-20 s".</summary>
    public string ResolutionText => (TimestampResolution & 0x80) != 0
        ? $"2^-{TimestampResolution & 0x7F} s"
        : TimestampResolution switch
        {
            0 => "seconds",
            3 => "milliseconds (10^-3 s)",
            6 => "microseconds (10^-6 s)",
            9 => "nanoseconds (10^-9 s)",
            _ => $"10^-{TimestampResolution} s",
        };

    internal static CaptureInterface FromPcapHeader(uint linkTypeField, uint snapLength, bool nanosecond)
    {
        var options = new ArrayBufferWriter<byte>();
        if (nanosecond)
            PcapNgOptions.Append(options, PcapNgOptions.IfTimestampResolution, [9]);
        if (PcapFcsLength(linkTypeField) is int fcs)
            PcapNgOptions.Append(options, PcapNgOptions.IfFcsLength, [(byte)fcs]);
        return new CaptureInterface(linkTypeField, snapLength, options.WrittenSpan) { Index = 0 };
    }

    /// <summary>Reads the options the readers interpret; returns what is wrong, or null.</summary>
    internal static string? Parse(ReadOnlySpan<byte> options, out byte resolution, out ulong ticksPerSecond, out long offsetSeconds, out string? name, out int? fcsLength)
    {
        resolution = 6;
        ticksPerSecond = 1_000_000;
        offsetSeconds = 0;
        name = null;
        fcsLength = null;
        var reader = new PcapNgOptionReader(options);
        while (reader.TryRead(out ushort code, out var value))
        {
            switch (code)
            {
                // Wireshark takes if_tsresol and if_fcslen only when they are one byte long (and ignores them otherwise).
                case PcapNgOptions.IfTimestampResolution when value.Length == 1:
                    resolution = value[0];
                    ticksPerSecond = CaptureTime.TicksPerSecond(resolution);
                    if (ticksPerSecond == 0)
                        return $"if_tsresol 0x{resolution:X2} is finer than 64-bit timestamps can hold";
                    break;
                case PcapNgOptions.IfTimestampOffset when value.Length == 8:
                    offsetSeconds = BinaryPrimitives.ReadInt64LittleEndian(value);
                    break;
                case PcapNgOptions.IfName:
                    name = Encoding.UTF8.GetString(value);
                    break;
                case PcapNgOptions.IfFcsLength when value.Length == 1:
                    fcsLength = value[0];
                    break;
                default:
                    break;
            }
        }

        return null;
    }

    private static int? PcapFcsLength(uint linkTypeField) =>
        (linkTypeField & 0x10000000) != 0 ? (int)((linkTypeField >> 29) & 7) * 2 : null;
}
