namespace CoNdis.Hardware.Atm;

/// <summary>What the policer decided for one cell.</summary>
public enum AtmPolicingVerdict
{
    /// <summary>The cell conforms.</summary>
    Conforming,
    /// <summary>The cell did not conform and was tagged CLP=1.</summary>
    Tagged,
    /// <summary>The cell did not conform and is discarded.</summary>
    Dropped,
}
