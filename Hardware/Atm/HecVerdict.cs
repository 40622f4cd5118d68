namespace CoNdis.Hardware.Atm;

/// <summary>What the receiver's HEC state machine does with a cell (ITU-T I.432.1 Figure 3).</summary>
public enum HecVerdict
{
    /// <summary>The header had no error: the cell is passed on.</summary>
    Accepted,
    /// <summary>A single-bit error was corrected (correction mode): the cell is passed on.</summary>
    Corrected,
    /// <summary>The cell is discarded: an error in detection mode, or an uncorrectable one.</summary>
    Discarded,
}
