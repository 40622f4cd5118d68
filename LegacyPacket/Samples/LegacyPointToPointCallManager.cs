using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.LegacyPacket.Samples;

/// <summary>
/// A ported NDIS 5.x point-to-point call manager (the shape of a UNI or PPPoE call manager without its signalling
/// protocol: every call it is asked for is answered at once by the far end), written only against <see cref="Ndis5"/>.
/// The same code runs stand-alone, bound as a protocol (NdisCmRegisterAddressFamily, NdisCm* calls) or integrated in
/// a 5.x miniport (NdisMCmRegisterAddressFamily, NdisMCm* calls), as drivers built both ways choose the DDI family at
/// one place; <see cref="Integrated"/> is that place. It serves one client's AF and SAP, makes and closes calls by
/// activating and deactivating the VC and completing from the activation completions, offers incoming calls, changes
/// QoS by reactivating, accepts leaf parties of a multipoint call, answers one vendor OID, and plays the far end for
/// the tests (remote close, QoS change, party drop, requests to the client). The original C is shown beside the ported
/// lines.
/// </summary>
public sealed class LegacyPointToPointCallManager : ILegacyCoCallManager, ILegacyCoClient
{
    /// <summary>The AF it serves: CO_ADDRESS_FAMILY_Q2931, version 3.1 (UNI 3.1).</summary>
    public static readonly CoAddressFamily AddressFamily = new(CoAddressFamily.Q2931, 3, 1);

    /// <summary>A vendor OID (0xFF…: the vendor range) it answers with the number of calls it connected.</summary>
    public const uint OidCallsConnected = 0xFF010001;

    private readonly object _lock = new();
    private readonly List<string> _events = [];
    private LegacyCoBinding? _binding;
    private CmAf? _af;
    private CmSap? _sap;
    private uint _callsConnected;

    /// <summary>True when integrated in a miniport (an MCM): the NdisMCm* family of calls; false for the NdisCm* family.</summary>
    public bool Integrated { get; private set; }

    /// <summary>Pend make-call, close-call, open-AF, SAP and request answers and complete them from a worker thread.</summary>
    public bool PendCalls { get; set; }

    /// <summary>
    /// Called with a VC's context (for an MCM, the MiniportVcContext its miniport half sees) just before the call manager
    /// deactivates it: an MCM's miniport completes its queued sends here, as a miniport does before deactivation completes.
    /// </summary>
    public Action<object?>? DeactivatingVc { get; set; }

    /// <summary>What happened, in order (a test hook standing in for the call manager's trace).</summary>
    public IReadOnlyList<string> Events
    {
        get { lock (_lock) return [.. _events]; }
    }

    /// <summary>The client's open AF (NdisAfHandle), once ProtocolCmOpenAf ran.</summary>
    public CoAfHandle? ClientAf => _af?.NdisAfHandle;

    /// <summary>Calls connected so far (outgoing and incoming).</summary>
    public uint CallsConnected => Volatile.Read(ref _callsConnected);

    /// <summary>The last answer to a ULONG request the call manager made of its client, once complete.</summary>
    public uint LastRequestAnswer { get; private set; }

    /// <summary>
    /// The NdisVcHandle kept in one of this call manager's VC contexts (pVc-&gt;NdisVcHandle): what the miniport half of
    /// an MCM, which is handed that context as its MiniportVcContext, passes to NdisMCoSendComplete.
    /// </summary>
    public static LegacyCoVc NdisVcHandleOf(object? vcContext) =>
        (vcContext as CmVc ?? throw new ArgumentException("not a VC context of this call manager", nameof(vcContext))).NdisVcHandle;

    /// <summary>Stand-alone: registers the AF on its binding (from ProtocolBindAdapter).</summary>
    public NdisStatus Register(LegacyCoBinding ndisBindingHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisBindingHandle);
        _binding = ndisBindingHandle;
        Integrated = false;
        // NdisZeroMemory(&CmChars, sizeof(CmChars)); CmChars.MajorVersion = 5; CmChars.MinorVersion = 0;
        // CmChars.CmCreateVcHandler = P2pCreateVc; … CmChars.CmRequestCompleteHandler = P2pRequestComplete;
        var cmChars = new NdisCallManagerCharacteristics { MajorVersion = 5, MinorVersion = 0, Handlers = this };
        var af = AddressFamily;
        // Status = NdisCmRegisterAddressFamily(pAdapter->NdisBindingHandle, &AddressFamily, &CmChars, sizeof(CmChars));
        return Ndis5.CmRegisterAddressFamily(ndisBindingHandle, af, cmChars, NdisCallManagerCharacteristics.Size);
    }

    /// <summary>Integrated: registers the AF on the miniport's adapter (from MiniportInitialize).</summary>
    public NdisStatus RegisterIntegrated(LegacyCoBinding miniportAdapterHandle)
    {
        ArgumentNullException.ThrowIfNull(miniportAdapterHandle);
        _binding = miniportAdapterHandle;
        Integrated = true;
        var cmChars = new NdisCallManagerCharacteristics { MajorVersion = 5, MinorVersion = 0, Handlers = this };
        // Status = NdisMCmRegisterAddressFamily(pAdapter->MiniportAdapterHandle, &AddressFamily, &CmChars, sizeof(CmChars));
        return Ndis5.MCmRegisterAddressFamily(miniportAdapterHandle, AddressFamily, cmChars, NdisCallManagerCharacteristics.Size);
    }

    // ---- CmXxxHandler entry points ----------------------------------------------------------------------

    /// <inheritdoc />
    public NdisStatus ProtocolCmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext)
    {
        // if (AddressFamily->AddressFamily != CO_ADDRESS_FAMILY_Q2931) return NDIS_STATUS_BAD_VERSION;
        var af = new CmAf(ndisAfHandle);
        callMgrAfContext = af;
        _af = af;
        Record("OpenAf");
        if (!PendCalls)
            return NdisStatus.Success;
        // NdisCmOpenAddressFamilyComplete(NDIS_STATUS_SUCCESS, pAf->NdisAfHandle, pAf);
        Later(() =>
        {
            if (Integrated)
                Ndis5.MCmOpenAddressFamilyComplete(NdisStatus.Success, ndisAfHandle, af);
            else
                Ndis5.CmOpenAddressFamilyComplete(NdisStatus.Success, ndisAfHandle, af);
        });
        return NdisStatus.Pending;
    }

    /// <inheritdoc />
    public NdisStatus ProtocolCmCloseAf(object? callMgrAfContext)
    {
        Record("CloseAf");
        _af = null;
        _sap = null;
        return NdisStatus.Success;
    }

    /// <inheritdoc />
    public NdisStatus ProtocolCmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext)
    {
        var cmSap = new CmSap(ndisSapHandle, sap);
        callMgrSapContext = cmSap;
        _sap = cmSap;
        Record("RegisterSap");
        if (!PendCalls)
            return NdisStatus.Success;
        // NdisCmRegisterSapComplete(NDIS_STATUS_SUCCESS, pSap->NdisSapHandle, pSap);
        Later(() =>
        {
            if (Integrated)
                Ndis5.MCmRegisterSapComplete(NdisStatus.Success, ndisSapHandle, cmSap);
            else
                Ndis5.CmRegisterSapComplete(NdisStatus.Success, ndisSapHandle, cmSap);
        });
        return NdisStatus.Pending;
    }

    /// <inheritdoc />
    public NdisStatus ProtocolCmDeregisterSap(object? callMgrSapContext)
    {
        Record("DeregisterSap");
        if (ReferenceEquals(_sap, callMgrSapContext))
            _sap = null;
        return NdisStatus.Success;
    }

    /// <inheritdoc />
    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, LegacyCoVc ndisVcHandle, out object? protocolVcContext)
    {
        // pVc = AllocateVc(); pVc->NdisVcHandle = NdisVcHandle; *ProtocolVcContext = pVc; return NDIS_STATUS_SUCCESS;
        protocolVcContext = new CmVc(ndisVcHandle);
        Record("CreateVc");
        return NdisStatus.Success;
    }

    /// <inheritdoc />
    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
    {
        Record("DeleteVc");
        return NdisStatus.Success;
    }

    /// <inheritdoc />
    public NdisStatus ProtocolCmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext)
    {
        var vc = (CmVc)callMgrVcContext!;
        // The far end answers at once (no signalling): activate the VC, then complete the call.
        callMgrPartyContext = ndisPartyHandle is null ? null : new CmParty(ndisPartyHandle);
        vc.Party = ndisPartyHandle;
        vc.PartyContext = callMgrPartyContext;
        vc.Work = CmWork.MakeCall;
        Record("MakeCall");
        // Status = NdisCmActivateVc(pVc->NdisVcHandle, CallParameters);
        var status = Activate(vc, callParameters);
        if (status == NdisStatus.Pending)
            return NdisStatus.Pending; // finished in ProtocolCmActivateVcComplete
        if (status != NdisStatus.Success)
            return status;
        Interlocked.Increment(ref _callsConnected);
        if (!PendCalls)
            return NdisStatus.Success;
        Later(() => MakeCallComplete(NdisStatus.Success, vc, callParameters));
        return NdisStatus.Pending;
    }

    /// <inheritdoc />
    public void ProtocolCmActivateVcComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters)
    {
        var vc = (CmVc)callMgrVcContext!;
        Record($"ActivateVcComplete {status}");
        if (vc.Work == CmWork.MakeCall)
        {
            if (status == NdisStatus.Success)
                Interlocked.Increment(ref _callsConnected);
            // NdisCmMakeCallComplete(Status, pVc->NdisVcHandle, pVc->NdisPartyHandle, pParty, CallParameters);
            MakeCallComplete(status, vc, callParameters);
        }
        else if (vc.Work == CmWork.Incoming && status == NdisStatus.Success)
        {
            Dispatch(vc, callParameters);
        }
        else if (vc.Work == CmWork.ModifyQoS)
        {
            vc.Work = CmWork.None;
            // NdisCmModifyCallQoSComplete(Status, pVc->NdisVcHandle, CallParameters);
            if (Integrated)
                Ndis5.MCmModifyCallQoSComplete(status, vc.NdisVcHandle, callParameters);
            else
                Ndis5.CmModifyCallQoSComplete(status, vc.NdisVcHandle, callParameters);
        }
    }

    /// <inheritdoc />
    public NdisStatus ProtocolCmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, byte[]? closeData, uint size)
    {
        var vc = (CmVc)callMgrVcContext!;
        vc.Work = CmWork.Close;
        Record("CloseCall");
        if (!vc.Activated)
            return NdisStatus.Success; // never activated: nothing to tear down
        // Status = NdisCmDeactivateVc(pVc->NdisVcHandle);
        var status = Deactivate(vc);
        if (status == NdisStatus.Pending)
            return NdisStatus.Pending; // finished in ProtocolCmDeactivateVcComplete
        if (!PendCalls)
            return status;
        Later(() => CloseCallComplete(status, vc));
        return NdisStatus.Pending;
    }

    /// <inheritdoc />
    public void ProtocolCmDeactivateVcComplete(NdisStatus status, object? callMgrVcContext)
    {
        var vc = (CmVc)callMgrVcContext!;
        Record($"DeactivateVcComplete {status}");
        if (vc.Work == CmWork.Close)
            CloseCallComplete(status, vc); // NdisCmCloseCallComplete(Status, pVc->NdisVcHandle, NULL);
    }

    /// <inheritdoc />
    public void ProtocolCmIncomingCallComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters)
    {
        var vc = (CmVc)callMgrVcContext!;
        Record($"IncomingCallComplete {status}");
        if (status == NdisStatus.Success)
            CallConnected(vc);
        else
            TearDownRejected(vc);
    }

    /// <inheritdoc />
    public NdisStatus ProtocolCmModifyCallQoS(object? callMgrVcContext, CoCallParameters callParameters)
    {
        var vc = (CmVc)callMgrVcContext!;
        vc.Work = CmWork.ModifyQoS;
        Record("ModifyCallQoS");
        // Reactivate with the new parameters: Status = NdisCmActivateVc(pVc->NdisVcHandle, CallParameters);
        var status = Activate(vc, callParameters);
        if (status != NdisStatus.Pending)
            vc.Work = CmWork.None;
        return status; // PENDING: NdisCmModifyCallQoSComplete from ProtocolCmActivateVcComplete
    }

    /// <inheritdoc />
    public NdisStatus ProtocolCmAddParty(object? callMgrVcContext, CoCallParameters callParameters, CoParty ndisPartyHandle, out object? callMgrPartyContext)
    {
        callMgrPartyContext = new CmParty(ndisPartyHandle);
        Record("AddParty");
        return NdisStatus.Success;
    }

    /// <inheritdoc />
    public NdisStatus ProtocolCmDropParty(object? callMgrPartyContext, byte[]? closeData, uint size)
    {
        Record("DropParty");
        return NdisStatus.Success;
    }

    /// <inheritdoc />
    public NdisStatus ProtocolCoRequest(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisRequest ndisRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisRequest);
        Record($"Request 0x{ndisRequest.Oid:X8}");
        // switch (NdisRequest->DATA.QUERY_INFORMATION.Oid) { case OID_P2P_CALLS_CONNECTED: …; default: return NDIS_STATUS_NOT_SUPPORTED; }
        if (ndisRequest.Oid != OidCallsConnected || ndisRequest.RequestType != NdisRequestType.QueryInformation)
            return NdisStatus.NotSupported;
        if (!PendCalls)
            return ndisRequest.WriteUInt32(CallsConnected);
        var af = _af?.NdisAfHandle ?? throw new InvalidOperationException("a request without an open AF");
        Later(() =>
        {
            var status = ndisRequest.WriteUInt32(CallsConnected);
            // NdisCoRequestComplete(Status, pAf->NdisAfHandle, NULL, NULL, NdisRequest);
            if (Integrated)
                Ndis5.MCmRequestComplete(status, af, null, null, ndisRequest);
            else
                Ndis5.CoRequestComplete(status, af, null, null, ndisRequest);
        });
        return NdisStatus.Pending;
    }

    /// <inheritdoc />
    public void ProtocolCoRequestComplete(NdisStatus status, object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisRequest ndisRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisRequest);
        if (status == NdisStatus.Success)
            LastRequestAnswer = ndisRequest.ReadUInt32();
        Record($"RequestComplete {status}");
    }

    // ---- The far end (test hooks standing in for the network) --------------------------------------------------

    /// <summary>
    /// An incoming call from the network: a VC created with the client's AF handle (NdisCoCreateVc, or NdisMCmCreateVc
    /// integrated), activated, dispatched to the SAP (NdisCmDispatchIncomingCall) and, once accepted, connected
    /// (NdisCmDispatchCallConnected). A rejected call's VC is deactivated and deleted again. Returns the VC.
    /// </summary>
    public LegacyCoVc OfferIncomingCall(CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(callParameters);
        var af = _af ?? throw new InvalidOperationException("no client opened the AF");
        var vc = new CmVc(null!) { Work = CmWork.Incoming, CreatedHere = true };
        NdisStatus status;
        LegacyCoVc? handle;
        // Status = NdisCoCreateVc(pAdapter->NdisBindingHandle, pAf->NdisAfHandle, pVc, &pVc->NdisVcHandle);
        if (Integrated)
            status = Ndis5.MCmCreateVc(_binding!, af.NdisAfHandle, vc, out handle);
        else
            status = Ndis5.CoCreateVc(_binding!, af.NdisAfHandle, vc, out handle);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoCreateVc for an incoming call: {status.Describe()}");
        vc.NdisVcHandle = handle!;
        Record("CreateVc (incoming)");
        status = Activate(vc, callParameters);
        if (status == NdisStatus.Success)
            Dispatch(vc, callParameters);
        else if (status != NdisStatus.Pending)
            throw new InvalidOperationException($"NdisCmActivateVc for an incoming call: {status.Describe()}");
        return vc.NdisVcHandle;
    }

    /// <summary>The far end hung up: NdisCmDispatchIncomingCloseCall; the client must close the call.</summary>
    public void RemoteClose(LegacyCoVc ndisVcHandle, NdisStatus closeStatus = NdisStatus.Success)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        Record("DispatchIncomingCloseCall");
        if (Integrated)
            Ndis5.MCmDispatchIncomingCloseCall(closeStatus, ndisVcHandle, null, 0);
        else
            Ndis5.CmDispatchIncomingCloseCall(closeStatus, ndisVcHandle, null, 0);
    }

    /// <summary>The far end changed the call's QoS: the VC is reactivated, then NdisCmDispatchIncomingCallQoSChange.</summary>
    public NdisStatus RemoteQoSChange(LegacyCoVc ndisVcHandle, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        var vc = ContextOf(ndisVcHandle);
        var status = Activate(vc, callParameters);
        if (status != NdisStatus.Success)
            return status;
        Record("DispatchIncomingCallQoSChange");
        if (Integrated)
            Ndis5.MCmDispatchIncomingCallQoSChange(ndisVcHandle, callParameters);
        else
            Ndis5.CmDispatchIncomingCallQoSChange(ndisVcHandle, callParameters);
        return NdisStatus.Success;
    }

    /// <summary>The far end dropped a leaf: NdisCmDispatchIncomingDropParty.</summary>
    public void RemoteDropParty(CoParty ndisPartyHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisPartyHandle);
        Record("DispatchIncomingDropParty");
        if (Integrated)
            Ndis5.MCmDispatchIncomingDropParty(NdisStatus.Success, ndisPartyHandle, null, 0);
        else
            Ndis5.CmDispatchIncomingDropParty(NdisStatus.Success, ndisPartyHandle, null, 0);
    }

    /// <summary>Asks the client of the AF for a ULONG OID (NdisCoRequest with the AF handle, or NdisMCmRequest).</summary>
    public NdisStatus QueryClient(uint oid, NdisRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var af = _af?.NdisAfHandle ?? throw new InvalidOperationException("no client opened the AF");
        request.Oid = oid;
        request.RequestType = NdisRequestType.QueryInformation;
        // Status = NdisCoRequest(pAdapter->NdisBindingHandle, pAf->NdisAfHandle, NULL, NULL, pRequest);
        var status = Integrated
            ? Ndis5.MCmRequest(af, null, null, request)
            : Ndis5.CoRequest(_binding!, af, null, null, request);
        if (status == NdisStatus.Success)
            LastRequestAnswer = request.ReadUInt32();
        return status;
    }

    /// <summary>Deletes a VC this call manager created for an incoming call, once its call is closed (NdisCoDeleteVc / NdisMCmDeleteVc).</summary>
    public NdisStatus DeleteIncomingVc(LegacyCoVc ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        var status = Integrated ? Ndis5.MCmDeleteVc(ndisVcHandle) : Ndis5.CoDeleteVc(ndisVcHandle);
        Record($"DeleteVc (incoming) {status}");
        return status;
    }

    // ---- ILegacyCoClient: the protocol half of a stand-alone call manager (it sends nothing on its own VCs) ------

    /// <inheritdoc />
    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
    {
    }

    /// <inheritdoc />
    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet) => 0;

    /// <inheritdoc />
    public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
    {
    }

    /// <inheritdoc />
    public void ProtocolReceiveComplete(object? protocolBindingContext)
    {
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static CmVc ContextOf(LegacyCoVc ndisVcHandle) =>
        (ndisVcHandle.ProtocolVcContext as CmVc ?? ndisVcHandle.MiniportVcContext as CmVc)
            ?? throw new ArgumentException($"{ndisVcHandle} is not a VC of this call manager.", nameof(ndisVcHandle));

    private NdisStatus Activate(CmVc vc, CoCallParameters callParameters)
    {
        var status = Integrated ? Ndis5.MCmActivateVc(vc.NdisVcHandle, callParameters) : Ndis5.CmActivateVc(vc.NdisVcHandle, callParameters);
        if (status is NdisStatus.Success or NdisStatus.Pending)
            vc.Activated = true;
        return status;
    }

    private NdisStatus Deactivate(CmVc vc)
    {
        DeactivatingVc?.Invoke(vc);
        vc.Activated = false;
        return Integrated ? Ndis5.MCmDeactivateVc(vc.NdisVcHandle) : Ndis5.CmDeactivateVc(vc.NdisVcHandle);
    }

    private void MakeCallComplete(NdisStatus status, CmVc vc, CoCallParameters callParameters)
    {
        vc.Work = CmWork.None;
        if (Integrated)
            Ndis5.MCmMakeCallComplete(status, vc.NdisVcHandle, vc.Party, vc.PartyContext, callParameters);
        else
            Ndis5.CmMakeCallComplete(status, vc.NdisVcHandle, vc.Party, vc.PartyContext, callParameters);
    }

    private void CloseCallComplete(NdisStatus status, CmVc vc)
    {
        vc.Work = CmWork.None;
        if (Integrated)
            Ndis5.MCmCloseCallComplete(status, vc.NdisVcHandle, null);
        else
            Ndis5.CmCloseCallComplete(status, vc.NdisVcHandle, null);
    }

    private void Dispatch(CmVc vc, CoCallParameters callParameters)
    {
        var sap = _sap ?? throw new InvalidOperationException("no SAP registered");
        // Status = NdisCmDispatchIncomingCall(pSap->NdisSapHandle, pVc->NdisVcHandle, CallParameters);
        var status = Integrated
            ? Ndis5.MCmDispatchIncomingCall(sap.NdisSapHandle, vc.NdisVcHandle, callParameters)
            : Ndis5.CmDispatchIncomingCall(sap.NdisSapHandle, vc.NdisVcHandle, callParameters);
        Record($"DispatchIncomingCall {status}");
        if (status == NdisStatus.Success)
            CallConnected(vc);
        else if (status != NdisStatus.Pending)
            TearDownRejected(vc);
    }

    private void CallConnected(CmVc vc)
    {
        vc.Work = CmWork.None;
        Interlocked.Increment(ref _callsConnected);
        // NdisCmDispatchCallConnected(pVc->NdisVcHandle);
        if (Integrated)
            Ndis5.MCmDispatchCallConnected(vc.NdisVcHandle);
        else
            Ndis5.CmDispatchCallConnected(vc.NdisVcHandle);
    }

    /// <summary>A rejected incoming call: NdisCmDeactivateVc, then NdisCoDeleteVc (the reference's order).</summary>
    private void TearDownRejected(CmVc vc)
    {
        vc.Work = CmWork.None;
        if (vc.Activated)
            Deactivate(vc);
        DeleteIncomingVc(vc.NdisVcHandle);
    }

    private static void Later(Action action) => ThreadPool.QueueUserWorkItem(_ => action());

    private void Record(string text)
    {
        lock (_lock)
            _events.Add(text);
    }

    private enum CmWork
    {
        None,
        MakeCall,
        Incoming,
        Close,
        ModifyQoS,
    }

    private sealed class CmAf(CoAfHandle ndisAfHandle)
    {
        public CoAfHandle NdisAfHandle { get; } = ndisAfHandle;
    }

    private sealed class CmSap(CoSapHandle ndisSapHandle, CoSap sap)
    {
        public CoSapHandle NdisSapHandle { get; } = ndisSapHandle;

        public CoSap Sap { get; } = sap;
    }

    private sealed class CmParty(CoParty ndisPartyHandle)
    {
        public CoParty NdisPartyHandle { get; } = ndisPartyHandle;
    }

    private sealed class CmVc(LegacyCoVc ndisVcHandle)
    {
        public LegacyCoVc NdisVcHandle { get; set; } = ndisVcHandle;

        public CmWork Work { get; set; }

        public bool Activated { get; set; }

        public bool CreatedHere { get; set; }

        public CoParty? Party { get; set; }

        public object? PartyContext { get; set; }
    }
}
