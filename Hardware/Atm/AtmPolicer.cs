namespace CoNdis.Hardware.Atm;

/// <summary>
/// Usage parameter control of one VC (ITU-T I.371 §6.2.3): each arriving cell is tested against the peak-rate GCRA
/// (1/PCR, CDVT) and the sustainable-rate GCRA (1/SCR, BT + CDVT) of the contract; only cells that conform to both
/// update them. A non-conforming cell is tagged or dropped as configured. Picoseconds.
/// </summary>
public struct AtmPolicer
{
    private Gcra _peak;
    private Gcra _sustainable;

    public AtmPolicer(AtmTrafficDescriptor contract, AtmPolicingAction action)
    {
        Action = action;
        _peak = contract.PeakGcra();
        _sustainable = contract.SustainableGcra();
    }

    public AtmPolicingAction Action { get; }

    /// <summary>True when there is anything to police.</summary>
    public readonly bool IsActive => Action != AtmPolicingAction.None && (_peak.IsActive || _sustainable.IsActive);

    /// <summary>Polices a cell arriving at <paramref name="time"/> with cell loss priority <paramref name="clp"/>.</summary>
    public AtmPolicingVerdict Police(long time, bool clp)
    {
        if (!IsActive)
            return AtmPolicingVerdict.Conforming;
        if (_peak.Conforms(time) && _sustainable.Conforms(time))
        {
            _peak.Accept(time);
            _sustainable.Accept(time);
            return AtmPolicingVerdict.Conforming;
        }
        return Action == AtmPolicingAction.Tag && !clp ? AtmPolicingVerdict.Tagged : AtmPolicingVerdict.Dropped;
    }

    public void Reset()
    {
        _peak.Reset();
        _sustainable.Reset();
    }
}
