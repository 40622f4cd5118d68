using System.Buffers;
using System.Buffers.Binary;

namespace CoNdis.Hardware.Capture;

/// <summary>
/// Writes a little-endian pcapng file with one section: SHB (options kept), an IDB per interface (options kept),
/// EPBs with their options (SPBs for packets without a timestamp on interface 0).
/// </summary>
public sealed class PcapNgWriter : CaptureWriter
{
    private readonly List<CaptureInterface> _interfaces = [];
    private readonly Dictionary<CaptureInterface, int> _indexes = new(ReferenceEqualityComparer.Instance);

    /// <summary>Writes the section header with <paramref name="sectionOptions"/> (normalised TLVs; a comment, shb_userappl…); empty gives shb_userappl "CoNdis".</summary>
    public PcapNgWriter(Stream stream, ReadOnlySpan<byte> sectionOptions = default, bool leaveOpen = false)
        : base(stream, leaveOpen)
    {
        if (sectionOptions.IsEmpty)
        {
            var defaults = new ArrayBufferWriter<byte>();
            PcapNgOptions.AppendString(defaults, PcapNgOptions.ShbUserApplication, "CoNdis");
            sectionOptions = defaults.WrittenSpan;
        }

        int length = 28 + OptionsLength(sectionOptions);
        var block = Output.Reserve(24);
        BinaryPrimitives.WriteUInt32LittleEndian(block, PcapNgBlockTypes.SectionHeader);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(block[12..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(block[14..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(block[16..], -1);
        WriteOptionsAndTrailer(sectionOptions, length);
    }

    public override CaptureFormat Format => CaptureFormat.PcapNg;

    /// <summary>Interfaces written so far; a packet's interface index is its position here.</summary>
    public IReadOnlyList<CaptureInterface> Interfaces => _interfaces;

    /// <summary>Writes an IDB for <paramref name="captureInterface"/> (link type, snapshot length, options) and returns its index.</summary>
    public int AddInterface(CaptureInterface captureInterface)
    {
        ArgumentNullException.ThrowIfNull(captureInterface);
        uint linkType = captureInterface.LinkType & 0x0FFFFFFF;
        if (linkType > ushort.MaxValue)
            throw new ArgumentException($"link type {linkType} does not fit pcapng's 16-bit field", nameof(captureInterface));
        var options = captureInterface.Options;
        int length = 20 + OptionsLength(options);
        var block = Output.Reserve(16);
        BinaryPrimitives.WriteUInt32LittleEndian(block, PcapNgBlockTypes.InterfaceDescription);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(block[8..], (ushort)linkType);
        BinaryPrimitives.WriteUInt16LittleEndian(block[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], captureInterface.SnapLength);
        WriteOptionsAndTrailer(options, length);
        int index = _interfaces.Count;
        _interfaces.Add(captureInterface);
        _indexes[captureInterface] = index;
        return index;
    }

    /// <summary>Writes a packet, adding an IDB for its interface the first time that interface is seen.</summary>
    public override void WritePacket(in CapturePacket packet)
    {
        if (!_indexes.TryGetValue(packet.Interface, out int index))
            index = AddInterface(packet.Interface);
        if (!packet.HasTimestamp && index == 0 && packet.Options.IsEmpty)
            WriteSimplePacket(packet.Data, packet.OriginalLength);
        else
            WritePacket(index, packet.Timestamp, packet.Data, packet.OriginalLength, packet.Options);
    }

    /// <summary>Writes an EPB on interface <paramref name="interfaceIndex"/>; the timestamp is stored at the interface's resolution and offset.</summary>
    public void WritePacket(int interfaceIndex, CaptureTimestamp timestamp, ReadOnlySpan<byte> data, uint originalLength, ReadOnlySpan<byte> options = default)
    {
        if ((uint)interfaceIndex >= (uint)_interfaces.Count)
            throw new ArgumentOutOfRangeException(nameof(interfaceIndex), "no such interface has been added");
        if (originalLength < (uint)data.Length)
            throw new ArgumentOutOfRangeException(nameof(originalLength), "the original length is shorter than the captured bytes");
        var captureInterface = _interfaces[interfaceIndex];
        if (!CaptureTime.TryToTicks(timestamp, captureInterface.TicksPerSecond, captureInterface.TimestampOffsetSeconds, out ulong ticks))
            throw new ArgumentOutOfRangeException(nameof(timestamp), "the timestamp is before the interface's offset or beyond 64-bit ticks");
        int padded = (data.Length + 3) & ~3;
        int length = 32 + padded + OptionsLength(options);
        var block = Output.Reserve(28);
        BinaryPrimitives.WriteUInt32LittleEndian(block, PcapNgBlockTypes.EnhancedPacket);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], (uint)interfaceIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], (uint)(ticks >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(block[16..], (uint)ticks);
        BinaryPrimitives.WriteUInt32LittleEndian(block[20..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(block[24..], originalLength);
        WritePadded(data);
        WriteOptionsAndTrailer(options, length);
        PacketCount++;
    }

    private void WriteSimplePacket(ReadOnlySpan<byte> data, uint originalLength)
    {
        int padded = (data.Length + 3) & ~3;
        int length = 16 + padded;
        var block = Output.Reserve(12);
        BinaryPrimitives.WriteUInt32LittleEndian(block, PcapNgBlockTypes.SimplePacket);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], originalLength);
        WritePadded(data);
        BinaryPrimitives.WriteUInt32LittleEndian(Output.Reserve(4), (uint)length);
        PacketCount++;
    }

    private void WritePadded(ReadOnlySpan<byte> data)
    {
        int padded = (data.Length + 3) & ~3;
        var target = Output.Reserve(padded);
        data.CopyTo(target);
        target[data.Length..].Clear();
    }

    /// <summary>Options plus the end-of-options marker, or nothing when there are no options.</summary>
    private static int OptionsLength(ReadOnlySpan<byte> options) => options.IsEmpty ? 0 : ((options.Length + 3) & ~3) + 4;

    private void WriteOptionsAndTrailer(ReadOnlySpan<byte> options, int length)
    {
        if (!options.IsEmpty)
        {
            WritePadded(options);
            Output.Reserve(4).Clear();
        }

        BinaryPrimitives.WriteUInt32LittleEndian(Output.Reserve(4), (uint)length);
    }
}
