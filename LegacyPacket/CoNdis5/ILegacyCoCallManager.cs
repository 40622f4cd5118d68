using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// The NDIS 5.x call manager's handlers, the entry points of NDIS_CALL_MANAGER_CHARACTERISTICS that
/// NdisCmRegisterAddressFamily (stand-alone) or NdisMCmRegisterAddressFamily (integrated in a miniport, an MCM)
/// registers for one AF (NDIS 5.1 reference): CmCreateVcHandler → ProtocolCoCreateVc, CmDeleteVcHandler →
/// ProtocolCoDeleteVc, CmOpenAfHandler → ProtocolCmOpenAf, … CmActivateVcCompleteHandler → ProtocolCmActivateVcComplete,
/// CmDeactivateVcCompleteHandler → ProtocolCmDeactivateVcComplete, CmModifyCallQoSHandler → ProtocolCmModifyCallQoS,
/// CmRequestHandler → ProtocolCoRequest, CmRequestCompleteHandler → ProtocolCoRequestComplete. The activation
/// completions are the call manager's own; <see cref="ILegacyCoVcEvents"/> is only the translation layer's view of
/// the same two events on a binding without a registered call manager.
/// <para>Handles are the NDIS 6 runtime's (<see cref="CoAfHandle"/>, <see cref="CoSapHandle"/>, <see cref="CoParty"/>);
/// the NdisVcHandle is the call manager's <see cref="LegacyCoVc"/>. For an MCM the context its ProtocolCoCreateVc
/// returns is also the VC's MiniportVcContext, as NdisMCmCreateVc names its context MiniportVcContext.</para>
/// </summary>
public interface ILegacyCoCallManager
{
    /// <summary>ProtocolCoCreateVc(ProtocolAfContext, NdisVcHandle, &amp;ProtocolVcContext): a client created a VC on this AF; never PENDING.</summary>
    NdisStatus ProtocolCoCreateVc(object? protocolAfContext, LegacyCoVc ndisVcHandle, out object? protocolVcContext);

    /// <summary>ProtocolCoDeleteVc(ProtocolVcContext).</summary>
    NdisStatus ProtocolCoDeleteVc(object? protocolVcContext);

    /// <summary>ProtocolCmOpenAf(CallMgrBindingContext, AddressFamily, NdisAfHandle, &amp;CallMgrAfContext); may pend (NdisCmOpenAddressFamilyComplete).</summary>
    NdisStatus ProtocolCmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext);

    /// <summary>ProtocolCmCloseAf(CallMgrAfContext); may pend (NdisCmCloseAddressFamilyComplete).</summary>
    NdisStatus ProtocolCmCloseAf(object? callMgrAfContext);

    /// <summary>ProtocolCmRegisterSap(CallMgrAfContext, Sap, NdisSapHandle, &amp;CallMgrSapContext); may pend (NdisCmRegisterSapComplete).</summary>
    NdisStatus ProtocolCmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext);

    /// <summary>ProtocolCmDeregisterSap(CallMgrSapContext); may pend (NdisCmDeregisterSapComplete).</summary>
    NdisStatus ProtocolCmDeregisterSap(object? callMgrSapContext);

    /// <summary>ProtocolCmMakeCall(CallMgrVcContext, CallParameters, NdisPartyHandle, &amp;CallMgrPartyContext): signal, activate, complete.</summary>
    NdisStatus ProtocolCmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext);

    /// <summary>ProtocolCmCloseCall(CallMgrVcContext, CallMgrPartyContext, CloseData, Size): signal, deactivate, complete.</summary>
    NdisStatus ProtocolCmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, byte[]? closeData, uint size);

    /// <summary>ProtocolCmIncomingCallComplete(Status, CallMgrVcContext, CallParameters): the client's pended answer to an incoming call.</summary>
    void ProtocolCmIncomingCallComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters);

    /// <summary>ProtocolCmAddParty(CallMgrVcContext, CallParameters, NdisPartyHandle, &amp;CallMgrPartyContext).</summary>
    NdisStatus ProtocolCmAddParty(object? callMgrVcContext, CoCallParameters callParameters, CoParty ndisPartyHandle, out object? callMgrPartyContext)
    {
        callMgrPartyContext = null;
        return NdisStatus.NotSupported;
    }

    /// <summary>ProtocolCmDropParty(CallMgrPartyContext, CloseData, Size).</summary>
    NdisStatus ProtocolCmDropParty(object? callMgrPartyContext, byte[]? closeData, uint size) => NdisStatus.NotSupported;

    /// <summary>ProtocolCmActivateVcComplete(Status, CallMgrVcContext, CallParameters): a pended NdisCmActivateVc finished.</summary>
    void ProtocolCmActivateVcComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters);

    /// <summary>ProtocolCmDeactivateVcComplete(Status, CallMgrVcContext): a pended NdisCmDeactivateVc finished.</summary>
    void ProtocolCmDeactivateVcComplete(NdisStatus status, object? callMgrVcContext);

    /// <summary>ProtocolCmModifyCallQoS(CallMgrVcContext, CallParameters).</summary>
    NdisStatus ProtocolCmModifyCallQoS(object? callMgrVcContext, CoCallParameters callParameters) => NdisStatus.NotSupported;

    /// <summary>ProtocolCoRequest(ProtocolAfContext, ProtocolVcContext, ProtocolPartyContext, NdisRequest): a client's request; may pend.</summary>
    NdisStatus ProtocolCoRequest(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisRequest ndisRequest) =>
        NdisStatus.NotSupported;

    /// <summary>ProtocolCoRequestComplete(Status, ProtocolAfContext, ProtocolVcContext, ProtocolPartyContext, NdisRequest).</summary>
    void ProtocolCoRequestComplete(NdisStatus status, object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisRequest ndisRequest)
    {
    }
}
