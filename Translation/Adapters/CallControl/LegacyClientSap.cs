namespace CoNdis.Translation.Adapters;

/// <summary>A 5.x client's SAP as the runtime's ProtocolSapContext: the AF whose handlers hear about it and the client's own context.</summary>
internal sealed class LegacyClientSap(LegacyClientAf af, object? protocolSapContext)
{
    public LegacyClientAf Af { get; } = af;

    public object? ProtocolSapContext { get; } = protocolSapContext;
}
