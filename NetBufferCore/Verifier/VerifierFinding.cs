namespace CoNdis.NetBufferCore.Verifier;

/// <summary>One broken NDIS rule: which rule, what it concerned, and who did it.</summary>
public sealed record VerifierFinding(VerifierRule Rule, string Message, string Objects, string Caller)
{
    /// <inheritdoc />
    public override string ToString() => $"[{Rule}] {Message} (objects: {Objects}; caller: {Caller})";
}
