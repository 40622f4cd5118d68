namespace CoNdis.Hardware.Atm;

/// <summary>What usage parameter control does with a cell that does not conform to the VC's traffic contract (ITU-T I.371 §6.2.3).</summary>
public enum AtmPolicingAction
{
    /// <summary>No policing: every cell is taken.</summary>
    None,
    /// <summary>A non-conforming CLP=0 cell is tagged CLP=1 and passed on; a non-conforming CLP=1 cell is discarded.</summary>
    Tag,
    /// <summary>A non-conforming cell is discarded.</summary>
    Drop,
}
