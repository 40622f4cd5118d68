namespace CoNdis.Hardware.Atm;

/// <summary>
/// Traffic shaping of one VC with the dual GCRA of its contract: a cell leaves no earlier than the peak-rate algorithm
/// and the sustainable-rate algorithm both allow (I.371 §5.4: conforming departures), so the VC never exceeds its PCR,
/// a burst of up to MBS cells goes at the PCR untouched, and what exceeds the SCR's bucket waits. Picoseconds.
/// </summary>
public struct AtmShaper
{
    private Gcra _peak;
    private Gcra _sustainable;

    public AtmShaper(AtmTrafficDescriptor contract)
    {
        Contract = contract;
        // A shaper sends at the contract itself: the tolerances of policing (CDVT) are not used up at the source.
        _peak = contract.PeakCellRate > 0 ? new Gcra(AtmTrafficDescriptor.Interval(contract.PeakCellRate), 0) : default;
        _sustainable = (contract with { CellDelayVariationTolerancePicoseconds = 0 }).SustainableGcra();
    }

    public AtmTrafficDescriptor Contract { get; }

    /// <summary>True when the contract limits the rate.</summary>
    public readonly bool IsActive => _peak.IsActive || _sustainable.IsActive;

    /// <summary>The earliest time the next cell may leave.</summary>
    public readonly long EarliestDeparture => Math.Max(_peak.EarliestConforming, _sustainable.EarliestConforming);

    /// <summary>A cell left at <paramref name="time"/> (no earlier than <see cref="EarliestDeparture"/>).</summary>
    public void Sent(long time)
    {
        _peak.Accept(time);
        _sustainable.Accept(time);
    }

    public void Reset()
    {
        _peak.Reset();
        _sustainable.Reset();
    }
}
