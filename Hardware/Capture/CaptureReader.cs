using System.Buffers.Binary;

namespace CoNdis.Hardware.Capture;

/// <summary>
/// Reads a pcap or pcapng capture as a stream of <see cref="CapturePacket"/>s; the format is detected from the first
/// bytes, never from the file name. Works on non-seekable streams (stdin), allocates nothing per packet once warm,
/// and refuses malformed input with <see cref="CaptureFormatException"/> (offset + what is wrong).
/// </summary>
public abstract class CaptureReader : IDisposable
{
    private readonly List<CaptureInterface> _interfaces = [];
    private readonly Dictionary<uint, long> _skippedBlocks = new(8);
    private readonly List<ReadOnlyMemory<byte>> _sectionOptions = [];
    private bool _disposed;

    private protected CaptureReader(CaptureInput input) => Input = input;

    public abstract CaptureFormat Format { get; }

    /// <summary>Byte order of the file (of the first section for pcapng).</summary>
    public bool IsBigEndian { get; private protected set; }

    /// <summary>Format version from the file header (pcap) or the first section header block (pcapng), e.g. 2.4 or 1.0.</summary>
    public ushort VersionMajor { get; private protected set; }

    /// <summary>Minor part of <see cref="VersionMajor"/>.</summary>
    public ushort VersionMinor { get; private protected set; }

    /// <summary>Every interface seen so far, across sections, in file order (pcap has exactly one).</summary>
    public IReadOnlyList<CaptureInterface> Interfaces => _interfaces;

    /// <summary>Sections seen so far (1 for pcap).</summary>
    public int SectionCount { get; private protected set; } = 1;

    /// <summary>Each pcapng section's SHB options (normalised little-endian TLVs) in file order; empty for pcap.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> SectionOptions => _sectionOptions;

    /// <summary>Offset in the file of the next byte to read.</summary>
    public long Position => Input.Position;

    /// <summary>Total stream length when known, else -1.</summary>
    public long Length => Input.Length;

    /// <summary>Packets returned so far.</summary>
    public long PacketCount { get; private protected set; }

    /// <summary>Lenient: packets whose captured length exceeds the interface snapshot length (read as they are, as Wireshark does).</summary>
    public long CapturedAboveSnapLengthCount { get; private protected set; }

    /// <summary>Lenient: packets whose captured length exceeds their original length (read as they are).</summary>
    public long CapturedAboveOriginalCount { get; private protected set; }

    /// <summary>Lenient: pcap records whose fraction field is a full second or more (added to the seconds).</summary>
    public long InvalidFractionCount { get; private protected set; }

    /// <summary>Blocks skipped by their length, by pcapng block type (NRB, ISB, DSB, custom, unknown).</summary>
    public IReadOnlyDictionary<uint, long> SkippedBlocks => _skippedBlocks;

    private protected CaptureInput Input { get; }

    /// <summary>Opens a capture file for sequential reading.</summary>
    public static CaptureReader Open(string path, CaptureReaderOptions? options = null)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        try
        {
            return Open(stream, options, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Detects the format from the first bytes of <paramref name="stream"/> and reads its file header.</summary>
    public static CaptureReader Open(Stream stream, CaptureReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new CaptureReaderOptions();
        if (options.MaxPacketLength < 0)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxPacketLength must not be negative");
        if (options.MaxBlockLength < 64)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxBlockLength must be at least 64 bytes");
        var input = new CaptureInput(stream, options, leaveOpen);
        try
        {
            int available = input.Fill(4);
            if (available == 0)
                throw new CaptureFormatException(0, "empty file: no capture file header");
            if (available < 4)
                throw new CaptureFormatException(0, $"truncated file: {available} bytes, too short for a capture file header");
            var head = input.Peek(4);
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(head);
            switch (magic)
            {
                case 0xA1B2C3D4 or 0xD4C3B2A1 or 0xA1B23C4D or 0x4D3CB2A1:
                    return new PcapReader(input);
                case PcapNgBlockTypes.SectionHeader:
                    return new PcapNgReader(input);
                default:
                    throw new CaptureFormatException(0, DescribeBadMagic(head));
            }
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    /// <summary>Reads the next packet; false at a clean end of file. Throws <see cref="CaptureFormatException"/> on malformed input.</summary>
    public abstract bool TryReadPacket(out CapturePacket packet);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
            return;
        _disposed = true;
        if (disposing)
            Input.Dispose();
    }

    private protected void AddInterface(CaptureInterface captureInterface)
    {
        captureInterface.Index = _interfaces.Count;
        _interfaces.Add(captureInterface);
    }

    private protected void AddSection(ReadOnlySpan<byte> options) => _sectionOptions.Add(options.ToArray());

    private protected void CountSkipped(uint blockType)
    {
        _skippedBlocks.TryGetValue(blockType, out long count);
        _skippedBlocks[blockType] = count + 1;
    }

    private static string DescribeBadMagic(ReadOnlySpan<byte> head)
    {
        string hex = Convert.ToHexString(head);
        if (head[0] == 0x1F && head[1] == 0x8B)
            return "gzip-compressed file: decompress it first (compressed captures are not read)";
        if (head[0] == 0x28 && head[1] == 0xB5 && head[2] == 0x2F && head[3] == 0xFD)
            return "zstd-compressed file: decompress it first (compressed captures are not read)";
        if (head[0] == 0x04 && head[1] == 0x22 && head[2] == 0x4D && head[3] == 0x18)
            return "lz4-compressed file: decompress it first (compressed captures are not read)";
        if (head[0] == 0xFD && head[1] == (byte)'7' && head[2] == (byte)'z' && head[3] == (byte)'X')
            return "xz-compressed file: decompress it first (compressed captures are not read)";
        if (head[0] == (byte)'B' && head[1] == (byte)'Z' && head[2] == (byte)'h')
            return "bzip2-compressed file: decompress it first (compressed captures are not read)";
        return $"bad magic 0x{hex}: neither pcap (a1b2c3d4, a1b23c4d) nor pcapng (0a0d0d0a)";
    }
}
