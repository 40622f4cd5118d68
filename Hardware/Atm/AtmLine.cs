namespace CoNdis.Hardware.Atm;

/// <summary>Line-rate arithmetic of an ATM physical layer: cell slots of 424 bits at the rate the cells are carried at.</summary>
public static class AtmLine
{
    /// <summary>OC-3c/STM-1 payload capacity for cells: 149.76 Mbit/s (155.52 Mbit/s minus SONET/SDH overhead).</summary>
    public const long Oc3PayloadBitsPerSecond = 149_760_000;

    /// <summary>Bits in one cell.</summary>
    public const int CellBits = AtmCell.Length * 8;

    /// <summary>Cells per second the line carries.</summary>
    public static double CellsPerSecond(long bitsPerSecond) => (double)bitsPerSecond / CellBits;

    /// <summary>One cell slot in picoseconds (rounded to the nearest picosecond).</summary>
    public static long CellSlotPicoseconds(long bitsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitsPerSecond, CellBits);
        return (long)Math.Round(CellBits * 1e12 / bitsPerSecond);
    }
}
