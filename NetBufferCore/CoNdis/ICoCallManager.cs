namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// A call manager's handlers (NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS), for a stand-alone call manager
/// (a protocol) or one integrated in a miniport (MCM). Handlers that may answer asynchronously return
/// <see cref="NdisStatus.Pending"/> and finish with the matching <c>Ndis.Cm…Complete</c> (or <c>MCm…</c>) call.
/// </summary>
public interface ICoCallManager
{
    /// <summary>ProtocolCmCreateVc (CmCreateVcHandler): a client created a VC; never pends.</summary>
    NdisStatus CmCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext);

    /// <summary>ProtocolCmDeleteVc.</summary>
    NdisStatus CmDeleteVc(object? protocolVcContext);

    /// <summary>ProtocolCmOpenAf.</summary>
    NdisStatus CmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext);

    /// <summary>ProtocolCmCloseAf.</summary>
    NdisStatus CmCloseAf(object? callMgrAfContext) => NdisStatus.Success;

    /// <summary>ProtocolCmRegisterSap.</summary>
    NdisStatus CmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext);

    /// <summary>ProtocolCmDeregisterSap.</summary>
    NdisStatus CmDeregisterSap(object? callMgrSapContext) => NdisStatus.Success;

    /// <summary>ProtocolCmMakeCall: signal, activate the VC, then complete with CmMakeCallComplete (or return SUCCESS).</summary>
    NdisStatus CmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext);

    /// <summary>ProtocolCmCloseCall: signal, deactivate the VC, then complete with CmCloseCallComplete.</summary>
    NdisStatus CmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, ReadOnlyMemory<byte> closeData);

    /// <summary>ProtocolCmModifyCallQoS.</summary>
    NdisStatus CmModifyCallQoS(object? callMgrVcContext, CoCallParameters callParameters) => NdisStatus.NotSupported;

    /// <summary>ProtocolCmIncomingCallComplete: the client's pended answer to an incoming call.</summary>
    void CmIncomingCallComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolCmAddParty.</summary>
    NdisStatus CmAddParty(object? callMgrVcContext, CoCallParameters callParameters, CoParty ndisPartyHandle, out object? callMgrPartyContext)
    {
        callMgrPartyContext = null;
        return NdisStatus.NotSupported;
    }

    /// <summary>ProtocolCmDropParty.</summary>
    NdisStatus CmDropParty(object? callMgrPartyContext, ReadOnlyMemory<byte> closeData) => NdisStatus.NotSupported;

    /// <summary>ProtocolCmActivateVcComplete: a pended activation finished.</summary>
    void CmActivateVcComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolCmDeactivateVcComplete: a pended deactivation finished.</summary>
    void CmDeactivateVcComplete(NdisStatus status, object? callMgrVcContext)
    {
    }
}
