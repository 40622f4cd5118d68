using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// The NDIS 5.x CoNDIS client's call-control handlers, the entry points of NDIS_CLIENT_CHARACTERISTICS that
/// NdisClOpenAddressFamily registers for one AF (NDIS 5.1 reference): ClCreateVcHandler → ProtocolCoCreateVc,
/// ClDeleteVcHandler → ProtocolCoDeleteVc, ClRequestHandler → ProtocolCoRequest, ClRequestCompleteHandler →
/// ProtocolCoRequestComplete, ClOpenAfCompleteHandler → ProtocolClOpenAfComplete, and so on to ClCallConnectedHandler →
/// ProtocolClCallConnected. Handles are the NDIS 6 runtime's (a 5.x client always runs over it): NdisAfHandle →
/// <see cref="CoAfHandle"/>, NdisSapHandle → <see cref="CoSapHandle"/>, NdisPartyHandle → <see cref="CoParty"/>;
/// NdisVcHandle → <see cref="LegacyCoVc"/>, the VC the client sends on. A close buffer and its size are a byte array
/// and a count, as the C pair is.
/// </summary>
public interface ILegacyCoCallClient
{
    /// <summary>ProtocolCoCreateVc(ProtocolAfContext, NdisVcHandle, &amp;ProtocolVcContext): a call manager created a VC for an incoming call; never PENDING.</summary>
    NdisStatus ProtocolCoCreateVc(object? protocolAfContext, LegacyCoVc ndisVcHandle, out object? protocolVcContext);

    /// <summary>ProtocolCoDeleteVc(ProtocolVcContext): the call manager deleted the VC it created.</summary>
    NdisStatus ProtocolCoDeleteVc(object? protocolVcContext);

    /// <summary>ProtocolCoRequest(ProtocolAfContext, ProtocolVcContext, ProtocolPartyContext, NdisRequest): a call manager's request; may pend (NdisCoRequestComplete).</summary>
    NdisStatus ProtocolCoRequest(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisRequest ndisRequest) =>
        NdisStatus.NotSupported;

    /// <summary>ProtocolCoRequestComplete(Status, ProtocolAfContext, ProtocolVcContext, ProtocolPartyContext, NdisRequest): a request the client made pended and is done.</summary>
    void ProtocolCoRequestComplete(NdisStatus status, object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisRequest ndisRequest)
    {
    }

    /// <summary>ProtocolClOpenAfComplete(Status, ProtocolAfContext, NdisAfHandle): a pended NdisClOpenAddressFamily finished.</summary>
    void ProtocolClOpenAfComplete(NdisStatus status, object? protocolAfContext, CoAfHandle? ndisAfHandle);

    /// <summary>ProtocolClCloseAfComplete(Status, ProtocolAfContext).</summary>
    void ProtocolClCloseAfComplete(NdisStatus status, object? protocolAfContext)
    {
    }

    /// <summary>ProtocolClRegisterSapComplete(Status, ProtocolSapContext, Sap, NdisSapHandle).</summary>
    void ProtocolClRegisterSapComplete(NdisStatus status, object? protocolSapContext, CoSap sap, CoSapHandle ndisSapHandle)
    {
    }

    /// <summary>ProtocolClDeregisterSapComplete(Status, ProtocolSapContext).</summary>
    void ProtocolClDeregisterSapComplete(NdisStatus status, object? protocolSapContext)
    {
    }

    /// <summary>ProtocolClMakeCallComplete(Status, ProtocolVcContext, NdisPartyHandle, CallParameters): SUCCESS means the VC is active.</summary>
    void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters);

    /// <summary>ProtocolClModifyCallQoSComplete(Status, ProtocolVcContext, CallParameters).</summary>
    void ProtocolClModifyCallQoSComplete(NdisStatus status, object? protocolVcContext, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolClCloseCallComplete(Status, ProtocolVcContext, ProtocolPartyContext): SUCCESS means closed and deactivated.</summary>
    void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext);

    /// <summary>ProtocolClAddPartyComplete(Status, ProtocolPartyContext, NdisPartyHandle, CallParameters).</summary>
    void ProtocolClAddPartyComplete(NdisStatus status, object? protocolPartyContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolClDropPartyComplete(Status, ProtocolPartyContext).</summary>
    void ProtocolClDropPartyComplete(NdisStatus status, object? protocolPartyContext)
    {
    }

    /// <summary>ProtocolClIncomingCall(ProtocolSapContext, ProtocolVcContext, CallParameters): SUCCESS accepts, PENDING answers later (NdisClIncomingCallComplete), a failure rejects.</summary>
    NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters) => NdisStatus.NotAccepted;

    /// <summary>ProtocolClIncomingCallQoSChange(ProtocolVcContext, CallParameters): the remote changed the call's QoS.</summary>
    void ProtocolClIncomingCallQoSChange(object? protocolVcContext, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolClIncomingCloseCall(CloseStatus, ProtocolVcContext, CloseData, Size): the remote closed; the client must call NdisClCloseCall.</summary>
    void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, byte[]? closeData, uint size);

    /// <summary>ProtocolClIncomingDropParty(DropStatus, ProtocolPartyContext, CloseData, Size).</summary>
    void ProtocolClIncomingDropParty(NdisStatus dropStatus, object? protocolPartyContext, byte[]? closeData, uint size)
    {
    }

    /// <summary>ProtocolClCallConnected(ProtocolVcContext): an accepted incoming call is up; data may flow.</summary>
    void ProtocolClCallConnected(object? protocolVcContext)
    {
    }
}
