using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Translation.Adapters;

/// <summary>
/// A 5.x client's open AF as the runtime's ClientAfContext: the NDIS_CLIENT_CHARACTERISTICS handlers it registered
/// with NdisClOpenAddressFamily (NDIS 5 keeps them per AF) and its own ProtocolAfContext.
/// </summary>
internal sealed class LegacyClientAf(ILegacyCoCallClient handlers, object? protocolAfContext)
{
    public ILegacyCoCallClient Handlers { get; } = handlers;

    public object? ProtocolAfContext { get; } = protocolAfContext;

    public CoAfHandle? Handle { get; set; }
}
