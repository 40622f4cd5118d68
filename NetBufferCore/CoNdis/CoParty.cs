namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>A party of a point-to-multipoint call (NdisPartyHandle).</summary>
public sealed class CoParty
{
    internal CoParty(VirtualConnection vc, object? clientPartyContext)
    {
        Vc = vc;
        ClientPartyContext = clientPartyContext;
    }

    public VirtualConnection Vc { get; }

    /// <summary>True from a successful make-call/add-party until the party is dropped.</summary>
    public bool IsConnected { get; internal set; }

    internal object? ClientPartyContext { get; }

    internal object? CmPartyContext { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"party of {Vc}";
}
