using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Translation.Adapters;

/// <summary>A 5.x client's party as the runtime's ProtocolPartyContext: the VC whose AF's handlers hear about it and the client's own context.</summary>
internal sealed class LegacyClientParty(TranslatedVc vc, object? protocolPartyContext)
{
    public TranslatedVc Vc { get; } = vc;

    public object? ProtocolPartyContext { get; } = protocolPartyContext;

    public CoParty? Handle { get; set; }

    /// <summary>The client's context behind a runtime party context (the context itself when it is not a 5.x client's).</summary>
    public static object? Unwrap(object? protocolPartyContext) =>
        protocolPartyContext is LegacyClientParty party ? party.ProtocolPartyContext : protocolPartyContext;
}
