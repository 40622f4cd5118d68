using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>MiniportCoRequest (NDIS 5): answers an OID query or set on the adapter or a VC.</summary>
public interface ILegacyMiniportCoRequest
{
    /// <summary>MiniportCoRequest(MiniportAdapterContext, MiniportVcContext, NdisRequest).</summary>
    NdisStatus MiniportCoRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest ndisRequest);
}
