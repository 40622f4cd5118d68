namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// A call manager's handlers (NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS), for a stand-alone call manager
/// (a protocol) or one integrated in a miniport (MCM). Handlers that may answer asynchronously return
/// <see cref="NdisStatus.Pending"/> and finish with the matching <c>Ndis.Cm…Complete</c> (or <c>MCm…</c>) call.
/// </summary>
public interface ICoCallManager
{
    /// <summary>ProtocolCoCreateVc (CmCreateVcHandler): a client created a VC; never pends.</summary>
    NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext);

    /// <summary>ProtocolCoDeleteVc (CmDeleteVcHandler).</summary>
    NdisStatus ProtocolCoDeleteVc(object? protocolVcContext);

    /// <summary>ProtocolCmOpenAf.</summary>
    NdisStatus ProtocolCmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext);

    /// <summary>ProtocolCmCloseAf.</summary>
    NdisStatus ProtocolCmCloseAf(object? callMgrAfContext) => NdisStatus.Success;

    /// <summary>ProtocolCmRegisterSap.</summary>
    NdisStatus ProtocolCmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext);

    /// <summary>ProtocolCmDeregisterSap.</summary>
    NdisStatus ProtocolCmDeregisterSap(object? callMgrSapContext) => NdisStatus.Success;

    /// <summary>ProtocolCmMakeCall: signal, activate the VC, then complete with CmMakeCallComplete (or return SUCCESS).</summary>
    NdisStatus ProtocolCmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext);

    /// <summary>ProtocolCmCloseCall: signal, deactivate the VC, then complete with CmCloseCallComplete.</summary>
    NdisStatus ProtocolCmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, ReadOnlyMemory<byte> closeData);

    /// <summary>ProtocolCmModifyCallQoS.</summary>
    NdisStatus ProtocolCmModifyCallQoS(object? callMgrVcContext, CoCallParameters callParameters) => NdisStatus.NotSupported;

    /// <summary>ProtocolCmIncomingCallComplete: the client's pended answer to an incoming call.</summary>
    void ProtocolCmIncomingCallComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolCmAddParty.</summary>
    NdisStatus ProtocolCmAddParty(object? callMgrVcContext, CoCallParameters callParameters, CoParty ndisPartyHandle, out object? callMgrPartyContext)
    {
        callMgrPartyContext = null;
        return NdisStatus.NotSupported;
    }

    /// <summary>ProtocolCmDropParty.</summary>
    NdisStatus ProtocolCmDropParty(object? callMgrPartyContext, ReadOnlyMemory<byte> closeData) => NdisStatus.NotSupported;

    /// <summary>ProtocolCmActivateVcComplete: a pended activation finished.</summary>
    void ProtocolCmActivateVcComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolCmDeactivateVcComplete: a pended deactivation finished.</summary>
    void ProtocolCmDeactivateVcComplete(NdisStatus status, object? callMgrVcContext)
    {
    }

    /// <summary>
    /// ProtocolCoOidRequest (CmOidRequestHandler): a request a client made with NdisCoOidRequest on an AF of this call
    /// manager; may pend and finish with <c>Ndis.CoOidRequestComplete</c> (<c>Ndis.MCmOidRequestComplete</c> for an MCM).
    /// </summary>
    NdisStatus ProtocolCoOidRequest(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest) =>
        NdisStatus.NotSupported;

    /// <summary>ProtocolCoOidRequestComplete (CmOidRequestCompleteHandler): the client finished a request the call manager made.</summary>
    void ProtocolCoOidRequestComplete(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest, NdisStatus status)
    {
    }
}
