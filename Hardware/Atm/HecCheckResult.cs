namespace CoNdis.Hardware.Atm;

/// <summary>What the HEC of a received cell header says (ITU-T I.432.1 §4.3.3).</summary>
public enum HecCheckResult
{
    /// <summary>No error detected.</summary>
    Valid,
    /// <summary>The syndrome names one errored bit (correctable).</summary>
    SingleBitError,
    /// <summary>An error was detected that no single-bit correction explains (a multi-bit error).</summary>
    Uncorrectable,
}
