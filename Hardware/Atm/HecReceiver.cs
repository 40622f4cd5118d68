namespace CoNdis.Hardware.Atm;

/// <summary>
/// The receiver's header error control of ITU-T I.432.1 §4.3.3 (Figure 3): in correction mode a single-bit error is
/// corrected and the receiver switches to detection mode; a multi-bit error is discarded and also switches it. In
/// detection mode every cell with an error is discarded, and the first error-free cell returns the receiver to
/// correction mode. One per physical link (cell delineation is per link); not thread-safe.
/// </summary>
public sealed class HecReceiver
{
    /// <summary>True while in correction mode (the initial state).</summary>
    public bool CorrectionMode { get; private set; } = true;

    /// <summary>Cells whose header had no error.</summary>
    public long Valid { get; private set; }

    /// <summary>Cells with a single-bit header error corrected.</summary>
    public long Corrected { get; private set; }

    /// <summary>Cells discarded for a header error.</summary>
    public long Discarded { get; private set; }

    /// <summary>Checks (and perhaps corrects in place) the 5-octet header at the start of <paramref name="cell"/>.</summary>
    public HecVerdict Accept(Span<byte> cell)
    {
        var result = AtmHec.Check(cell, correct: CorrectionMode, out _);
        switch (result)
        {
            case HecCheckResult.Valid:
                CorrectionMode = true;
                Valid++;
                return HecVerdict.Accepted;
            case HecCheckResult.SingleBitError when CorrectionMode:
                CorrectionMode = false;
                Corrected++;
                return HecVerdict.Corrected;
            default:
                CorrectionMode = false;
                Discarded++;
                return HecVerdict.Discarded;
        }
    }

    /// <summary>The state before a cell, to put back when the cell is refused (flow control) and will be seen again.</summary>
    internal (bool Mode, long Valid, long Corrected, long Discarded) Save() => (CorrectionMode, Valid, Corrected, Discarded);

    internal void Restore((bool Mode, long Valid, long Corrected, long Discarded) state) =>
        (CorrectionMode, Valid, Corrected, Discarded) = state;

    /// <summary>Back to correction mode with the counts cleared (a device reset).</summary>
    public void Reset()
    {
        CorrectionMode = true;
        Valid = Corrected = Discarded = 0;
    }
}
