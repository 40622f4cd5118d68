using CoNdis.NetBufferCore;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// The NDIS 5.x connection-oriented miniport's VC and data-path handlers (NDIS51_MINIPORT_CHARACTERISTICS:
/// CoCreateVcHandler, CoDeleteVcHandler, CoActivateVcHandler, CoDeactivateVcHandler,
/// CoSendPacketsHandler, ReturnPacketHandler; ndis.h prototypes W_CO_SEND_PACKETS_HANDLER,
/// W_RETURN_PACKET_HANDLER, NDIS 5.1 reference). NDIS_HANDLE contexts are objects.
/// </summary>
public interface ILegacyCoMiniport
{
    /// <summary>MiniportCoCreateVc(MiniportAdapterContext, NdisVcHandle, &amp;MiniportVcContext); synchronous, never PENDING.</summary>
    NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, LegacyCoVc ndisVcHandle, out object? miniportVcContext);

    /// <summary>MiniportCoDeleteVc(MiniportVcContext).</summary>
    NdisStatus MiniportCoDeleteVc(object? miniportVcContext);

    /// <summary>MiniportCoActivateVc(MiniportVcContext, CallParameters): SUCCESS, a failure, or PENDING then NdisMCoActivateVcComplete.</summary>
    NdisStatus MiniportCoActivateVc(object? miniportVcContext, object? callParameters);

    /// <summary>MiniportCoDeactivateVc(MiniportVcContext): SUCCESS, or PENDING then NdisMCoDeactivateVcComplete.</summary>
    NdisStatus MiniportCoDeactivateVc(object? miniportVcContext);

    /// <summary>
    /// MiniportCoSendPackets(MiniportVcContext, PacketArray, NumberOfPackets): array order is wire order;
    /// every packet must come back through NdisMCoSendComplete, each on its own.
    /// </summary>
    void MiniportCoSendPackets(object? miniportVcContext, NdisPacket[] packetArray, uint numberOfPackets);

    /// <summary>MiniportReturnPacket(MiniportAdapterContext, Packet): an indicated packet is the miniport's again.</summary>
    void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet);
}
