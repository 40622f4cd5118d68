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
            var block = ReadBlock(type);
            bool isPacket = type switch
            {
                PcapNgBlockTypes.EnhancedPacket => ReadEnhancedPacket(block, offset, out packet),
                PcapNgBlockTypes.SimplePacket => ReadSimplePacket(block, offset, out packet),
                PcapNgBlockTypes.ObsoletePacket => ReadObsoletePacket(block, offset, out packet),
                PcapNgBlockTypes.InterfaceDescription => ReadInterface(block, offset, out packet),
                _ => Skip(type, out packet),
            };
            input.Advance(block.Length);
            if (isPacket)
            {
                PacketCount++;
                return true;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_scratch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = [];
        }

        base.Dispose(disposing);
    }

    private bool Skip(uint type, out CapturePacket packet)
    {
        CountSkipped(type);
        packet = default;
        return false;
    }

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
        if (length < MinimumSectionHeaderLength)
            throw new CaptureFormatException(offset + 4, $"section header block length {length} is below the minimum of {MinimumSectionHeaderLength}");
        var block = ReadBlock(PcapNgBlockTypes.SectionHeader);
        ushort major = U16(block[12..]);
        if (major != 1)
            throw new CaptureFormatException(offset + 12, $"unsupported pcapng version {major}.{U16(block[14..])}");
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
        uint length = U32(input.Peek(BlockHeaderLength)[4..]);
        if (length < MinimumBlockLength)
            throw new CaptureFormatException(offset + 4, $"block type 0x{type:X8}: total length {length} is below the minimum of {MinimumBlockLength}");
        if (length % 4 != 0)
            throw new CaptureFormatException(offset + 4, $"block type 0x{type:X8}: total length {length} is not a multiple of 4");
        if (length > (uint)input.MaxAllocation)
            throw new CaptureFormatException(offset + 4, $"block type 0x{type:X8}: total length {length} exceeds the maximum of {input.MaxAllocation} bytes");
        int available = input.Fill((int)length);
        if (available < length)
            throw new CaptureFormatException(offset, $"block type 0x{type:X8} of {length} bytes runs past the end of the file ({available} bytes left)");
        var block = input.Peek((int)length);
        uint trailer = U32(block[^4..]);
        if (trailer != length)
            throw new CaptureFormatException(offset + length - 4, $"block type 0x{type:X8}: total length {length} disagrees with trailing length {trailer}");
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
        var captureInterface = InterfaceFor(0, offset);
        uint originalLength = U32(block[8..]);
        uint capturedLength = (uint)Math.Min(originalLength, (uint)(block.Length - 16));
        if (captureInterface.SnapLength != 0)
            capturedLength = Math.Min(capturedLength, captureInterface.SnapLength);
        var data = block.Slice(12, (int)capturedLength);
        packet = new CapturePacket(captureInterface, default, data, originalLength, default, hasTimestamp: false, PcapNgBlockTypes.SimplePacket);
        return true;
    }

    private bool MakePacket(ReadOnlySpan<byte> block, long offset, CaptureInterface captureInterface, int dataStart, ulong ticks, uint capturedLength, uint originalLength, uint blockType, out CapturePacket packet)
    {
        int room = block.Length - dataStart - 4;
        if (capturedLength > (uint)room)
            throw new CaptureFormatException(offset + dataStart - 8, $"captured length {capturedLength} does not fit in its block ({room} bytes of data)");
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
