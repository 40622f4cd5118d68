using CoNdis.NetBufferCore;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// Not an NDIS handler (no 5.x driver implements it): what the layer standing in for NDIS keeps in
/// <see cref="NdisRequest.NdisReserved"/> of a request it handed to a 5.x driver's ProtocolCoRequest, so that the
/// driver's NdisCoRequestComplete or NdisMCmRequestComplete for a pended request finds its way back to whoever asked.
/// </summary>
public interface ILegacyCoRequestCompletion
{
    /// <summary>The 5.x driver finished <paramref name="ndisRequest"/> with <paramref name="status"/>.</summary>
    void CompleteRequest(NdisStatus status, NdisRequest ndisRequest);
}
