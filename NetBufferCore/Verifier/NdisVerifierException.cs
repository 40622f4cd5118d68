namespace CoNdis.NetBufferCore.Verifier;

/// <summary>Thrown by the verifier in <see cref="VerifierMode.Strict"/> mode: a broken NDIS rule.</summary>
public sealed class NdisVerifierException : Exception
{
    public NdisVerifierException() : this("NDIS verifier finding") { }

    public NdisVerifierException(string message) : base(message) => Finding = new VerifierFinding(default, message, "", "");

    public NdisVerifierException(string message, Exception inner) : base(message, inner) => Finding = new VerifierFinding(default, message, "", "");

    public NdisVerifierException(VerifierFinding finding) : base(finding.ToString()) => Finding = finding;

    /// <summary>The finding: rule, objects, caller.</summary>
    public VerifierFinding Finding { get; }

    /// <summary>The rule that was broken.</summary>
    public VerifierRule Rule => Finding.Rule;
}
