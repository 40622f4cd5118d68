using System.Buffers.Binary;

namespace CoNdis.Hardware.Capture;

/// <summary>Validates a block's option area and normalises it to little-endian (numeric values of known options are byte-swapped).</summary>
internal static class PcapNgOptionCodec
{
    /// <summary>
    /// Checks that the options in <paramref name="area"/> fit; returns the length of the list before the end marker.
    /// When <paramref name="bigEndian"/>, writes the little-endian form into <paramref name="scratch"/> (same length).
    /// Returns null when valid, else what is wrong and <paramref name="badOffset"/> relative to the area.
    /// </summary>
    public static string? Normalise(ReadOnlySpan<byte> area, bool bigEndian, uint blockType, Span<byte> scratch, out int length, out int badOffset)
    {
        int position = 0;
        length = 0;
        badOffset = 0;
        bool ended = false;
        while (area.Length - position >= 4)
        {
            ushort code = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(area[position..]) : BinaryPrimitives.ReadUInt16LittleEndian(area[position..]);
            ushort valueLength = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(area[(position + 2)..]) : BinaryPrimitives.ReadUInt16LittleEndian(area[(position + 2)..]);
            int padded = (valueLength + 3) & ~3;
            if (padded > area.Length - position - 4)
            {
                // pcapng.c checks every option's length before it looks at the code, the end marker's too.
                badOffset = position;
                return code == PcapNgOptions.EndOfOptions
                    ? $"end-of-options marker of length {valueLength} runs past the end of its block ({area.Length - position - 4} bytes left)"
                    : $"option {code} of {valueLength} bytes runs past the end of its block ({area.Length - position - 4} bytes left)";
            }

            if (code == PcapNgOptions.EndOfOptions)
            {
                ended = true;
                break;
            }

            if (LengthProblem(blockType, code, valueLength, area.Slice(position + 4, valueLength)) is string problem)
            {
                badOffset = position;
                return problem;
            }

            if (bigEndian)
            {
                var target = scratch.Slice(position, 4 + padded);
                area.Slice(position, 4 + padded).CopyTo(target);
                BinaryPrimitives.WriteUInt16LittleEndian(target, code);
                BinaryPrimitives.WriteUInt16LittleEndian(target[2..], valueLength);
                SwapValue(blockType, code, target.Slice(4, valueLength));
            }

            position += 4 + padded;
            length = position;
        }

        if (!ended && area.Length - position is > 0 and < 4)
        {
            badOffset = position;
            return $"{area.Length - position} stray bytes after the last option";
        }

        return null;
    }

    /// <summary>The option lengths pcapng.c (Wireshark 4.0) calls damaged; null when the length is acceptable.</summary>
    private static string? LengthProblem(uint blockType, ushort code, int length, ReadOnlySpan<byte> value)
    {
        switch (blockType)
        {
            case PcapNgBlockTypes.EnhancedPacket or PcapNgBlockTypes.ObsoletePacket:
                return code switch
                {
                    PcapNgOptions.EpbFlags when length != 4 => $"epb_flags option of {length} bytes (it is 4)",
                    PcapNgOptions.EpbDropCount when length != 8 => $"epb_dropcount option of {length} bytes (it is 8)",
                    PcapNgOptions.EpbPacketId when length != 8 => $"epb_packetid option of {length} bytes (it is 8)",
                    PcapNgOptions.EpbQueue when length != 4 => $"epb_queue option of {length} bytes (it is 4)",
                    PcapNgOptions.EpbVerdict when length < 1 => "epb_verdict option of 0 bytes (it holds at least its type)",
                    PcapNgOptions.EpbVerdict when value[0] is 1 or 2 && length != 9 => $"epb_verdict option of type {value[0]} and {length} bytes (it is 9)",
                    _ => null,
                };
            case PcapNgBlockTypes.InterfaceDescription:
                return code == PcapNgOptions.IfFilter && length < 1 ? "if_filter option of 0 bytes (it holds at least its type)" : null;
            default:
                return null;
        }
    }

    private static void SwapValue(uint blockType, ushort code, Span<byte> value)
    {
        if (code is PcapNgOptions.CustomString or PcapNgOptions.CustomBinary or PcapNgOptions.CustomStringNoCopy or PcapNgOptions.CustomBinaryNoCopy)
        {
            if (value.Length >= 4)
                value[..4].Reverse();
            return;
        }

        int width = NumericWidth(blockType, code);
        if (width == 0)
            return;
        if (width == -8)
        {
            // ISB start/end time: two 32-bit halves, high first, each in section byte order.
            if (value.Length == 8)
            {
                value[..4].Reverse();
                value[4..].Reverse();
            }

            return;
        }

        if (value.Length == width)
            value.Reverse();
    }

    private static int NumericWidth(uint blockType, ushort code) => blockType switch
    {
        PcapNgBlockTypes.InterfaceDescription => code switch
        {
            PcapNgOptions.IfSpeed or PcapNgOptions.IfTimestampOffset or PcapNgOptions.IfTxSpeed or PcapNgOptions.IfRxSpeed => 8,
            PcapNgOptions.IfTimeZone => 4,
            _ => 0,
        },
        PcapNgBlockTypes.EnhancedPacket or PcapNgBlockTypes.ObsoletePacket => code switch
        {
            PcapNgOptions.EpbFlags or PcapNgOptions.EpbQueue => 4,
            PcapNgOptions.EpbDropCount or PcapNgOptions.EpbPacketId => 8,
            _ => 0,
        },
        PcapNgBlockTypes.InterfaceStatistics => code switch
        {
            2 or 3 => -8,
            >= 4 and <= 8 => 8,
            _ => 0,
        },
        _ => 0,
    };
}
