using System.Buffers.Binary;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// The AAL5 CPCS-PDU CRC-32 (ITU-T I.363.5 §10.3.1.4): generator x^32+x^26+x^23+x^22+x^16+x^12+x^11+x^10+x^8+x^7
/// +x^5+x^4+x^2+x+1 (0x04C11DB7), register preset to all ones, bits taken most significant first, the ones'
/// complement of the remainder sent. Run over a whole PDU including its CRC field, an intact PDU leaves the
/// remainder <see cref="Residue"/> 0xC704DD7B. Table-driven, eight octets per step (slicing by 8: eight tables,
/// each one octet further along the division); a running value lets a SAR update it cell by cell.
/// </summary>
public static class Aal5Crc32
{
    /// <summary>The generator polynomial without its x^32 term.</summary>
    public const uint Polynomial = 0x04C11DB7;

    /// <summary>The preset of the register.</summary>
    public const uint Initial = 0xFFFFFFFF;

    /// <summary>What the register holds after a whole intact PDU, its CRC field included.</summary>
    public const uint Residue = 0xC704DD7B;

    /// <summary>Eight 256-entry tables back to back: table k divides an octet that is k octets ahead of the register's end.</summary>
    private static readonly uint[] s_tables = BuildTables();

    /// <summary>Runs the register over <paramref name="data"/> (start with <see cref="Initial"/>; no final complement).</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        var t = s_tables.AsSpan();
        while (data.Length >= 8)
        {
            uint a = crc ^ BinaryPrimitives.ReadUInt32BigEndian(data);
            uint b = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
            crc = t[(7 << 8) + (int)(a >> 24)] ^ t[(6 << 8) + (int)((a >> 16) & 0xFF)] ^ t[(5 << 8) + (int)((a >> 8) & 0xFF)] ^ t[(4 << 8) + (int)(a & 0xFF)]
                ^ t[(3 << 8) + (int)(b >> 24)] ^ t[(2 << 8) + (int)((b >> 16) & 0xFF)] ^ t[(1 << 8) + (int)((b >> 8) & 0xFF)] ^ t[(int)(b & 0xFF)];
            data = data[8..];
        }
        foreach (byte octet in data)
            crc = (crc << 8) ^ t[(int)((crc >> 24) ^ octet)];
        return crc;
    }

    /// <summary>The CRC field for <paramref name="data"/>: the complemented remainder.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(Initial, data);

    private static uint[] BuildTables()
    {
        var tables = new uint[8 * 256];
        for (uint value = 0; value < 256; value++)
        {
            uint crc = value << 24;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ Polynomial : crc << 1;
            tables[value] = crc;
        }
        for (int k = 1; k < 8; k++)
        {
            for (int value = 0; value < 256; value++)
            {
                uint previous = tables[((k - 1) << 8) + value];
                tables[(k << 8) + value] = (previous << 8) ^ tables[(int)(previous >> 24)];
            }
        }
        return tables;
    }
}
