using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CoNdis.Hardware.Capture;

/// <summary>
/// pcapng option codes and helpers. Options are handled as the pcapng TLV list (code, length, value padded to 4 bytes)
/// in little-endian order and without the end-of-options marker; readers normalise big-endian sections to this form.
/// </summary>
public static class PcapNgOptions
{
    public const ushort EndOfOptions = 0;
    public const ushort Comment = 1;
    public const ushort CustomString = 2988;
    public const ushort CustomBinary = 2989;
    public const ushort CustomStringNoCopy = 19372;
    public const ushort CustomBinaryNoCopy = 19373;

    public const ushort ShbHardware = 2;
    public const ushort ShbOs = 3;
    public const ushort ShbUserApplication = 4;

    public const ushort IfName = 2;
    public const ushort IfDescription = 3;
    public const ushort IfSpeed = 8;
    public const ushort IfTimestampResolution = 9;
    public const ushort IfTimeZone = 10;
    public const ushort IfFilter = 11;
    public const ushort IfOs = 12;
    public const ushort IfFcsLength = 13;
    public const ushort IfTimestampOffset = 14;
    public const ushort IfTxSpeed = 16;
    public const ushort IfRxSpeed = 17;

    public const ushort EpbFlags = 2;
    public const ushort EpbHash = 3;
    public const ushort EpbDropCount = 4;
    public const ushort EpbPacketId = 5;
    public const ushort EpbQueue = 6;
    public const ushort EpbVerdict = 7;

    /// <summary>Appends one option (little-endian header, value padded to 4 bytes).</summary>
    public static void Append(IBufferWriter<byte> writer, ushort code, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Length > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(value), "an option value is at most 65535 bytes");
        int padded = (value.Length + 3) & ~3;
        var span = writer.GetSpan(4 + padded);
        BinaryPrimitives.WriteUInt16LittleEndian(span, code);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)value.Length);
        value.CopyTo(span[4..]);
        span.Slice(4 + value.Length, padded - value.Length).Clear();
        writer.Advance(4 + padded);
    }

    /// <summary>Appends a UTF-8 string option (comments, names).</summary>
    public static void AppendString(IBufferWriter<byte> writer, ushort code, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Append(writer, code, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Finds the first option with <paramref name="code"/> in a normalised option list.</summary>
    public static bool TryFind(ReadOnlySpan<byte> options, ushort code, out ReadOnlySpan<byte> value)
    {
        var reader = new PcapNgOptionReader(options);
        while (reader.TryRead(out ushort found, out var candidate))
        {
            if (found == code)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Every option with <paramref name="code"/> decoded as UTF-8 (e.g. all comments).</summary>
    public static IReadOnlyList<string> Strings(ReadOnlySpan<byte> options, ushort code)
    {
        var list = new List<string>();
        var reader = new PcapNgOptionReader(options);
        while (reader.TryRead(out ushort found, out var value))
        {
            if (found == code)
                list.Add(Encoding.UTF8.GetString(value));
        }

        return list;
    }
}
