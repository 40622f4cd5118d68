using System.Runtime.InteropServices;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Translation.Adapters;

// The control plane of a 5.x protocol over the runtime, as NDIS 6 runs 5.x protocols: the 5.x client's NDIS 5
// call-control DDIs (ILegacyCoCallControl, reached from Ndis5) become the runtime's Ex forms, the runtime's client
// handlers (ICoClient) reach the NDIS_CLIENT_CHARACTERISTICS handlers the client registered per AF, and a 5.x call
// manager bound through this adapter (NdisCmRegisterAddressFamily) answers the runtime as its ICoCallManager.
// NDIS_REQUEST ⇄ NDIS_OID_REQUEST both ways. Contexts the runtime holds for a 5.x client are wrappers
// (LegacyClientAf, LegacyClientSap, LegacyClientParty) that name the AF whose handlers hear the event; a 5.x call
// manager's contexts pass through as they are (one call manager per binding).
public sealed partial class LegacyClientAdapter : ICoCallManager, ILegacyCoCallControl
{
    private readonly object _callSync = new();
    private readonly Dictionary<CoAfHandle, LegacyClientAf> _clientAfs = [];
    private readonly Dictionary<VirtualConnection, LegacyCoVc> _callManagerVcs = [];
    private ILegacyCoCallManager? _callManager;

    /// <summary>Raised when a call manager created a VC for an incoming call (the 5.x client's VC for it).</summary>
    public event Action<LegacyCoVc>? IncomingVcCreated;

    /// <summary>The runtime VC behind a 5.x VC of this adapter (a client's VC, or a call manager's handle for one).</summary>
    public static VirtualConnection RuntimeVcOf(LegacyCoVc vc)
    {
        ArgumentNullException.ThrowIfNull(vc);
        return ((TranslatedVc)vc.MiniportVcContext!).Runtime;
    }

    /// <summary>The 5.x call manager's NdisVcHandle for a runtime VC of one of its AFs (a client's VC, or one it created for an incoming call).</summary>
    public LegacyCoVc CallManagerVcOf(VirtualConnection vc)
    {
        ArgumentNullException.ThrowIfNull(vc);
        lock (_callSync)
            return _callManagerVcs.TryGetValue(vc, out var legacy) ? legacy : throw new ArgumentException($"{vc} is not a VC of {LegacyBinding}'s call manager.", nameof(vc));
    }

    private void TrackCallManagerVc(TranslatedVc vc, bool add)
    {
        lock (_callSync)
        {
            if (add)
                _callManagerVcs[vc.Runtime] = vc.Legacy;
            else
                _callManagerVcs.Remove(vc.Runtime);
        }
    }

    /// <summary>
    /// Creates a VC for an outgoing call: the runtime VC on <paramref name="af"/> and the 5.x VC the client sends on,
    /// with <paramref name="legacyVcContext"/> as the client's ProtocolVcContext. For a 5.x client that opened the AF with
    /// the NDIS 6 call <c>Ndis.ClOpenAddressFamilyEx</c>; a ported client calls <c>Ndis5.CoCreateVc</c> with its AF handle.
    /// </summary>
    public NdisStatus CreateVc(CoAfHandle af, object? legacyVcContext, out TranslatedVc? vc) => CreateClientVc(af, legacyVcContext, null, out vc);

    /// <summary>Tears down the 5.x side of a VC this adapter created for an outgoing call, then deletes the runtime VC.</summary>
    public NdisStatus DeleteVc(TranslatedVc vc)
    {
        ArgumentNullException.ThrowIfNull(vc);
        RequireOwn(vc.Legacy.Binding);
        var status = Ndis.CoDeleteVc(vc.Runtime);
        if (status != NdisStatus.Success)
            return status;
        return TearDownClientSide(vc);
    }

    private NdisStatus CreateClientVc(CoAfHandle af, object? legacyVcContext, LegacyClientAf? clientAf, out TranslatedVc? vc)
    {
        vc = null;
        var status = Ndis5.CoCreateVc(LegacyBinding, null, legacyVcContext, out var legacy);
        if (status != NdisStatus.Success)
            return status;
        var translated = (TranslatedVc)legacy!.MiniportVcContext!;
        status = Ndis.CoCreateVc(Binding, af, translated, out var runtimeVc);
        if (status != NdisStatus.Success)
        {
            Ndis5.CoDeleteVc(legacy);
            return status;
        }
        translated.Runtime = runtimeVc!;
        translated.Role = clientAf is null ? CallRole.None : CallRole.Client;
        translated.ClientAf = clientAf;
        Ndis5.CmActivateVc(legacy, null); // the 5.x side is open; the runtime VC decides whether data flows
        vc = translated;
        return NdisStatus.Success;
    }

    /// <summary>The runtime VC is gone: close and delete the 5.x side directly (no runtime call from here on).</summary>
    private static NdisStatus TearDownClientSide(TranslatedVc vc)
    {
        vc.Detached = true;
        var legacy = vc.Legacy;
        if (legacy.State == LegacyVcState.Active)
            Ndis5.CmDeactivateVc(legacy);
        return Ndis5.CoDeleteVc(legacy);
    }

    // ---- ILegacyCoCallControl: the 5.x client's (and call manager's) NDIS 5 calls -------------------------------

    VirtualConnection? ILegacyCoCallControl.RuntimeVcOf(LegacyCoVc ndisVcHandle) =>
        ndisVcHandle.MiniportVcContext is TranslatedVc { Detached: false } vc ? (VirtualConnection?)vc.Runtime : null;

    NdisStatus ILegacyCoCallControl.ClOpenAddressFamily(LegacyCoBinding ndisBindingHandle, CoAddressFamily addressFamily, object? protocolAfContext,
        NdisClientCharacteristics clCharacteristics, out CoAfHandle? ndisAfHandle)
    {
        RequireOwn(ndisBindingHandle);
        var af = new LegacyClientAf(clCharacteristics.Handlers!, protocolAfContext);
        var status = Ndis.ClOpenAddressFamilyEx(Binding, addressFamily, af, out var handle);
        af.Handle = handle;
        if (handle is not null && (status == NdisStatus.Success || status == NdisStatus.Pending))
        {
            lock (_callSync)
                _clientAfs[handle] = af;
        }
        ndisAfHandle = status == NdisStatus.Success ? handle : null;
        return status;
    }

    NdisStatus ILegacyCoCallControl.ClRegisterSap(CoAfHandle ndisAfHandle, object? protocolSapContext, CoSap sap, out CoSapHandle? ndisSapHandle)
    {
        var status = Ndis.ClRegisterSap(ndisAfHandle, new LegacyClientSap(ClientAfOf(ndisAfHandle), protocolSapContext), sap, out var handle);
        ndisSapHandle = handle;
        return status;
    }

    NdisStatus ILegacyCoCallControl.CoCreateVc(LegacyCoBinding ndisBindingHandle, CoAfHandle ndisAfHandle, object? protocolVcContext, out LegacyCoVc? ndisVcHandle)
    {
        RequireOwn(ndisBindingHandle);
        ndisVcHandle = null;
        if (ndisAfHandle.ClientBinding == Binding)
        {
            // NdisCoCreateVc by the client: its VC for an outgoing call (the call manager's ProtocolCoCreateVc and the miniport's run).
            var status = CreateClientVc(ndisAfHandle, protocolVcContext, ClientAfOf(ndisAfHandle), out var vc);
            ndisVcHandle = vc?.Legacy;
            return status;
        }
        // NdisCoCreateVc by the call manager with the client's AF handle: its VC for an incoming call.
        RequireCallManager();
        var legacy = LegacyBinding.CreateVcHandle(protocolVcContext, null);
        var translated = new TranslatedVc(legacy) { Role = CallRole.CallManager };
        legacy.AssignMiniportVcContext(translated);
        var created = Ndis.CoCreateVc(Binding, ndisAfHandle, translated, out var runtimeVc);
        if (created != NdisStatus.Success)
        {
            LegacyBinding.DeleteVcHandle(legacy);
            return created;
        }
        translated.Runtime = runtimeVc!;
        TrackCallManagerVc(translated, add: true);
        ndisVcHandle = legacy;
        return NdisStatus.Success;
    }

    bool ILegacyCoCallControl.TryCoDeleteVc(LegacyCoVc ndisVcHandle, out NdisStatus status)
    {
        status = NdisStatus.Success;
        if (ndisVcHandle.MiniportVcContext is not TranslatedVc { Detached: false } vc || vc.Runtime is null)
            return false;
        status = Ndis.CoDeleteVc(vc.Runtime);
        if (status != NdisStatus.Success)
            return true;
        if (vc.Role == CallRole.CallManager)
        {
            vc.Detached = true;
            TrackCallManagerVc(vc, add: false);
            status = LegacyBinding.DeleteVcHandle(ndisVcHandle);
        }
        else
        {
            status = TearDownClientSide(vc);
        }
        return true;
    }

    NdisStatus ILegacyCoCallControl.ClMakeCall(LegacyCoVc ndisVcHandle, CoCallParameters callParameters, object? protocolPartyContext, out CoParty? ndisPartyHandle)
    {
        var vc = Translated(ndisVcHandle);
        var party = protocolPartyContext is null ? null : new LegacyClientParty(vc, protocolPartyContext);
        var status = Ndis.ClMakeCall(vc.Runtime, callParameters, party, out ndisPartyHandle);
        if (party is not null)
            party.Handle = ndisPartyHandle;
        return status;
    }

    NdisStatus ILegacyCoCallControl.ClAddParty(LegacyCoVc ndisVcHandle, object? protocolPartyContext, CoCallParameters callParameters, out CoParty? ndisPartyHandle)
    {
        var vc = Translated(ndisVcHandle);
        var party = new LegacyClientParty(vc, protocolPartyContext);
        var status = Ndis.ClAddParty(vc.Runtime, party, callParameters, out var handle);
        party.Handle = handle;
        ndisPartyHandle = handle;
        return status;
    }

    NdisStatus ILegacyCoCallControl.CmRegisterAddressFamily(LegacyCoBinding ndisBindingHandle, CoAddressFamily addressFamily,
        NdisCallManagerCharacteristics cmCharacteristics)
    {
        RequireOwn(ndisBindingHandle);
        lock (_callSync)
        {
            if (_callManager is not null && !ReferenceEquals(_callManager, cmCharacteristics.Handlers))
                throw new NotSupportedException($"{LegacyBinding} already registered an AF with other call-manager handlers; the model keeps one call manager per binding.");
            _callManager = cmCharacteristics.Handlers;
        }
        return Ndis.CmRegisterAddressFamilyEx(Binding, addressFamily);
    }

    NdisStatus ILegacyCoCallControl.MCmRegisterAddressFamily(LegacyCoBinding miniportAdapterHandle, CoAddressFamily addressFamily,
        NdisCallManagerCharacteristics cmCharacteristics) =>
        throw new CoNdisStateException($"NdisMCmRegisterAddressFamily on {miniportAdapterHandle}: a protocol's binding is not a miniport; a call manager bound as a protocol calls NdisCmRegisterAddressFamily.");

    bool ILegacyCoCallControl.TryCmActivateVc(LegacyCoVc ndisVcHandle, object? callParameters, out NdisStatus status)
    {
        status = NdisStatus.Success;
        if (ndisVcHandle.MiniportVcContext is not TranslatedVc { Role: CallRole.CallManager, Detached: false } vc)
            return false;
        status = Ndis.CmActivateVc(vc.Runtime, callParameters as CoCallParameters
            ?? throw new ArgumentException("NdisCmActivateVc needs CO_CALL_PARAMETERS (a CoCallParameters).", nameof(callParameters)));
        return true;
    }

    bool ILegacyCoCallControl.TryCmDeactivateVc(LegacyCoVc ndisVcHandle, out NdisStatus status)
    {
        status = NdisStatus.Success;
        if (ndisVcHandle.MiniportVcContext is not TranslatedVc { Role: CallRole.CallManager, Detached: false } vc)
            return false;
        status = Ndis.CmDeactivateVc(vc.Runtime);
        return true;
    }

    NdisStatus ILegacyCoCallControl.MCmCreateVc(LegacyCoBinding miniportAdapterHandle, CoAfHandle ndisAfHandle, object? miniportVcContext, out LegacyCoVc? ndisVcHandle) =>
        throw new CoNdisStateException($"NdisMCmCreateVc on {miniportAdapterHandle}: a protocol's binding is not a miniport; a stand-alone call manager calls NdisCoCreateVc.");

    NdisStatus ILegacyCoCallControl.MCmDeleteVc(LegacyCoVc ndisVcHandle) =>
        throw new CoNdisStateException($"NdisMCmDeleteVc on {ndisVcHandle}: a stand-alone call manager calls NdisCoDeleteVc.");

    NdisStatus ILegacyCoCallControl.CoRequest(LegacyCoBinding ndisBindingHandle, CoAfHandle? ndisAfHandle, LegacyCoVc? ndisVcHandle, CoParty? ndisPartyHandle,
        NdisRequest ndisRequest)
    {
        RequireOwn(ndisBindingHandle);
        var oidRequest = TranslatedRequest.Translate(ndisRequest);
        var vc = ndisVcHandle is null ? null : Translated(ndisVcHandle).Runtime;
        var status = Ndis.CoOidRequest(Binding, ndisAfHandle, vc, ndisPartyHandle, oidRequest);
        if (status != NdisStatus.Pending)
            TranslatedRequest.Answer(oidRequest);
        return status;
    }

    NdisStatus ILegacyCoCallControl.MCmRequest(CoAfHandle ndisAfHandle, LegacyCoVc? ndisVcHandle, CoParty? ndisPartyHandle, NdisRequest ndisRequest) =>
        throw new CoNdisStateException($"NdisMCmRequest on {ndisAfHandle}: only a call manager integrated in a miniport makes it.");

    void ILegacyCoCallControl.MCoRequestComplete(NdisStatus status, LegacyCoBinding miniportAdapterHandle, NdisOidRequest request) =>
        throw new CoNdisStateException($"NdisMCoRequestComplete on {miniportAdapterHandle}: the miniport below this binding is an NDIS 6 one.");

    // ---- ICoClient: the runtime's call events for a 5.x client -------------------------------------------------

    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = null;
        var status = Ndis5.CoCreateVc(LegacyBinding, null, null, out var legacy);
        if (status != NdisStatus.Success)
            return status;
        var translated = (TranslatedVc)legacy!.MiniportVcContext!;
        if (protocolAfContext is LegacyClientAf af)
        {
            // ClCreateVcHandler: the 5.x client names its context for the incoming call's VC.
            status = af.Handlers.ProtocolCoCreateVc(af.ProtocolAfContext, legacy, out var clientContext);
            if (status != NdisStatus.Success)
            {
                Ndis5.CoDeleteVc(legacy);
                return status == NdisStatus.Pending ? NdisStatus.Failure : status;
            }
            legacy.AssignProtocolVcContext(clientContext);
            translated.Role = CallRole.Client;
            translated.ClientAf = af;
        }
        translated.Runtime = ndisVcHandle;
        Ndis5.CmActivateVc(legacy, null);
        protocolVcContext = translated;
        IncomingVcCreated?.Invoke(legacy);
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        var status = vc.ClientAf?.Handlers.ProtocolCoDeleteVc(vc.Legacy.ProtocolVcContext) ?? NdisStatus.Success;
        var torn = TearDownClientSide(vc);
        return status != NdisStatus.Success ? status : torn;
    }

    public void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle)
    {
        if (protocolAfContext is not LegacyClientAf af)
            return;
        if (status != NdisStatus.Success)
        {
            lock (_callSync)
                _clientAfs.Remove(ndisAfHandle);
        }
        af.Handlers.ProtocolClOpenAfComplete(status, af.ProtocolAfContext, status == NdisStatus.Success ? ndisAfHandle : null);
    }

    public void ProtocolClCloseAfComplete(NdisStatus status, object? protocolAfContext)
    {
        if (protocolAfContext is LegacyClientAf af)
            af.Handlers.ProtocolClCloseAfComplete(status, af.ProtocolAfContext);
    }

    public void ProtocolClRegisterSapComplete(NdisStatus status, object? protocolSapContext, CoSap sap, CoSapHandle ndisSapHandle)
    {
        if (protocolSapContext is LegacyClientSap legacySap)
            legacySap.Af.Handlers.ProtocolClRegisterSapComplete(status, legacySap.ProtocolSapContext, sap, ndisSapHandle);
    }

    public void ProtocolClDeregisterSapComplete(NdisStatus status, object? protocolSapContext)
    {
        if (protocolSapContext is LegacyClientSap legacySap)
            legacySap.Af.Handlers.ProtocolClDeregisterSapComplete(status, legacySap.ProtocolSapContext);
    }

    public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        vc.ClientAf?.Handlers.ProtocolClMakeCallComplete(status, vc.Legacy.ProtocolVcContext, ndisPartyHandle, callParameters);
    }

    public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        vc.ClientAf?.Handlers.ProtocolClCloseCallComplete(status, vc.Legacy.ProtocolVcContext, LegacyClientParty.Unwrap(protocolPartyContext));
    }

    public void ProtocolClModifyCallQoSComplete(NdisStatus status, object? protocolVcContext, CoCallParameters callParameters)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        vc.ClientAf?.Handlers.ProtocolClModifyCallQoSComplete(status, vc.Legacy.ProtocolVcContext, callParameters);
    }

    public void ProtocolClAddPartyComplete(NdisStatus status, object? protocolPartyContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
        if (protocolPartyContext is LegacyClientParty party)
            party.Vc.ClientAf?.Handlers.ProtocolClAddPartyComplete(status, party.ProtocolPartyContext, ndisPartyHandle, callParameters);
    }

    public void ProtocolClDropPartyComplete(NdisStatus status, object? protocolPartyContext)
    {
        if (protocolPartyContext is LegacyClientParty party)
            party.Vc.ClientAf?.Handlers.ProtocolClDropPartyComplete(status, party.ProtocolPartyContext);
    }

    /// <summary>
    /// ProtocolClIncomingCall: the 5.x client that registered the SAP answers (ClIncomingCallHandler); a client that
    /// opened its AF with the NDIS 6 call has no handler, and the call is accepted for it.
    /// </summary>
    public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        return protocolSapContext is LegacyClientSap sap
            ? sap.Af.Handlers.ProtocolClIncomingCall(sap.ProtocolSapContext, vc.Legacy.ProtocolVcContext, callParameters)
            : NdisStatus.Success;
    }

    public void ProtocolClIncomingCallQoSChange(object? protocolVcContext, CoCallParameters callParameters)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        vc.ClientAf?.Handlers.ProtocolClIncomingCallQoSChange(vc.Legacy.ProtocolVcContext, callParameters);
    }

    public void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, ReadOnlyMemory<byte> closeData)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        vc.ClientAf?.Handlers.ProtocolClIncomingCloseCall(closeStatus, vc.Legacy.ProtocolVcContext, ArrayOf(closeData), (uint)closeData.Length);
    }

    public void ProtocolClIncomingDropParty(NdisStatus dropStatus, object? protocolPartyContext, ReadOnlyMemory<byte> closeData)
    {
        if (protocolPartyContext is LegacyClientParty party)
            party.Vc.ClientAf?.Handlers.ProtocolClIncomingDropParty(dropStatus, party.ProtocolPartyContext, ArrayOf(closeData), (uint)closeData.Length);
    }

    public void ProtocolClCallConnected(object? protocolVcContext)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        vc.ClientAf?.Handlers.ProtocolClCallConnected(vc.Legacy.ProtocolVcContext);
    }

    /// <summary>ProtocolCoOidRequest (client side): a call manager's request reaches the 5.x client's ClRequestHandler as an NDIS_REQUEST.</summary>
    public NdisStatus ProtocolCoOidRequest(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest)
    {
        if (protocolAfContext is not LegacyClientAf af)
            return NdisStatus.NotSupported;
        var vc = protocolVcContext as TranslatedVc;
        return TranslatedRequest.Forward(oidRequest, af.Handle, vc?.Runtime, integrated: false, request =>
            af.Handlers.ProtocolCoRequest(af.ProtocolAfContext, vc?.Legacy.ProtocolVcContext, LegacyClientParty.Unwrap(protocolPartyContext), request));
    }

    /// <summary>ProtocolCoOidRequestComplete (client side): a request the 5.x client made on its AF pended and is done.</summary>
    public void ProtocolCoOidRequestComplete(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest, NdisStatus status)
    {
        if (TranslatedRequest.Answer(oidRequest) is not { } request)
            return;
        var vc = protocolVcContext as TranslatedVc;
        if (protocolAfContext is LegacyClientAf af)
            af.Handlers.ProtocolCoRequestComplete(status, af.ProtocolAfContext, vc?.Legacy.ProtocolVcContext, LegacyClientParty.Unwrap(protocolPartyContext), request);
    }

    /// <summary>ProtocolCoOidRequestComplete (miniport request): a request the 5.x driver sent to the miniport pended and is done.</summary>
    public void ProtocolCoOidRequestComplete(object? protocolVcContext, NdisOidRequest oidRequest, NdisStatus status)
    {
        if (TranslatedRequest.Answer(oidRequest) is not { } request)
            return;
        var vc = protocolVcContext as TranslatedVc;
        (LegacyBinding.Client as ILegacyCoCallClient)?.ProtocolCoRequestComplete(status, null, vc?.Legacy.ProtocolVcContext, null, request);
    }

    // ---- ICoCallManager: the runtime asks a 5.x call manager bound through this adapter --------------------------

    NdisStatus ICoCallManager.ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = null;
        var callManager = RequireCallManager();
        var legacy = LegacyBinding.CreateVcHandle(null, null);
        var translated = new TranslatedVc(legacy) { Runtime = ndisVcHandle, Role = CallRole.CallManager };
        legacy.AssignMiniportVcContext(translated);
        var status = callManager.ProtocolCoCreateVc(protocolAfContext, legacy, out var cmContext);
        if (status != NdisStatus.Success)
        {
            LegacyBinding.DeleteVcHandle(legacy);
            return status == NdisStatus.Pending ? NdisStatus.Failure : status;
        }
        legacy.AssignProtocolVcContext(cmContext);
        TrackCallManagerVc(translated, add: true);
        protocolVcContext = translated;
        return NdisStatus.Success;
    }

    NdisStatus ICoCallManager.ProtocolCoDeleteVc(object? protocolVcContext)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        vc.Detached = true;
        TrackCallManagerVc(vc, add: false);
        var status = RequireCallManager().ProtocolCoDeleteVc(vc.Legacy.ProtocolVcContext);
        LegacyBinding.DeleteVcHandle(vc.Legacy);
        return status;
    }

    NdisStatus ICoCallManager.ProtocolCmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext) =>
        RequireCallManager().ProtocolCmOpenAf(LegacyBinding.ProtocolBindingContext, addressFamily, ndisAfHandle, out callMgrAfContext);

    NdisStatus ICoCallManager.ProtocolCmCloseAf(object? callMgrAfContext) => RequireCallManager().ProtocolCmCloseAf(callMgrAfContext);

    NdisStatus ICoCallManager.ProtocolCmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext) =>
        RequireCallManager().ProtocolCmRegisterSap(callMgrAfContext, sap, ndisSapHandle, out callMgrSapContext);

    NdisStatus ICoCallManager.ProtocolCmDeregisterSap(object? callMgrSapContext) => RequireCallManager().ProtocolCmDeregisterSap(callMgrSapContext);

    NdisStatus ICoCallManager.ProtocolCmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext) =>
        RequireCallManager().ProtocolCmMakeCall(CmContextOf(callMgrVcContext), callParameters, ndisPartyHandle, out callMgrPartyContext);

    NdisStatus ICoCallManager.ProtocolCmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, ReadOnlyMemory<byte> closeData) =>
        RequireCallManager().ProtocolCmCloseCall(CmContextOf(callMgrVcContext), callMgrPartyContext, ArrayOf(closeData), (uint)closeData.Length);

    NdisStatus ICoCallManager.ProtocolCmModifyCallQoS(object? callMgrVcContext, CoCallParameters callParameters) =>
        RequireCallManager().ProtocolCmModifyCallQoS(CmContextOf(callMgrVcContext), callParameters);

    void ICoCallManager.ProtocolCmIncomingCallComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters) =>
        RequireCallManager().ProtocolCmIncomingCallComplete(status, CmContextOf(callMgrVcContext), callParameters);

    NdisStatus ICoCallManager.ProtocolCmAddParty(object? callMgrVcContext, CoCallParameters callParameters, CoParty ndisPartyHandle, out object? callMgrPartyContext) =>
        RequireCallManager().ProtocolCmAddParty(CmContextOf(callMgrVcContext), callParameters, ndisPartyHandle, out callMgrPartyContext);

    NdisStatus ICoCallManager.ProtocolCmDropParty(object? callMgrPartyContext, ReadOnlyMemory<byte> closeData) =>
        RequireCallManager().ProtocolCmDropParty(callMgrPartyContext, ArrayOf(closeData), (uint)closeData.Length);

    void ICoCallManager.ProtocolCmActivateVcComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters) =>
        RequireCallManager().ProtocolCmActivateVcComplete(status, CmContextOf(callMgrVcContext), callParameters);

    void ICoCallManager.ProtocolCmDeactivateVcComplete(NdisStatus status, object? callMgrVcContext) =>
        RequireCallManager().ProtocolCmDeactivateVcComplete(status, CmContextOf(callMgrVcContext));

    NdisStatus ICoCallManager.ProtocolCoOidRequest(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest)
    {
        var callManager = RequireCallManager();
        var vc = protocolVcContext as TranslatedVc;
        return TranslatedRequest.Forward(oidRequest, oidRequest.AddressFamily, vc?.Runtime, integrated: false, request =>
            callManager.ProtocolCoRequest(protocolAfContext, vc?.Legacy.ProtocolVcContext, protocolPartyContext, request));
    }

    void ICoCallManager.ProtocolCoOidRequestComplete(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest,
        NdisStatus status)
    {
        if (TranslatedRequest.Answer(oidRequest) is not { } request)
            return;
        var vc = protocolVcContext as TranslatedVc;
        RequireCallManager().ProtocolCoRequestComplete(status, protocolAfContext, vc?.Legacy.ProtocolVcContext, protocolPartyContext, request);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private void RequireOwn(LegacyCoBinding binding)
    {
        if (!ReferenceEquals(binding, LegacyBinding))
            throw new ArgumentException($"{binding} is not this adapter's binding ({LegacyBinding}).", nameof(binding));
    }

    private ILegacyCoCallManager RequireCallManager() =>
        Volatile.Read(ref _callManager) ?? throw new CoNdisStateException($"{LegacyBinding} registered no address family as a call manager (NdisCmRegisterAddressFamily).");

    private LegacyClientAf ClientAfOf(CoAfHandle af)
    {
        lock (_callSync)
        {
            return _clientAfs.TryGetValue(af, out var legacy)
                ? legacy
                : throw new CoNdisStateException($"{af} was not opened with NdisClOpenAddressFamily on {LegacyBinding}.");
        }
    }

    private static TranslatedVc Translated(LegacyCoVc vc) =>
        vc.MiniportVcContext is TranslatedVc { Detached: false } translated && translated.Runtime is not null
            ? translated
            : throw new CoNdisStateException($"{vc} has no runtime VC: it was created without an AF handle, or deleted.");

    private static object? CmContextOf(object? callMgrVcContext) => ((TranslatedVc)callMgrVcContext!).Legacy.ProtocolVcContext;

    /// <summary>The close data as the byte array NDIS 5 hands on (the caller's own array when it is one, no copy).</summary>
    private static byte[]? ArrayOf(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
            return null;
        return MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Array is { } array ? array : data.ToArray();
    }
}
