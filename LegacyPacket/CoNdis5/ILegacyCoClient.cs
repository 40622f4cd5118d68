using CoNdis.NetBufferCore;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// The NDIS 5.x connection-oriented client's data-path handlers (NDIS_PROTOCOL_CHARACTERISTICS:
/// CoSendCompleteHandler, CoReceivePacketHandler, CoStatusHandler, ReceiveCompleteHandler; ndis.h prototypes
/// CO_SEND_COMPLETE_HANDLER, CO_RECEIVE_PACKET_HANDLER, NDIS 5.1 reference).
/// </summary>
public interface ILegacyCoClient
{
    /// <summary>ProtocolCoSendComplete(Status, ProtocolVcContext, Packet): once per sent packet.</summary>
    void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet);

    /// <summary>
    /// ProtocolCoReceivePacket(ProtocolBindingContext, ProtocolVcContext, Packet): returns how many times the
    /// protocol will call NdisReturnPackets for this packet (0 = done now). When NDIS_GET_PACKET_STATUS is
    /// NDIS_STATUS_RESOURCES the protocol must copy what it needs and return 0.
    /// </summary>
    uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet);

    /// <summary>ProtocolCoStatus(ProtocolBindingContext, ProtocolVcContext, GeneralStatus, StatusBuffer, StatusBufferSize).</summary>
    void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize);

    /// <summary>ProtocolReceiveComplete(ProtocolBindingContext): after NdisMCoReceiveComplete (a post-processing hint, not per VC).</summary>
    void ProtocolReceiveComplete(object? protocolBindingContext);
}
