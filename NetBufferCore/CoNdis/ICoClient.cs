namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// A CoNDIS client's handlers (NDIS_CO_CLIENT_OPTIONAL_HANDLERS): the completions of its requests and the
/// call manager's indications. Handlers that may answer asynchronously return
/// <see cref="NdisStatus.Pending"/> and finish with the matching <c>Ndis.Cl…Complete</c> call.
/// </summary>
public interface ICoClient : ICoProtocol
{
    /// <summary>ProtocolCoCreateVc (ClCreateVcHandler): a call manager created a VC for an incoming call; never pends.</summary>
    NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext);

    /// <summary>ProtocolCoDeleteVc (ClDeleteVcHandler).</summary>
    NdisStatus ProtocolCoDeleteVc(object? protocolVcContext);

    /// <summary>ProtocolClOpenAfCompleteEx.</summary>
    void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle);

    /// <summary>ProtocolClCloseAfComplete.</summary>
    void ProtocolClCloseAfComplete(NdisStatus status, object? protocolAfContext)
    {
    }

    /// <summary>ProtocolClRegisterSapComplete.</summary>
    void ProtocolClRegisterSapComplete(NdisStatus status, object? protocolSapContext, CoSap sap, CoSapHandle ndisSapHandle)
    {
    }

    /// <summary>ProtocolClDeregisterSapComplete.</summary>
    void ProtocolClDeregisterSapComplete(NdisStatus status, object? protocolSapContext)
    {
    }

    /// <summary>ProtocolClMakeCallComplete: SUCCESS means the VC is active and data may flow.</summary>
    void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters);

    /// <summary>ProtocolClCloseCallComplete: SUCCESS means the call is closed and the VC deactivated.</summary>
    void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext);

    /// <summary>ProtocolClModifyCallQoSComplete.</summary>
    void ProtocolClModifyCallQoSComplete(NdisStatus status, object? protocolVcContext, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolClAddPartyComplete.</summary>
    void ProtocolClAddPartyComplete(NdisStatus status, object? protocolPartyContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolClDropPartyComplete.</summary>
    void ProtocolClDropPartyComplete(NdisStatus status, object? protocolPartyContext)
    {
    }

    /// <summary>ProtocolClIncomingCall: accept (SUCCESS), pend, or reject (a failure status).</summary>
    NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters) => NdisStatus.NotAccepted;

    /// <summary>ProtocolClIncomingCallQoSChange.</summary>
    void ProtocolClIncomingCallQoSChange(object? protocolVcContext, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolClIncomingCloseCall: the remote closed (or the network failed); the client must call ClCloseCall.</summary>
    void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, ReadOnlyMemory<byte> closeData)
    {
    }

    /// <summary>ProtocolClIncomingDropParty.</summary>
    void ProtocolClIncomingDropParty(NdisStatus dropStatus, object? protocolPartyContext, ReadOnlyMemory<byte> closeData)
    {
    }

    /// <summary>ProtocolClCallConnected: an accepted incoming call is up; data may flow.</summary>
    void ProtocolClCallConnected(object? protocolVcContext)
    {
    }

    /// <summary>
    /// ProtocolCoOidRequest (ClOidRequestHandler): a request the call manager made with NdisCoOidRequest (or an MCM with
    /// NdisMCmOidRequest) on the client's AF; may pend and finish with <c>Ndis.CoOidRequestComplete</c>.
    /// </summary>
    NdisStatus ProtocolCoOidRequest(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest) =>
        NdisStatus.NotSupported;

    /// <summary>ProtocolCoOidRequestComplete (ClOidRequestCompleteHandler): the call manager finished a request the client made on its AF.</summary>
    void ProtocolCoOidRequestComplete(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest, NdisStatus status)
    {
    }
}
