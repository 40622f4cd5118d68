using CoNdis.NetBufferCore.CoNdis;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;

namespace CoNdis.LegacyPacket;

// CoNDIS 5 data path and the VC calls of the direct legacy binding (NDIS 5.1 reference: NdisCoSendPackets,
// NdisMCoIndicateReceivePacket, NDIS_SET_PACKET_STATUS).
public static partial class Ndis5
{
    /// <summary>
    /// NdisCoCreateVc(NdisBindingHandle, NdisAfHandle, ProtocolVcContext, &amp;NdisVcHandle). With an AF handle the VC is
    /// created through NDIS for a call: a client's VC for an outgoing call (the call manager's ProtocolCoCreateVc and the
    /// miniport's MiniportCoCreateVc run), or a stand-alone call manager's VC for an incoming call on the client's AF (the
    /// client's ProtocolCoCreateVc and the miniport's). With NULL it is a VC of the binding alone (MiniportCoCreateVc),
    /// as a call manager's own VC or a direct 5.x binding's.
    /// </summary>
    public static NdisStatus CoCreateVc(LegacyCoBinding ndisBindingHandle, CoAfHandle? ndisAfHandle, object? protocolVcContext, out LegacyCoVc? ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisBindingHandle);
        if (ndisAfHandle is null)
            return ndisBindingHandle.CreateVc(protocolVcContext, out ndisVcHandle);
        ndisVcHandle = null;
        return ndisBindingHandle.CallControl is { } ndis
            ? ndis.CoCreateVc(ndisBindingHandle, ndisAfHandle, protocolVcContext, out ndisVcHandle)
            : NdisStatus.Failure; // NDIS_STATUS_FAILURE: "the given NdisAfHandle is invalid"
    }

    /// <summary>
    /// NdisCoDeleteVc(NdisVcHandle): only the VC's creator deletes it, with no call on it and deactivated; the peer's
    /// ProtocolCoDeleteVc and MiniportCoDeleteVc run. NOT_ACCEPTED while the VC is active, CLOSING while it deactivates.
    /// </summary>
    public static NdisStatus CoDeleteVc(LegacyCoVc ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        if (ndisVcHandle.Binding.CallControl is { } ndis && ndis.TryCoDeleteVc(ndisVcHandle, out var status))
            return status;
        return ndisVcHandle.Delete();
    }

    /// <summary>NdisMCoActivateVcComplete(Status, NdisVcHandle, CallParameters): finishes a pending activation.</summary>
    public static void MCoActivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle, object? callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        ndisVcHandle.ActivateComplete(status);
        (ndisVcHandle.Binding.Client as ILegacyCoVcEvents)?.ProtocolCmActivateVcComplete(status, ndisVcHandle, callParameters);
    }

    /// <summary>NdisMCoDeactivateVcComplete(Status, NdisVcHandle): finishes a pending deactivation.</summary>
    public static void MCoDeactivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        ndisVcHandle.DeactivateComplete();
        (ndisVcHandle.Binding.Client as ILegacyCoVcEvents)?.ProtocolCmDeactivateVcComplete(status, ndisVcHandle);
    }

    /// <summary>
    /// NdisCoRequest(NdisBindingHandle, NdisAfHandle, NdisVcHandle, NdisPartyHandle, NdisRequest): an OID query or
    /// set for the miniport's MiniportCoRequest (NOT_SUPPORTED when the miniport has none).
    /// </summary>
    public static NdisStatus CoRequest(LegacyCoBinding ndisBindingHandle, object? ndisAfHandle, LegacyCoVc? ndisVcHandle, object? ndisPartyHandle,
        NdisOidRequest ndisRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisBindingHandle);
        _ = ndisAfHandle;
        _ = ndisPartyHandle;
        return ndisBindingHandle.Miniport is ILegacyMiniportCoRequest requests
            ? requests.MiniportCoRequest(ndisBindingHandle.MiniportAdapterContext, ndisVcHandle?.MiniportVcContext, ndisRequest)
            : NdisStatus.NotSupported;
    }

    /// <summary>
    /// NdisCoSendPackets(NdisVcHandle, PacketArray, NumberOfPackets): hands the packets, in array order, to
    /// MiniportCoSendPackets. Each comes back once through ProtocolCoSendComplete. On a VC that is not
    /// active each completes at once with VC_NOT_ACTIVATED (never activated) or CLOSING (deactivated; also
    /// a verifier finding).
    /// </summary>
    public static void CoSendPackets(LegacyCoVc ndisVcHandle, NdisPacket[] packetArray, uint numberOfPackets)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        ndisVcHandle.SendPackets(packetArray, numberOfPackets);
    }

    /// <summary>
    /// NdisMCoSendComplete(Status, NdisVcHandle, Packet): completes one sent packet to ProtocolCoSendComplete.
    /// Status is SUCCESS or a failure, never PENDING; a second completion is a verifier finding.
    /// </summary>
    public static void MCoSendComplete(NdisStatus status, LegacyCoVc ndisVcHandle, NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        ndisVcHandle.SendComplete(status, packet);
    }

    /// <summary>
    /// NdisMCoIndicateReceivePacket(NdisVcHandle, PacketArray, NumberOfPackets): calls ProtocolCoReceivePacket
    /// once per packet. A packet whose status is RESOURCES (and every later one in the array) is the
    /// miniport's again when this call returns; the others come back through MiniportReturnPacket when
    /// the count the protocol returned has been given back with NdisReturnPackets (at once for 0).
    /// </summary>
    public static void MCoIndicateReceivePacket(LegacyCoVc ndisVcHandle, NdisPacket[] packetArray, uint numberOfPackets)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        ndisVcHandle.IndicateReceivePackets(packetArray, numberOfPackets);
    }

    /// <summary>NdisMCoReceiveComplete(MiniportAdapterHandle): ProtocolReceiveComplete of the bound client.</summary>
    public static void MCoReceiveComplete(LegacyCoBinding miniportAdapterHandle)
    {
        ArgumentNullException.ThrowIfNull(miniportAdapterHandle);
        miniportAdapterHandle.ReceiveComplete();
    }

    /// <summary>
    /// NdisReturnPackets(PacketsToReturn, NumberOfPackets): gives back one reference per listed packet;
    /// MiniportReturnPacket runs when a packet's last reference is gone.
    /// </summary>
    public static void ReturnPackets(NdisPacket[] packetsToReturn, uint numberOfPackets)
    {
        ArgumentNullException.ThrowIfNull(packetsToReturn);
        if (numberOfPackets > (uint)packetsToReturn.Length)
            throw LegacyThrow.ArrayTooShort(nameof(numberOfPackets), numberOfPackets, packetsToReturn.Length);
        for (int i = 0; i < (int)numberOfPackets; i++)
            LegacyCoVc.ReturnPacket(packetsToReturn[i] ?? throw LegacyThrow.NullPacket(nameof(packetsToReturn), i));
    }

    /// <summary>
    /// NdisCancelSendPackets(NdisBindingHandle, CancelId): MiniportCancelSendPackets of the miniport below, if it
    /// has one (otherwise nothing happens). Cancelled packets complete with SEND_ABORTED.
    /// </summary>
    public static void CancelSendPackets(LegacyCoBinding ndisBindingHandle, nint cancelId)
    {
        ArgumentNullException.ThrowIfNull(ndisBindingHandle);
        ndisBindingHandle.CancelSendPackets(cancelId);
    }

    /// <summary>
    /// NdisGetReceivedPacket(NdisBindingHandle, MacContext): the packet being indicated. On CoNDIS the receiver
    /// already holds the whole packet, so MacContext is that packet; outside its indication the result is NULL.
    /// </summary>
    public static NdisPacket? GetReceivedPacket(LegacyCoBinding ndisBindingHandle, object? macContext)
    {
        ArgumentNullException.ThrowIfNull(ndisBindingHandle);
        return ndisBindingHandle.GetReceivedPacket(macContext);
    }

    /// <summary>NdisMCoIndicateStatus(MiniportAdapterHandle, NdisVcHandle, GeneralStatus, StatusBuffer, StatusBufferSize): ProtocolCoStatus.</summary>
    public static void MCoIndicateStatus(LegacyCoBinding miniportAdapterHandle, LegacyCoVc? ndisVcHandle, NdisStatus generalStatus,
        byte[]? statusBuffer, uint statusBufferSize)
    {
        ArgumentNullException.ThrowIfNull(miniportAdapterHandle);
        miniportAdapterHandle.IndicateStatus(ndisVcHandle, generalStatus, statusBuffer, statusBufferSize);
    }
}
