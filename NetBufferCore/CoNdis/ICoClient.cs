namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// A CoNDIS client's handlers (NDIS_CO_CLIENT_OPTIONAL_HANDLERS): the completions of its requests and the
/// call manager's indications. Handlers that may answer asynchronously return
/// <see cref="NdisStatus.Pending"/> and finish with the matching <c>Ndis.Cl…Complete</c> call.
/// </summary>
public interface ICoClient : ICoProtocol
{
    /// <summary>ProtocolClCreateVc (ClCreateVcHandler): a call manager created a VC for an incoming call; never pends.</summary>
    NdisStatus ClCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext);

    /// <summary>ProtocolClDeleteVc (ClDeleteVcHandler).</summary>
    NdisStatus ClDeleteVc(object? protocolVcContext);

    /// <summary>ProtocolClOpenAfCompleteEx.</summary>
    void ClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle);

    /// <summary>ProtocolClCloseAfComplete.</summary>
    void ClCloseAfComplete(NdisStatus status, object? protocolAfContext)
    {
    }

    /// <summary>ProtocolClRegisterSapComplete.</summary>
    void ClRegisterSapComplete(NdisStatus status, object? protocolSapContext, CoSap sap, CoSapHandle ndisSapHandle)
    {
    }

    /// <summary>ProtocolClDeregisterSapComplete.</summary>
    void ClDeregisterSapComplete(NdisStatus status, object? protocolSapContext)
    {
    }

    /// <summary>ProtocolClMakeCallComplete: SUCCESS means the VC is active and data may flow.</summary>
    void ClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters);

    /// <summary>ProtocolClCloseCallComplete: SUCCESS means the call is closed and the VC deactivated.</summary>
    void ClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext);

    /// <summary>ProtocolClModifyCallQoSComplete.</summary>
    void ClModifyCallQoSComplete(NdisStatus status, object? protocolVcContext, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolClAddPartyComplete.</summary>
    void ClAddPartyComplete(NdisStatus status, object? protocolPartyContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolClDropPartyComplete.</summary>
    void ClDropPartyComplete(NdisStatus status, object? protocolPartyContext)
    {
    }

    /// <summary>ProtocolClIncomingCall: accept (SUCCESS), pend, or reject (a failure status).</summary>
    NdisStatus ClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters) => NdisStatus.NotAccepted;

    /// <summary>ProtocolClIncomingCallQoSChange.</summary>
    void ClIncomingCallQoSChange(object? protocolVcContext, CoCallParameters callParameters)
    {
    }

    /// <summary>ProtocolClIncomingCloseCall: the remote closed (or the network failed); the client must call ClCloseCall.</summary>
    void ClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, ReadOnlyMemory<byte> closeData)
    {
    }

    /// <summary>ProtocolClIncomingDropParty.</summary>
    void ClIncomingDropParty(NdisStatus dropStatus, object? protocolPartyContext, ReadOnlyMemory<byte> closeData)
    {
    }

    /// <summary>ProtocolClCallConnected: an accepted incoming call is up; data may flow.</summary>
    void ClCallConnected(object? protocolVcContext)
    {
    }
}
