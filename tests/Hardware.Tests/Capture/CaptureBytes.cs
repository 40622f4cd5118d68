using System.Buffers.Binary;
using CoNdis.Hardware.Capture;

namespace CoNdis.Hardware.Tests.Capture;

/// <summary>Builds capture files byte by byte (little-endian) for edge cases: fields are written as given, valid or not.</summary>
internal static class CaptureBytes
{
    /// <summary>A pcap file whose records store the two length fields exactly as given (first, then second).</summary>
    public static byte[] Pcap(ushort major, ushort minor, uint linkType, uint snapLength, params (uint First, uint Second, byte[] Data)[] records)
    {
        var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], major);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], minor);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], linkType);
        stream.Write(header);
        Span<byte> record = stackalloc byte[16];
        foreach (var (first, second, data) in records)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(record, 1);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], first);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], second);
            stream.Write(record);
            stream.Write(data);
        }

        return stream.ToArray();
    }

    /// <summary>A block: type, total length (default: the padded size), body padded to 4, trailing length (default: the same).</summary>
    public static byte[] Block(uint type, byte[] body, uint? length = null, uint? trailer = null)
    {
        int padded = (body.Length + 3) & ~3;
        var block = new byte[12 + padded];
        BinaryPrimitives.WriteUInt32LittleEndian(block, type);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), length ?? (uint)block.Length);
        body.CopyTo(block, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(block.Length - 4), trailer ?? length ?? (uint)block.Length);
        return block;
    }

    public static byte[] Shb(ushort major = 1, ushort minor = 0, byte[]? options = null)
    {
        var body = new byte[16 + (options?.Length ?? 0)];
        BinaryPrimitives.WriteUInt32LittleEndian(body, 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4), major);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(6), minor);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), -1);
        options?.CopyTo(body, 16);
        return Block(PcapNgBlockTypes.SectionHeader, body);
    }

    public static byte[] Idb(ushort linkType = 1, uint snapLength = 0, byte[]? options = null)
    {
        var body = new byte[8 + (options?.Length ?? 0)];
        BinaryPrimitives.WriteUInt16LittleEndian(body, linkType);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), snapLength);
        options?.CopyTo(body, 8);
        return Block(PcapNgBlockTypes.InterfaceDescription, body);
    }

    public static byte[] Epb(byte[] data, byte[]? options = null, uint? originalLength = null)
    {
        int padded = (data.Length + 3) & ~3;
        var body = new byte[20 + padded + (options?.Length ?? 0)];
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(16), originalLength ?? (uint)data.Length);
        data.CopyTo(body, 20);
        options?.CopyTo(body, 20 + padded);
        return Block(PcapNgBlockTypes.EnhancedPacket, body);
    }

    public static byte[] Spb(uint originalLength, byte[] data)
    {
        var body = new byte[4 + data.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(body, originalLength);
        data.CopyTo(body, 4);
        return Block(PcapNgBlockTypes.SimplePacket, body);
    }

    /// <summary>One option TLV with its value padded to 4 bytes; <paramref name="length"/> overrides the stored length.</summary>
    public static byte[] Option(ushort code, byte[] value, ushort? length = null)
    {
        var option = new byte[4 + ((value.Length + 3) & ~3)];
        BinaryPrimitives.WriteUInt16LittleEndian(option, code);
        BinaryPrimitives.WriteUInt16LittleEndian(option.AsSpan(2), length ?? (ushort)value.Length);
        value.CopyTo(option, 4);
        return option;
    }

    public static byte[] EndOfOptions => new byte[4];

    public static byte[] Frame(int length)
    {
        var frame = new byte[length];
        for (int i = 0; i < frame.Length; i++)
            frame[i] = (byte)(i * 7);
        return frame;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
