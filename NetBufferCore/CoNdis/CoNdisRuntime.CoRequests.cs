namespace CoNdis.NetBufferCore.CoNdis;

public sealed partial class CoNdisRuntime
{
    /// <summary>
    /// NdisCoOidRequest with an AF handle: a request between a client and the call manager of its open AF, in either
    /// direction (NdisCoOidRequest in the NDIS 6 reference: "from a client to a call manager or vice versa"). The
    /// client's binding reaches the call manager's ProtocolCoOidRequest with the call manager's AF, VC and party
    /// contexts; the call manager's binding reaches the client's with the client's. Without an AF handle the request
    /// goes to the miniport (<see cref="CoOidRequest(CoBinding, VirtualConnection?, NdisOidRequest)"/>). A pended
    /// request finishes with <see cref="CoOidRequestComplete"/>.
    /// </summary>
    public NdisStatus CoOidRequest(CoBinding ndisBindingHandle, CoAfHandle? ndisAfHandle, VirtualConnection? ndisVcHandle, CoParty? ndisPartyHandle,
        NdisOidRequest oidRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisBindingHandle);
        ArgumentNullException.ThrowIfNull(oidRequest);
        if (ndisAfHandle is null)
            return CoOidRequest(ndisBindingHandle, ndisVcHandle, oidRequest);
        RequireOpen(ndisAfHandle, "NdisCoOidRequest");
        oidRequest.Binding = ndisBindingHandle;
        oidRequest.Af = ndisAfHandle;
        oidRequest.Vc = ndisVcHandle;
        oidRequest.Party = ndisPartyHandle;
        if (ndisAfHandle.ClientBinding == ndisBindingHandle)
        {
            oidRequest.FromCallManager = false;
            return ndisAfHandle.Registered.CallManager.ProtocolCoOidRequest(ndisAfHandle.CmAfContext, ndisVcHandle?.CmContext,
                ndisPartyHandle?.CmPartyContext, oidRequest);
        }
        if (ndisAfHandle.Registered.CallManagerBinding != ndisBindingHandle)
            throw new ArgumentException($"NdisCoOidRequest on {ndisAfHandle} from {ndisBindingHandle}, which is neither its client nor its call manager.", nameof(ndisBindingHandle));
        return ToClient(ndisAfHandle, ndisVcHandle, ndisPartyHandle, oidRequest);
    }

    /// <summary>NdisMCmOidRequest: an MCM's request to the client of one of its AFs (ProtocolCoOidRequest of the client).</summary>
    public NdisStatus MCmOidRequest(CoAfHandle ndisAfHandle, VirtualConnection? ndisVcHandle, CoParty? ndisPartyHandle, NdisOidRequest oidRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisAfHandle);
        ArgumentNullException.ThrowIfNull(oidRequest);
        RequireOpen(ndisAfHandle, "NdisMCmOidRequest");
        if (!ndisAfHandle.Registered.IsIntegrated)
            throw new ArgumentException($"NdisMCmOidRequest on {ndisAfHandle}, whose call manager is not integrated in the miniport.", nameof(ndisAfHandle));
        oidRequest.Binding = null;
        oidRequest.Af = ndisAfHandle;
        oidRequest.Vc = ndisVcHandle;
        oidRequest.Party = ndisPartyHandle;
        return ToClient(ndisAfHandle, ndisVcHandle, ndisPartyHandle, oidRequest);
    }

    /// <summary>
    /// NdisCoOidRequestComplete / NdisMCmOidRequestComplete: the side that pended a request between client and call
    /// manager finished it; the side that issued it hears ProtocolCoOidRequestComplete with its own contexts.
    /// </summary>
    public void CoOidRequestComplete(CoAfHandle ndisAfHandle, VirtualConnection? ndisVcHandle, CoParty? ndisPartyHandle, NdisOidRequest oidRequest, NdisStatus status)
    {
        ArgumentNullException.ThrowIfNull(ndisAfHandle);
        ArgumentNullException.ThrowIfNull(oidRequest);
        if (!ReferenceEquals(oidRequest.Af, ndisAfHandle))
            throw new CoNdisStateException($"NdisCoOidRequestComplete on {ndisAfHandle} for a request that was not made on it.");
        if (oidRequest.FromCallManager)
            ndisAfHandle.Registered.CallManager.ProtocolCoOidRequestComplete(ndisAfHandle.CmAfContext, ndisVcHandle?.CmContext,
                ndisPartyHandle?.CmPartyContext, oidRequest, status);
        else
            ndisAfHandle.ClientBinding.Client.ProtocolCoOidRequestComplete(ndisAfHandle.ClientAfContext, ndisVcHandle?.ClientContext,
                ndisPartyHandle?.ClientPartyContext, oidRequest, status);
    }

    private static NdisStatus ToClient(CoAfHandle af, VirtualConnection? vc, CoParty? party, NdisOidRequest oidRequest)
    {
        oidRequest.FromCallManager = true;
        return af.ClientBinding.Client.ProtocolCoOidRequest(af.ClientAfContext, vc?.ClientContext, party?.ClientPartyContext, oidRequest);
    }
}
