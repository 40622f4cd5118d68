namespace CoNdis.Hardware.Atm;

/// <summary>
/// The Header Error Control of an ATM cell (ITU-T I.432.1 §4.3.2): the remainder of x^8 times the first four header
/// octets divided by the generator x^8 + x^2 + x + 1, the coset 01010101 added (XOR 0x55). The code corrects every
/// single-bit error in the 40-bit header and detects most multi-bit ones: <see cref="Check"/> finds the error from the
/// syndrome, and <see cref="HecReceiver"/> applies the standard's correction/detection modes.
/// </summary>
public static class AtmHec
{
    /// <summary>The generator x^8 + x^2 + x + 1 without its x^8 term.</summary>
    public const byte Generator = 0x07;

    /// <summary>The coset leader added to the remainder (x^6 + x^4 + x^2 + 1).</summary>
    public const byte Coset = 0x55;

    private static readonly byte[] s_crc = BuildCrcTable();
    private static readonly sbyte[] s_errorBit = BuildSyndromeTable();

    /// <summary>The HEC of the four header octets in <paramref name="header"/>.</summary>
    public static byte Compute(ReadOnlySpan<byte> header)
    {
        if (header.Length < 4)
            throw new ArgumentException($"An ATM header has 4 octets before its HEC; {header.Length} given.", nameof(header));
        return (byte)(Remainder(header) ^ Coset);
    }

    /// <summary>
    /// Checks the five header octets of <paramref name="header"/> and, for a single-bit error, corrects it in place
    /// (when <paramref name="correct"/>). Returns what was found; <paramref name="errorBit"/> is the errored bit
    /// (0 = the most significant bit of octet 1 … 39 = the least significant bit of the HEC) or −1.
    /// </summary>
    public static HecCheckResult Check(Span<byte> header, bool correct, out int errorBit)
    {
        if (header.Length < AtmCellHeader.Length)
            throw new ArgumentException($"An ATM header has 5 octets with its HEC; {header.Length} given.", nameof(header));
        byte syndrome = (byte)(Remainder(header) ^ Coset ^ header[4]);
        if (syndrome == 0)
        {
            errorBit = -1;
            return HecCheckResult.Valid;
        }
        errorBit = s_errorBit[syndrome];
        if (errorBit < 0)
            return HecCheckResult.Uncorrectable;
        if (correct)
            header[errorBit >> 3] ^= (byte)(0x80 >> (errorBit & 7));
        return HecCheckResult.SingleBitError;
    }

    private static byte Remainder(ReadOnlySpan<byte> header)
    {
        byte crc = 0;
        for (int i = 0; i < 4; i++)
            crc = s_crc[crc ^ header[i]];
        return crc;
    }

    private static byte[] BuildCrcTable()
    {
        var table = new byte[256];
        for (int value = 0; value < 256; value++)
        {
            int crc = value;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ Generator) & 0xFF : (crc << 1) & 0xFF;
            table[value] = (byte)crc;
        }
        return table;
    }

    /// <summary>The syndrome each of the 40 single-bit errors leaves (the code is linear: the syndrome of the error alone), −1 elsewhere.</summary>
    private static sbyte[] BuildSyndromeTable()
    {
        var table = new sbyte[256];
        Array.Fill(table, (sbyte)-1);
        Span<byte> pattern = stackalloc byte[5];
        for (int bit = 0; bit < 40; bit++)
        {
            pattern.Clear();
            pattern[bit >> 3] = (byte)(0x80 >> (bit & 7));
            byte crc = 0;
            for (int i = 0; i < 4; i++)
                crc = Step(crc, pattern[i]);
            byte syndrome = (byte)(crc ^ pattern[4]);
            table[syndrome] = (sbyte)bit;
        }
        return table;

        static byte Step(byte crc, byte octet)
        {
            int value = crc ^ octet;
            for (int b = 0; b < 8; b++)
                value = (value & 0x80) != 0 ? ((value << 1) ^ Generator) & 0xFF : (value << 1) & 0xFF;
            return (byte)value;
        }
    }
}
