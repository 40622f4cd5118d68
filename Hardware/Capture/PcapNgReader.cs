using System.Buffers;
using System.Buffers.Binary;

namespace CoNdis.Hardware.Capture;

/// <summary>
/// Reads pcapng: several sections of either byte order, IDBs with options, EPB, SPB and the obsolete PB; NRB, ISB,
/// DSB, custom and unknown blocks are skipped by their length and counted. Options are normalised to little-endian.
/// </summary>
internal sealed class PcapNgReader : CaptureReader
{
    private const int BlockHeaderLength = 8;
    private const int MinimumBlockLength = 12;
    private const int MinimumSectionHeaderLength = 28;

    private readonly List<CaptureInterface> _sectionInterfaces = [];
    private byte[] _scratch = [];
    private bool _bigEndian;
    private int _section = -1;

    public PcapNgReader(CaptureInput input)
        : base(input)
    {
        ReadSectionHeader();
        IsBigEndian = _bigEndian;
    }

    public override CaptureFormat Format => CaptureFormat.PcapNg;

    public override bool TryReadPacket(out CapturePacket packet)
    {
        var input = Input;
        while (true)
        {
            int available = input.Fill(BlockHeaderLength);
            if (available < BlockHeaderLength)
            {
                packet = default;
                if (available == 0)
                    return false;
                throw new CaptureFormatException(input.Position, $"truncated block header: {available} of {BlockHeaderLength} bytes");
            }

            uint type = U32(input.Peek(BlockHeaderLength));
            if (type == PcapNgBlockTypes.SectionHeader)
            {
                ReadSectionHeader();
                continue;
            }

            long offset = input.Position;
            if (type is not (PcapNgBlockTypes.EnhancedPacket or PcapNgBlockTypes.SimplePacket or PcapNgBlockTypes.ObsoletePacket or PcapNgBlockTypes.InterfaceDescription))
            {
                SkipBlock(type, offset);
                continue;
            }

            var block = ReadBlock(type);
            bool isPacket = type switch
            {
                PcapNgBlockTypes.EnhancedPacket => ReadEnhancedPacket(block, offset, out packet),
                PcapNgBlockTypes.SimplePacket => ReadSimplePacket(block, offset, out packet),
                PcapNgBlockTypes.ObsoletePacket => ReadObsoletePacket(block, offset, out packet),
                _ => ReadInterface(block, offset, out packet),
            };
            input.Advance(block.Length);
            if (isPacket)
            {
                PacketCount++;
                return true;
            }
        }
    }

    /// <summary>Wireshark rounds a block total length up to a multiple of 4 (pcapng.c: some writers left the padding out).</summary>
    private static long RoundUp4(uint length) => ((long)length + 3) & ~3L;

    protected override void Dispose(bool disposing)
    {
        if (_scratch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = [];
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// NRB, ISB, DSB, custom and unknown blocks: their fixed part is checked as Wireshark checks it, then the block is
    /// streamed over (never held in memory, up to Wireshark's largest block) and its trailing length checked.
    /// </summary>
    private void SkipBlock(uint type, long offset)
    {
        var input = Input;
        uint stored = U32(input.Peek(BlockHeaderLength)[4..]);
        long length = RoundUp4(stored);
        if (length < MinimumBlockLength)
            throw new CaptureFormatException(offset + 4, $"block type 0x{type:X8}: total length {stored} is below the minimum of {MinimumBlockLength}");
        if (length > CaptureReaderOptions.WiresharkMaxBlockLength)
            throw new CaptureFormatException(offset + 4, $"block type 0x{type:X8}: total length {stored} exceeds the maximum of {CaptureReaderOptions.WiresharkMaxBlockLength} bytes");
        int minimum = type switch
        {
            PcapNgBlockTypes.InterfaceStatistics => 24,
            PcapNgBlockTypes.DecryptionSecrets => 20,
            PcapNgBlockTypes.Custom or PcapNgBlockTypes.CustomNoCopy => 16,
            _ => MinimumBlockLength,
        };
        if (length < minimum)
            throw new CaptureFormatException(offset + 4, $"{BlockName(type)} of {stored} bytes is shorter than {minimum}");
        if (type == PcapNgBlockTypes.DecryptionSecrets)
        {
            int available = input.Fill(16);
            if (available < 16)
                throw new CaptureFormatException(offset, $"{BlockName(type)} of {stored} bytes runs past the end of the file ({available} bytes left)");
            uint secretsLength = U32(input.Peek(16)[12..]);
            if (secretsLength > length - 20)
                throw new CaptureFormatException(offset + 12, $"decryption secrets length {secretsLength} does not fit in its block of {stored} bytes");
        }

        long skipped = input.Skip(length - 4);
        int trailerAvailable = skipped == length - 4 ? input.Fill(4) : 0;
        if (trailerAvailable < 4)
            throw new CaptureFormatException(offset, $"block type 0x{type:X8} of {stored} bytes runs past the end of the file ({skipped + trailerAvailable} bytes left)");
        uint trailer = U32(input.Peek(4));
        if (RoundUp4(trailer) != length)
            throw new CaptureFormatException(offset + length - 4, $"block type 0x{type:X8}: total length {stored} disagrees with trailing length {trailer}");
        input.Advance(4);
        CountSkipped(type);
    }

    private static string BlockName(uint type) => type switch
    {
        PcapNgBlockTypes.InterfaceStatistics => "interface statistics block",
        PcapNgBlockTypes.DecryptionSecrets => "decryption secrets block",
        PcapNgBlockTypes.Custom or PcapNgBlockTypes.CustomNoCopy => "custom block",
        PcapNgBlockTypes.NameResolution => "name resolution block",
        _ => $"block type 0x{type:X8}",
    };

    private void ReadSectionHeader()
    {
        var input = Input;
        long offset = input.Position;
        int available = input.Fill(12);
        if (available < 12)
            throw new CaptureFormatException(offset, $"truncated section header block: {available} of 12 bytes");
        var head = input.Peek(12);
        uint byteOrderMagic = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
        _bigEndian = byteOrderMagic switch
        {
            0x1A2B3C4D => false,
            0x4D3C2B1A => true,
            _ => throw new CaptureFormatException(offset + 8, $"bad byte-order magic 0x{byteOrderMagic:X8} in section header block"),
        };
        uint length = U32(head[4..]);
        if (RoundUp4(length) < MinimumSectionHeaderLength)
            throw new CaptureFormatException(offset + 4, $"section header block length {length} is below the minimum of {MinimumSectionHeaderLength}");
        var block = ReadBlock(PcapNgBlockTypes.SectionHeader);
        ushort major = U16(block[12..]);
        ushort minor = U16(block[14..]);
        // pcapng.c reads versions 1.0 and 1.2 (1.2 as 1.0) and calls every other one unsupported.
        if (major != 1 || minor is not (0 or 2))
            throw new CaptureFormatException(offset + 12, $"unsupported pcapng section version {major}.{minor} (Wireshark reads 1.0 and 1.2)");
        if (_section < 0)
        {
            VersionMajor = major;
            VersionMinor = minor;
        }
        var options = Normalise(block[24..^4], PcapNgBlockTypes.SectionHeader, offset + 24);
        AddSection(options);
        _section++;
        SectionCount = _section + 1;
        _sectionInterfaces.Clear();
        input.Advance(block.Length);
    }

    /// <summary>Validates the block's total length and trailer and makes the whole block available.</summary>
    private ReadOnlySpan<byte> ReadBlock(uint type)
    {
        var input = Input;
        long offset = input.Position;
        uint stored = U32(input.Peek(BlockHeaderLength)[4..]);
        long length = RoundUp4(stored);
        if (length < MinimumBlockLength)
            throw new CaptureFormatException(offset + 4, $"block type 0x{type:X8}: total length {stored} is below the minimum of {MinimumBlockLength}");
        if (length > input.MaxBlockLength)
            throw new CaptureFormatException(offset + 4, $"block type 0x{type:X8}: total length {stored} exceeds the maximum of {input.MaxBlockLength} bytes held in memory");
        int available = input.Fill((int)length);
        if (available < length)
            throw new CaptureFormatException(offset, $"block type 0x{type:X8} of {stored} bytes runs past the end of the file ({available} bytes left)");
        var block = input.Peek((int)length);
        uint trailer = U32(block[^4..]);
        if (RoundUp4(trailer) != length)
            throw new CaptureFormatException(offset + length - 4, $"block type 0x{type:X8}: total length {stored} disagrees with trailing length {trailer}");
        return block;
    }

    private bool ReadInterface(ReadOnlySpan<byte> block, long offset, out CapturePacket packet)
    {
        packet = default;
        if (block.Length < 20)
            throw new CaptureFormatException(offset + 4, $"interface description block of {block.Length} bytes is shorter than 20");
        ushort linkType = U16(block[8..]);
        uint snapLength = U32(block[12..]);
        var options = Normalise(block[16..^4], PcapNgBlockTypes.InterfaceDescription, offset + 16);
        var problem = CaptureInterface.Parse(options, out _, out _, out _, out _, out _);
        if (problem is not null)
            throw new CaptureFormatException(offset + 16, problem);
        var captureInterface = new CaptureInterface(linkType, snapLength, options) { Section = _section };
        AddInterface(captureInterface);
        _sectionInterfaces.Add(captureInterface);
        return false;
    }

    private bool ReadEnhancedPacket(ReadOnlySpan<byte> block, long offset, out CapturePacket packet)
    {
        if (block.Length < 32)
            throw new CaptureFormatException(offset + 4, $"enhanced packet block of {block.Length} bytes is shorter than 32");
        var captureInterface = InterfaceFor(U32(block[8..]), offset + 8);
        ulong ticks = ((ulong)U32(block[12..]) << 32) | U32(block[16..]);
        uint capturedLength = U32(block[20..]);
        uint originalLength = U32(block[24..]);
        return MakePacket(block, offset, captureInterface, 28, ticks, capturedLength, originalLength, PcapNgBlockTypes.EnhancedPacket, out packet);
    }

    private bool ReadObsoletePacket(ReadOnlySpan<byte> block, long offset, out CapturePacket packet)
    {
        if (block.Length < 32)
            throw new CaptureFormatException(offset + 4, $"packet block of {block.Length} bytes is shorter than 32");
        var captureInterface = InterfaceFor(U16(block[8..]), offset + 8);
        ulong ticks = ((ulong)U32(block[12..]) << 32) | U32(block[16..]);
        uint capturedLength = U32(block[20..]);
        uint originalLength = U32(block[24..]);
        return MakePacket(block, offset, captureInterface, 28, ticks, capturedLength, originalLength, PcapNgBlockTypes.ObsoletePacket, out packet);
    }

    private bool ReadSimplePacket(ReadOnlySpan<byte> block, long offset, out CapturePacket packet)
    {
        if (block.Length < 16)
            throw new CaptureFormatException(offset + 4, $"simple packet block of {block.Length} bytes is shorter than 16");
        if (_sectionInterfaces.Count == 0)
            throw new CaptureFormatException(offset, "simple packet block before any interface description block in its section");
        var captureInterface = _sectionInterfaces[0];
        uint originalLength = U32(block[8..]);
        // pcapng.c: the captured length is the original length cut to the snapshot length (0 = none); a block too
        // small for it is damaged (the block's room is not a third limit).
        uint capturedLength = originalLength;
        if (captureInterface.SnapLength != 0)
            capturedLength = Math.Min(capturedLength, captureInterface.SnapLength);
        if (((long)capturedLength + 3 & ~3L) > block.Length - 16)
            throw new CaptureFormatException(offset + 8, $"simple packet block of {block.Length} bytes is too small for {capturedLength} bytes of packet data");
        if (capturedLength > (uint)Input.MaxPacketLength)
            throw new CaptureFormatException(offset + 8, $"captured length {capturedLength} exceeds the maximum of {Input.MaxPacketLength} bytes");
        var data = block.Slice(12, (int)capturedLength);
        packet = new CapturePacket(captureInterface, default, data, originalLength, default, hasTimestamp: false, PcapNgBlockTypes.SimplePacket);
        return true;
    }

    private bool MakePacket(ReadOnlySpan<byte> block, long offset, CaptureInterface captureInterface, int dataStart, ulong ticks, uint capturedLength, uint originalLength, uint blockType, out CapturePacket packet)
    {
        int room = block.Length - dataStart - 4;
        if (capturedLength > (uint)room)
            throw new CaptureFormatException(offset + dataStart - 8, $"captured length {capturedLength} does not fit in its block ({room} bytes of data)");
        if (capturedLength > (uint)Input.MaxPacketLength)
            throw new CaptureFormatException(offset + dataStart - 8, $"captured length {capturedLength} exceeds the maximum of {Input.MaxPacketLength} bytes");
        int padded = ((int)capturedLength + 3) & ~3;
        var options = Normalise(block[(dataStart + padded)..^4], blockType, offset + dataStart + padded);
        if (!CaptureTime.TryToTimestamp(ticks, captureInterface.TicksPerSecond, captureInterface.TimestampOffsetSeconds, out var timestamp))
            throw new CaptureFormatException(offset + 12, $"timestamp {ticks} at {captureInterface.TicksPerSecond} ticks/s plus if_tsoffset {captureInterface.TimestampOffsetSeconds} s is beyond 64-bit seconds");
        if (captureInterface.SnapLength != 0 && capturedLength > captureInterface.SnapLength)
            CapturedAboveSnapLengthCount++;
        if (capturedLength > originalLength)
            CapturedAboveOriginalCount++;
        packet = new CapturePacket(captureInterface, timestamp, block.Slice(dataStart, (int)capturedLength), originalLength, options, hasTimestamp: true, blockType);
        return true;
    }

    private CaptureInterface InterfaceFor(uint id, long offset)
    {
        if (id >= (uint)_sectionInterfaces.Count)
            throw new CaptureFormatException(offset, $"packet names interface {id} but the section has {_sectionInterfaces.Count} interface(s)");
        return _sectionInterfaces[(int)id];
    }

    private ReadOnlySpan<byte> Normalise(ReadOnlySpan<byte> area, uint blockType, long offset)
    {
        if (area.IsEmpty)
            return default;
        Span<byte> scratch = default;
        if (_bigEndian)
        {
            if (_scratch.Length < area.Length)
            {
                if (_scratch.Length > 0)
                    ArrayPool<byte>.Shared.Return(_scratch);
                _scratch = ArrayPool<byte>.Shared.Rent(area.Length);
            }

            scratch = _scratch;
        }

        var problem = PcapNgOptionCodec.Normalise(area, _bigEndian, blockType, scratch, out int length, out int badOffset);
        if (problem is not null)
            throw new CaptureFormatException(offset + badOffset, problem);
        return _bigEndian ? _scratch.AsSpan(0, length) : area[..length];
    }

    private ushort U16(ReadOnlySpan<byte> s) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    private uint U32(ReadOnlySpan<byte> s) => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
}
