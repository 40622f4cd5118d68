namespace CoNdis.NetBufferCore.Verifier;

/// <summary>What the verifier does with a finding.</summary>
public enum VerifierMode
{
    /// <summary>Findings are not checked at all.</summary>
    Off,
    /// <summary>Findings are logged and counted; execution goes on.</summary>
    Lenient,
    /// <summary>Findings throw <see cref="NdisVerifierException"/> at the caller.</summary>
    Strict,
}
