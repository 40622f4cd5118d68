using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.LegacyPacket;

// NDIS 5.x CoNDIS call control: the client (NdisCl*), call manager (NdisCm*) and integrated call manager (NdisMCm*)
// DDIs of the NDIS 5.1 reference, with their NDIS 5 names and parameter order. Call control always runs through NDIS:
// here the NDIS 6 runtime, reached through the binding's ILegacyCoCallControl (the layer that binds the 5.x driver to
// it). Handles are the runtime's (CoAfHandle, CoSapHandle, CoParty); the NdisVcHandle is the driver's LegacyCoVc.
public static partial class Ndis5
{
    // ---- Client: address families and SAPs ----------------------------------------------------------------

    /// <summary>
    /// NdisClOpenAddressFamily(NdisBindingHandle, AddressFamily, ProtocolAfContext, ClCharacteristics,
    /// SizeOfClCharacteristics, &amp;NdisAfHandle): registers the client's Cl* handlers for this AF and opens it with the
    /// call manager that registered it (its ProtocolCmOpenAf). SUCCESS, a failure (FAILURE when no call manager
    /// registered the AF on the adapter), or PENDING and later ProtocolClOpenAfComplete. A characteristics block whose
    /// MajorVersion is not 5, whose size is short or that names no handlers is API misuse.
    /// </summary>
    public static NdisStatus ClOpenAddressFamily(LegacyCoBinding ndisBindingHandle, CoAddressFamily addressFamily, object? protocolAfContext,
        NdisClientCharacteristics clCharacteristics, uint sizeOfClCharacteristics, out CoAfHandle? ndisAfHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisBindingHandle);
        ArgumentNullException.ThrowIfNull(clCharacteristics);
        CheckCharacteristics(clCharacteristics.MajorVersion, sizeOfClCharacteristics, NdisClientCharacteristics.Size, clCharacteristics.Handlers,
            nameof(clCharacteristics));
        ndisAfHandle = null;
        return ndisBindingHandle.CallControl is { } ndis
            ? ndis.ClOpenAddressFamily(ndisBindingHandle, addressFamily, protocolAfContext, clCharacteristics, out ndisAfHandle)
            : NdisStatus.Failure;
    }

    /// <summary>
    /// NdisClCloseAddressFamily(NdisAfHandle): after every call on it is closed, its VCs deleted and its SAPs
    /// deregistered; the call manager's ProtocolCmCloseAf answers, or pends and ProtocolClCloseAfComplete follows.
    /// </summary>
    public static NdisStatus ClCloseAddressFamily(CoAfHandle ndisAfHandle) => Ndis.ClCloseAddressFamily(ndisAfHandle);

    /// <summary>NdisClRegisterSap(NdisAfHandle, ProtocolSapContext, Sap, &amp;NdisSapHandle): incoming calls to the SAP are offered to this client.</summary>
    public static NdisStatus ClRegisterSap(CoAfHandle ndisAfHandle, object? protocolSapContext, CoSap sap, out CoSapHandle? ndisSapHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisAfHandle);
        ArgumentNullException.ThrowIfNull(sap);
        return ClientSide(ndisAfHandle).ClRegisterSap(ndisAfHandle, protocolSapContext, sap, out ndisSapHandle);
    }

    /// <summary>NdisClDeregisterSap(NdisSapHandle): the call manager's ProtocolCmDeregisterSap; PENDING → ProtocolClDeregisterSapComplete.</summary>
    public static NdisStatus ClDeregisterSap(CoSapHandle ndisSapHandle) => Ndis.ClDeregisterSap(ndisSapHandle);

    // ---- Client: calls and parties ----------------------------------------------------------------------

    /// <summary>
    /// NdisClMakeCall(NdisVcHandle, CallParameters, ProtocolPartyContext, &amp;NdisPartyHandle): an outgoing call on a VC the
    /// client created on its AF; a party context makes it point-to-multipoint. SUCCESS or a failure when the call
    /// manager answered at once (the client then completes itself, as the reference says), else PENDING and
    /// ProtocolClMakeCallComplete. Sends are allowed only once the call completed with SUCCESS.
    /// </summary>
    public static NdisStatus ClMakeCall(LegacyCoVc ndisVcHandle, CoCallParameters callParameters, object? protocolPartyContext, out CoParty? ndisPartyHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        ArgumentNullException.ThrowIfNull(callParameters);
        return CallControlOf(ndisVcHandle).ClMakeCall(ndisVcHandle, callParameters, protocolPartyContext, out ndisPartyHandle);
    }

    /// <summary>
    /// NdisClCloseCall(NdisVcHandle, NdisPartyHandle, Buffer, Size): the VC stops taking sends at once; the call manager
    /// signals, deactivates the VC (which drains it) and completes (ProtocolClCloseCallComplete when PENDING). A
    /// multipoint call must be down to its last party.
    /// </summary>
    public static NdisStatus ClCloseCall(LegacyCoVc ndisVcHandle, CoParty? ndisPartyHandle, byte[]? buffer, uint size) =>
        Ndis.ClCloseCall(RuntimeVcOf(ndisVcHandle), ndisPartyHandle, Bytes(buffer, size));

    /// <summary>NdisClAddParty(NdisVcHandle, ProtocolPartyContext, CallParameters, &amp;NdisPartyHandle): a party joins a connected multipoint call.</summary>
    public static NdisStatus ClAddParty(LegacyCoVc ndisVcHandle, object? protocolPartyContext, CoCallParameters callParameters, out CoParty? ndisPartyHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        ArgumentNullException.ThrowIfNull(callParameters);
        return CallControlOf(ndisVcHandle).ClAddParty(ndisVcHandle, protocolPartyContext, callParameters, out ndisPartyHandle);
    }

    /// <summary>NdisClDropParty(NdisPartyHandle, Buffer, Size): drops a party other than the last (the last goes with NdisClCloseCall).</summary>
    public static NdisStatus ClDropParty(CoParty ndisPartyHandle, byte[]? buffer, uint size) => Ndis.ClDropParty(ndisPartyHandle, Bytes(buffer, size));

    /// <summary>NdisClIncomingCallComplete(Status, NdisVcHandle, CallParameters): the client's answer to an incoming call it pended.</summary>
    public static void ClIncomingCallComplete(NdisStatus status, LegacyCoVc ndisVcHandle, CoCallParameters callParameters) =>
        Ndis.ClIncomingCallComplete(status, RuntimeVcOf(ndisVcHandle), callParameters);

    /// <summary>NdisClModifyCallQoS(NdisVcHandle, CallParameters): asks the call manager to change a connected call's QoS (ProtocolClModifyCallQoSComplete).</summary>
    public static NdisStatus ClModifyCallQoS(LegacyCoVc ndisVcHandle, CoCallParameters callParameters) =>
        Ndis.ClModifyCallQoS(RuntimeVcOf(ndisVcHandle), callParameters);

    // ---- Stand-alone call manager -------------------------------------------------------------------------

    /// <summary>
    /// NdisCmRegisterAddressFamily(NdisBindingHandle, AddressFamily, CmCharacteristics, SizeOfCmCharacteristics): the
    /// call manager bound to the adapter serves the AF; every client bound to the adapter hears
    /// ProtocolCoAfRegisterNotify. FAILURE when another call manager owns the AF there, or the binding has no NDIS
    /// call control.
    /// </summary>
    public static NdisStatus CmRegisterAddressFamily(LegacyCoBinding ndisBindingHandle, CoAddressFamily addressFamily,
        NdisCallManagerCharacteristics cmCharacteristics, uint sizeOfCmCharacteristics)
    {
        ArgumentNullException.ThrowIfNull(ndisBindingHandle);
        ArgumentNullException.ThrowIfNull(cmCharacteristics);
        CheckCharacteristics(cmCharacteristics.MajorVersion, sizeOfCmCharacteristics, NdisCallManagerCharacteristics.Size, cmCharacteristics.Handlers,
            nameof(cmCharacteristics));
        return ndisBindingHandle.CallControl is { } ndis
            ? ndis.CmRegisterAddressFamily(ndisBindingHandle, addressFamily, cmCharacteristics)
            : NdisStatus.Failure;
    }

    /// <summary>NdisCmOpenAddressFamilyComplete(Status, NdisAfHandle, CallMgrAfContext): finishes a ProtocolCmOpenAf that pended.</summary>
    public static void CmOpenAddressFamilyComplete(NdisStatus status, CoAfHandle ndisAfHandle, object? callMgrAfContext) =>
        Ndis.CmOpenAddressFamilyComplete(status, ndisAfHandle, callMgrAfContext);

    /// <summary>NdisCmCloseAddressFamilyComplete(Status, NdisAfHandle).</summary>
    public static void CmCloseAddressFamilyComplete(NdisStatus status, CoAfHandle ndisAfHandle) => Ndis.CmCloseAddressFamilyComplete(status, ndisAfHandle);

    /// <summary>NdisCmRegisterSapComplete(Status, NdisSapHandle, CallMgrSapContext).</summary>
    public static void CmRegisterSapComplete(NdisStatus status, CoSapHandle ndisSapHandle, object? callMgrSapContext) =>
        Ndis.CmRegisterSapComplete(status, ndisSapHandle, callMgrSapContext);

    /// <summary>NdisCmDeregisterSapComplete(Status, NdisSapHandle).</summary>
    public static void CmDeregisterSapComplete(NdisStatus status, CoSapHandle ndisSapHandle) => Ndis.CmDeregisterSapComplete(status, ndisSapHandle);

    /// <summary>
    /// NdisCmActivateVc(NdisVcHandle, CallParameters). On a VC a 5.x call manager controls (one it got in
    /// ProtocolCoCreateVc or created for an incoming call) it activates the runtime VC, which calls the miniport's
    /// MiniportCoActivateVc; PENDING ends in the call manager's ProtocolCmActivateVcComplete. On a VC of a direct 5.x
    /// binding it calls that binding's MiniportCoActivateVc (PENDING → NdisMCoActivateVcComplete).
    /// </summary>
    public static NdisStatus CmActivateVc(LegacyCoVc ndisVcHandle, object? callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        if (ndisVcHandle.Binding.CallControl is { } ndis && ndis.TryCmActivateVc(ndisVcHandle, callParameters, out var status))
            return status;
        return ndisVcHandle.Activate(callParameters);
    }

    /// <summary>
    /// NdisCmDeactivateVc(NdisVcHandle): as <see cref="CmActivateVc"/>, the runtime VC for a call manager's VC (its
    /// miniport first completes every send and gets back every receive), the direct binding's miniport otherwise.
    /// </summary>
    public static NdisStatus CmDeactivateVc(LegacyCoVc ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        if (ndisVcHandle.Binding.CallControl is { } ndis && ndis.TryCmDeactivateVc(ndisVcHandle, out var status))
            return status;
        return ndisVcHandle.Deactivate();
    }

    /// <summary>NdisCmMakeCallComplete(Status, NdisVcHandle, NdisPartyHandle, CallMgrPartyContext, CallParameters): SUCCESS only once the VC is active.</summary>
    public static void CmMakeCallComplete(NdisStatus status, LegacyCoVc ndisVcHandle, CoParty? ndisPartyHandle, object? callMgrPartyContext,
        CoCallParameters callParameters) =>
        Ndis.CmMakeCallComplete(status, RuntimeVcOf(ndisVcHandle), ndisPartyHandle, callMgrPartyContext, callParameters);

    /// <summary>NdisCmCloseCallComplete(Status, NdisVcHandle, NdisPartyHandle): SUCCESS only once the VC is deactivated.</summary>
    public static void CmCloseCallComplete(NdisStatus status, LegacyCoVc ndisVcHandle, CoParty? ndisPartyHandle) =>
        Ndis.CmCloseCallComplete(status, RuntimeVcOf(ndisVcHandle), ndisPartyHandle);

    /// <summary>NdisCmAddPartyComplete(Status, NdisPartyHandle, CallMgrPartyContext, CallParameters).</summary>
    public static void CmAddPartyComplete(NdisStatus status, CoParty ndisPartyHandle, object? callMgrPartyContext, CoCallParameters callParameters) =>
        Ndis.CmAddPartyComplete(status, ndisPartyHandle, callMgrPartyContext, callParameters);

    /// <summary>NdisCmDropPartyComplete(Status, NdisPartyHandle).</summary>
    public static void CmDropPartyComplete(NdisStatus status, CoParty ndisPartyHandle) => Ndis.CmDropPartyComplete(status, ndisPartyHandle);

    /// <summary>NdisCmModifyCallQoSComplete(Status, NdisVcHandle, CallParameters).</summary>
    public static void CmModifyCallQoSComplete(NdisStatus status, LegacyCoVc ndisVcHandle, CoCallParameters callParameters) =>
        Ndis.CmModifyCallQoSComplete(status, RuntimeVcOf(ndisVcHandle), callParameters);

    /// <summary>
    /// NdisCmDispatchIncomingCall(NdisSapHandle, NdisVcHandle, CallParameters): offers a call on a VC the call manager
    /// created with the client's AF handle to the client that registered the SAP (its ProtocolClIncomingCall).
    /// SUCCESS (accepted), a failure (rejected), or PENDING and later ProtocolCmIncomingCallComplete.
    /// </summary>
    public static NdisStatus CmDispatchIncomingCall(CoSapHandle ndisSapHandle, LegacyCoVc ndisVcHandle, CoCallParameters callParameters) =>
        Ndis.CmDispatchIncomingCall(ndisSapHandle, RuntimeVcOf(ndisVcHandle), callParameters);

    /// <summary>NdisCmDispatchCallConnected(NdisVcHandle): the accepted call is up (the VC must be active); data may flow.</summary>
    public static void CmDispatchCallConnected(LegacyCoVc ndisVcHandle) => Ndis.CmDispatchCallConnected(RuntimeVcOf(ndisVcHandle));

    /// <summary>NdisCmDispatchIncomingCallQoSChange(NdisVcHandle, CallParameters): the remote changed the call's QoS.</summary>
    public static void CmDispatchIncomingCallQoSChange(LegacyCoVc ndisVcHandle, CoCallParameters callParameters) =>
        Ndis.CmDispatchIncomingCallQoSChange(RuntimeVcOf(ndisVcHandle), callParameters);

    /// <summary>NdisCmDispatchIncomingCloseCall(CloseStatus, NdisVcHandle, Buffer, Size): the remote closed; the client may not send and must close.</summary>
    public static void CmDispatchIncomingCloseCall(NdisStatus closeStatus, LegacyCoVc ndisVcHandle, byte[]? buffer, uint size) =>
        Ndis.CmDispatchIncomingCloseCall(closeStatus, RuntimeVcOf(ndisVcHandle), Bytes(buffer, size));

    /// <summary>NdisCmDispatchIncomingDropParty(DropStatus, NdisPartyHandle, Buffer, Size): the remote dropped a party (the last one closes the call).</summary>
    public static void CmDispatchIncomingDropParty(NdisStatus dropStatus, CoParty ndisPartyHandle, byte[]? buffer, uint size) =>
        Ndis.CmDispatchIncomingDropParty(dropStatus, ndisPartyHandle, Bytes(buffer, size));

    // ---- Call manager integrated in a miniport (MCM) ------------------------------------------------------

    /// <summary>
    /// NdisMCmRegisterAddressFamily(MiniportAdapterHandle, AddressFamily, CmCharacteristics, SizeOfCmCharacteristics):
    /// a 5.x miniport with an integrated call manager serves the AF on its adapter (from MiniportInitialize).
    /// </summary>
    public static NdisStatus MCmRegisterAddressFamily(LegacyCoBinding miniportAdapterHandle, CoAddressFamily addressFamily,
        NdisCallManagerCharacteristics cmCharacteristics, uint sizeOfCmCharacteristics)
    {
        ArgumentNullException.ThrowIfNull(miniportAdapterHandle);
        ArgumentNullException.ThrowIfNull(cmCharacteristics);
        CheckCharacteristics(cmCharacteristics.MajorVersion, sizeOfCmCharacteristics, NdisCallManagerCharacteristics.Size, cmCharacteristics.Handlers,
            nameof(cmCharacteristics));
        return miniportAdapterHandle.CallControl is { } ndis
            ? ndis.MCmRegisterAddressFamily(miniportAdapterHandle, addressFamily, cmCharacteristics)
            : NdisStatus.Failure;
    }

    /// <summary>NdisMCmOpenAddressFamilyComplete(Status, NdisAfHandle, CallMgrAfContext).</summary>
    public static void MCmOpenAddressFamilyComplete(NdisStatus status, CoAfHandle ndisAfHandle, object? callMgrAfContext) =>
        Ndis.MCmOpenAddressFamilyComplete(status, ndisAfHandle, callMgrAfContext);

    /// <summary>NdisMCmCloseAddressFamilyComplete(Status, NdisAfHandle).</summary>
    public static void MCmCloseAddressFamilyComplete(NdisStatus status, CoAfHandle ndisAfHandle) => Ndis.CmCloseAddressFamilyComplete(status, ndisAfHandle);

    /// <summary>NdisMCmRegisterSapComplete(Status, NdisSapHandle, CallMgrSapContext).</summary>
    public static void MCmRegisterSapComplete(NdisStatus status, CoSapHandle ndisSapHandle, object? callMgrSapContext) =>
        Ndis.MCmRegisterSapComplete(status, ndisSapHandle, callMgrSapContext);

    /// <summary>NdisMCmDeregisterSapComplete(Status, NdisSapHandle).</summary>
    public static void MCmDeregisterSapComplete(NdisStatus status, CoSapHandle ndisSapHandle) => Ndis.CmDeregisterSapComplete(status, ndisSapHandle);

    /// <summary>
    /// NdisMCmCreateVc(MiniportAdapterHandle, NdisAfHandle, MiniportVcContext, &amp;NdisVcHandle): the MCM's VC for an
    /// incoming call; only the client's ProtocolCoCreateVc runs (no MiniportCoCreateVc).
    /// </summary>
    public static NdisStatus MCmCreateVc(LegacyCoBinding miniportAdapterHandle, CoAfHandle ndisAfHandle, object? miniportVcContext, out LegacyCoVc? ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(miniportAdapterHandle);
        ArgumentNullException.ThrowIfNull(ndisAfHandle);
        ndisVcHandle = null;
        return miniportAdapterHandle.CallControl is { } ndis
            ? ndis.MCmCreateVc(miniportAdapterHandle, ndisAfHandle, miniportVcContext, out ndisVcHandle)
            : NdisStatus.Failure;
    }

    /// <summary>NdisMCmDeleteVc(NdisVcHandle): deletes a VC the MCM created, once no call is on it and it is deactivated (the client's ProtocolCoDeleteVc).</summary>
    public static NdisStatus MCmDeleteVc(LegacyCoVc ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        return CallControlOf(ndisVcHandle).MCmDeleteVc(ndisVcHandle);
    }

    /// <summary>
    /// NdisMCmActivateVc(NdisVcHandle, CallParameters): activates a VC of the MCM's (no MiniportCoActivateVc: the MCM is
    /// the miniport); data may flow on it from here on.
    /// </summary>
    public static NdisStatus MCmActivateVc(LegacyCoVc ndisVcHandle, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        ArgumentNullException.ThrowIfNull(callParameters);
        return CallControlOf(ndisVcHandle).TryCmActivateVc(ndisVcHandle, callParameters, out var status)
            ? status
            : throw new CoNdisStateException($"NdisMCmActivateVc on {ndisVcHandle}, which no integrated call manager controls.");
    }

    /// <summary>NdisMCmDeactivateVc(NdisVcHandle): the MCM deactivates its VC once its sends completed and its receives came back.</summary>
    public static NdisStatus MCmDeactivateVc(LegacyCoVc ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        return CallControlOf(ndisVcHandle).TryCmDeactivateVc(ndisVcHandle, out var status)
            ? status
            : throw new CoNdisStateException($"NdisMCmDeactivateVc on {ndisVcHandle}, which no integrated call manager controls.");
    }

    /// <summary>NdisMCmMakeCallComplete(Status, NdisVcHandle, NdisPartyHandle, CallMgrPartyContext, CallParameters).</summary>
    public static void MCmMakeCallComplete(NdisStatus status, LegacyCoVc ndisVcHandle, CoParty? ndisPartyHandle, object? callMgrPartyContext,
        CoCallParameters callParameters) =>
        Ndis.MCmMakeCallComplete(status, RuntimeVcOf(ndisVcHandle), ndisPartyHandle, callMgrPartyContext, callParameters);

    /// <summary>NdisMCmCloseCallComplete(Status, NdisVcHandle, NdisPartyHandle).</summary>
    public static void MCmCloseCallComplete(NdisStatus status, LegacyCoVc ndisVcHandle, CoParty? ndisPartyHandle) =>
        Ndis.MCmCloseCallComplete(status, RuntimeVcOf(ndisVcHandle), ndisPartyHandle);

    /// <summary>NdisMCmAddPartyComplete(Status, NdisPartyHandle, CallMgrPartyContext, CallParameters).</summary>
    public static void MCmAddPartyComplete(NdisStatus status, CoParty ndisPartyHandle, object? callMgrPartyContext, CoCallParameters callParameters) =>
        Ndis.MCmAddPartyComplete(status, ndisPartyHandle, callMgrPartyContext, callParameters);

    /// <summary>NdisMCmDropPartyComplete(Status, NdisPartyHandle).</summary>
    public static void MCmDropPartyComplete(NdisStatus status, CoParty ndisPartyHandle) => Ndis.MCmDropPartyComplete(status, ndisPartyHandle);

    /// <summary>NdisMCmModifyCallQoSComplete(Status, NdisVcHandle, CallParameters).</summary>
    public static void MCmModifyCallQoSComplete(NdisStatus status, LegacyCoVc ndisVcHandle, CoCallParameters callParameters) =>
        Ndis.CmModifyCallQoSComplete(status, RuntimeVcOf(ndisVcHandle), callParameters);

    /// <summary>NdisMCmDispatchIncomingCall(NdisSapHandle, NdisVcHandle, CallParameters).</summary>
    public static NdisStatus MCmDispatchIncomingCall(CoSapHandle ndisSapHandle, LegacyCoVc ndisVcHandle, CoCallParameters callParameters) =>
        Ndis.MCmDispatchIncomingCall(ndisSapHandle, RuntimeVcOf(ndisVcHandle), callParameters);

    /// <summary>NdisMCmDispatchCallConnected(NdisVcHandle).</summary>
    public static void MCmDispatchCallConnected(LegacyCoVc ndisVcHandle) => Ndis.MCmDispatchCallConnected(RuntimeVcOf(ndisVcHandle));

    /// <summary>NdisMCmDispatchIncomingCallQoSChange(NdisVcHandle, CallParameters).</summary>
    public static void MCmDispatchIncomingCallQoSChange(LegacyCoVc ndisVcHandle, CoCallParameters callParameters) =>
        Ndis.CmDispatchIncomingCallQoSChange(RuntimeVcOf(ndisVcHandle), callParameters);

    /// <summary>NdisMCmDispatchIncomingCloseCall(CloseStatus, NdisVcHandle, Buffer, Size).</summary>
    public static void MCmDispatchIncomingCloseCall(NdisStatus closeStatus, LegacyCoVc ndisVcHandle, byte[]? buffer, uint size) =>
        Ndis.MCmDispatchIncomingCloseCall(closeStatus, RuntimeVcOf(ndisVcHandle), Bytes(buffer, size));

    /// <summary>NdisMCmDispatchIncomingDropParty(DropStatus, NdisPartyHandle, Buffer, Size).</summary>
    public static void MCmDispatchIncomingDropParty(NdisStatus dropStatus, CoParty ndisPartyHandle, byte[]? buffer, uint size) =>
        Ndis.CmDispatchIncomingDropParty(dropStatus, ndisPartyHandle, Bytes(buffer, size));

    // ---- Requests -------------------------------------------------------------------------------------------

    /// <summary>
    /// NdisCoRequest(NdisBindingHandle, NdisAfHandle, NdisVcHandle, NdisPartyHandle, NdisRequest): with an AF handle, from
    /// a client to its call manager or from a stand-alone call manager to the client (the peer's ProtocolCoRequest);
    /// without one, to the miniport (MiniportCoRequest). PENDING ends in the caller's ProtocolCoRequestComplete.
    /// </summary>
    public static NdisStatus CoRequest(LegacyCoBinding ndisBindingHandle, CoAfHandle? ndisAfHandle, LegacyCoVc? ndisVcHandle, CoParty? ndisPartyHandle,
        NdisRequest ndisRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisBindingHandle);
        ArgumentNullException.ThrowIfNull(ndisRequest);
        if (ndisBindingHandle.CallControl is { } ndis)
            return ndis.CoRequest(ndisBindingHandle, ndisAfHandle, ndisVcHandle, ndisPartyHandle, ndisRequest);
        if (ndisAfHandle is not null)
            return NdisStatus.Failure; // a direct binding has no call manager to ask
        // The model's MiniportCoRequest takes the request in its NDIS 6 shape: translate (remembering the caller's
        // request in the asker's area), then bring the answer back now or at NdisMCoRequestComplete.
        var oidRequest = ndisRequest.ToOidRequest();
        oidRequest.SourceReserved = ndisRequest;
        var status = CoRequest(ndisBindingHandle, null, ndisVcHandle, null, oidRequest);
        if (status != NdisStatus.Pending)
            ndisRequest.CopyResultsFrom(oidRequest);
        return status;
    }

    /// <summary>
    /// NdisCoRequestComplete(Status, NdisAfHandle, NdisVcHandle, NdisPartyHandle, NdisRequest): a client or stand-alone
    /// call manager finishes a request its ProtocolCoRequest pended; the asker hears ProtocolCoRequestComplete.
    /// </summary>
    public static void CoRequestComplete(NdisStatus status, CoAfHandle ndisAfHandle, LegacyCoVc? ndisVcHandle, CoParty? ndisPartyHandle, NdisRequest ndisRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisAfHandle);
        _ = ndisVcHandle;
        _ = ndisPartyHandle;
        CompleteRequest(status, ndisRequest, "NdisCoRequestComplete");
    }

    /// <summary>NdisMCmRequest(NdisAfHandle, NdisVcHandle, NdisPartyHandle, NdisRequest): an MCM's request to the client of its AF.</summary>
    public static NdisStatus MCmRequest(CoAfHandle ndisAfHandle, LegacyCoVc? ndisVcHandle, CoParty? ndisPartyHandle, NdisRequest ndisRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisAfHandle);
        ArgumentNullException.ThrowIfNull(ndisRequest);
        var ndis = ndisAfHandle.ClientBinding.Adapter.Miniport as ILegacyCoCallControl
            ?? throw new CoNdisStateException($"NdisMCmRequest on {ndisAfHandle}, whose miniport is not a 5.x miniport with an integrated call manager.");
        return ndis.MCmRequest(ndisAfHandle, ndisVcHandle, ndisPartyHandle, ndisRequest);
    }

    /// <summary>NdisMCmRequestComplete(Status, NdisAfHandle, NdisVcHandle, NdisPartyHandle, NdisRequest): an MCM finishes a client's request it pended.</summary>
    public static void MCmRequestComplete(NdisStatus status, CoAfHandle ndisAfHandle, LegacyCoVc? ndisVcHandle, CoParty? ndisPartyHandle, NdisRequest ndisRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisAfHandle);
        _ = ndisVcHandle;
        _ = ndisPartyHandle;
        CompleteRequest(status, ndisRequest, "NdisMCmRequestComplete");
    }

    /// <summary>
    /// NdisMCoRequestComplete(Status, MiniportAdapterHandle, Request): the miniport finishes a MiniportCoRequest it pended;
    /// the protocol that asked hears its completion. The request is the one MiniportCoRequest was given.
    /// </summary>
    public static void MCoRequestComplete(NdisStatus status, LegacyCoBinding miniportAdapterHandle, NdisOidRequest request)
    {
        ArgumentNullException.ThrowIfNull(miniportAdapterHandle);
        ArgumentNullException.ThrowIfNull(request);
        if (status == NdisStatus.Pending)
            throw new ArgumentException("NdisMCoRequestComplete takes the final status, never NDIS_STATUS_PENDING.", nameof(status));
        if (miniportAdapterHandle.CallControl is { } ndis)
        {
            ndis.MCoRequestComplete(status, miniportAdapterHandle, request);
            return;
        }
        // A direct binding: the bound client asked; it hears ProtocolCoRequestComplete with its own NDIS_REQUEST, answered.
        if (miniportAdapterHandle.Client is ILegacyCoCallClient client)
        {
            var answer = request.SourceReserved as NdisRequest ?? NdisRequest.FromOidRequest(request);
            request.SourceReserved = null;
            answer.CopyResultsFrom(request);
            client.ProtocolCoRequestComplete(status, null, null, null, answer);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static ILegacyCoCallControl CallControlOf(LegacyCoVc vc) =>
        vc.Binding.CallControl ?? throw new CoNdisStateException($"{vc} is a VC of a direct 5.x binding, which has no call control.");

    private static VirtualConnection RuntimeVcOf(LegacyCoVc vc)
    {
        ArgumentNullException.ThrowIfNull(vc);
        return CallControlOf(vc).RuntimeVcOf(vc)
            ?? throw new CoNdisStateException($"{vc} carries no call: it was created without an AF handle (NdisCoCreateVc with NULL NdisAfHandle).");
    }

    private static ILegacyCoCallControl ClientSide(CoAfHandle af) =>
        af.ClientBinding.Protocol as ILegacyCoCallControl
            ?? throw new CoNdisStateException($"{af} was not opened by a 5.x client (NdisClOpenAddressFamily).");

    private static void CompleteRequest(NdisStatus status, NdisRequest ndisRequest, string ddi)
    {
        ArgumentNullException.ThrowIfNull(ndisRequest);
        if (status == NdisStatus.Pending)
            throw new ArgumentException($"{ddi} takes the final status, never NDIS_STATUS_PENDING.", nameof(status));
        var completion = ndisRequest.NdisReserved as ILegacyCoRequestCompletion
            ?? throw new CoNdisStateException($"{ddi} for {ndisRequest}, which NDIS did not hand to this driver's ProtocolCoRequest (or already completed).");
        ndisRequest.NdisReserved = null;
        completion.CompleteRequest(status, ndisRequest);
    }

    private static ReadOnlyMemory<byte> Bytes(byte[]? buffer, uint size)
    {
        if (buffer is null || size == 0)
            return ReadOnlyMemory<byte>.Empty;
        if (size > (uint)buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(size), $"Size {size} exceeds the buffer's {buffer.Length} bytes.");
        return buffer.AsMemory(0, (int)size);
    }

    private static void CheckCharacteristics(byte majorVersion, uint size, uint expected, object? handlers, string parameter)
    {
        if (majorVersion != 5)
            throw new ArgumentException($"MajorVersion {majorVersion}: NDIS 5 call-control characteristics carry MajorVersion 5.", parameter);
        if (size < expected)
            throw new ArgumentOutOfRangeException(parameter, $"SizeOf…Characteristics {size} is shorter than the structure ({expected} bytes).");
        if (handlers is null)
            throw new ArgumentException("The characteristics name no handlers.", parameter);
    }
}
