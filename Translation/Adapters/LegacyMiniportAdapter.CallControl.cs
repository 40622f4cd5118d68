using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Translation.Adapters;

// The control plane of a 5.x miniport with an integrated call manager (an MCM) under the runtime: its NdisMCm* calls
// (ILegacyCoCallControl, reached from Ndis5) become the runtime's MCm forms, and the runtime reaches its
// NDIS_CALL_MANAGER_CHARACTERISTICS handlers through this adapter as the adapter's ICoCallManager. As NDIS 5 does for
// an MCM, a client's NdisCoCreateVc calls only the MCM's ProtocolCoCreateVc, whose context is the VC's
// MiniportVcContext from then on; NdisMCmActivateVc opens the 5.x data path without MiniportCoActivateVc.
public sealed partial class LegacyMiniportAdapter : ICoCallManager, ILegacyCoCallControl
{
    private readonly object _callSync = new();
    private readonly Dictionary<NdisOidRequest, VirtualConnection?> _pendedRequests = [];
    private ILegacyCoCallManager? _callManager;

    /// <summary>The runtime VC behind a 5.x VC of this adapter (one the runtime created on the miniport, or one of its MCM's).</summary>
    public static VirtualConnection RuntimeVcOf(LegacyCoVc vc)
    {
        ArgumentNullException.ThrowIfNull(vc);
        return ((TranslatedVc)vc.ProtocolVcContext!).Runtime;
    }

    // ---- ILegacyCoCallControl: the MCM's NDIS 5 calls ------------------------------------------------------------

    VirtualConnection? ILegacyCoCallControl.RuntimeVcOf(LegacyCoVc ndisVcHandle) =>
        ndisVcHandle.ProtocolVcContext is TranslatedVc vc ? (VirtualConnection?)vc.Runtime : null;

    NdisStatus ILegacyCoCallControl.MCmRegisterAddressFamily(LegacyCoBinding miniportAdapterHandle, CoAddressFamily addressFamily,
        NdisCallManagerCharacteristics cmCharacteristics)
    {
        RequireOwn(miniportAdapterHandle);
        var adapter = Adapter ?? throw new CoNdisStateException($"NdisMCmRegisterAddressFamily on {LegacyBinding} before the adapter was registered with a runtime.");
        lock (_callSync)
        {
            if (_callManager is not null && !ReferenceEquals(_callManager, cmCharacteristics.Handlers))
                throw new NotSupportedException($"{LegacyBinding} already registered an AF with other call-manager handlers; the model keeps one call manager per adapter.");
            _callManager = cmCharacteristics.Handlers;
        }
        return Ndis.MCmRegisterAddressFamilyEx(adapter, addressFamily);
    }

    bool ILegacyCoCallControl.TryCmActivateVc(LegacyCoVc ndisVcHandle, object? callParameters, out NdisStatus status)
    {
        status = NdisStatus.Success;
        if (ndisVcHandle.ProtocolVcContext is not TranslatedVc { Role: CallRole.IntegratedCallManager } vc)
            return false;
        status = Ndis.MCmActivateVc(vc.Runtime, callParameters as CoCallParameters
            ?? throw new ArgumentException("NdisMCmActivateVc needs CO_CALL_PARAMETERS (a CoCallParameters).", nameof(callParameters)));
        if (status == NdisStatus.Success)
            ndisVcHandle.MarkActivatedByCallManager();
        return true;
    }

    bool ILegacyCoCallControl.TryCmDeactivateVc(LegacyCoVc ndisVcHandle, out NdisStatus status)
    {
        status = NdisStatus.Success;
        if (ndisVcHandle.ProtocolVcContext is not TranslatedVc { Role: CallRole.IntegratedCallManager } vc)
            return false;
        status = Ndis.MCmDeactivateVc(vc.Runtime);
        // The 5.x data path closes at once; the runtime holds the deactivation's end until the VC's transfers drain.
        if (status == NdisStatus.Success || status == NdisStatus.Pending)
            ndisVcHandle.MarkDeactivatedByCallManager();
        return true;
    }

    NdisStatus ILegacyCoCallControl.MCmCreateVc(LegacyCoBinding miniportAdapterHandle, CoAfHandle ndisAfHandle, object? miniportVcContext, out LegacyCoVc? ndisVcHandle)
    {
        RequireOwn(miniportAdapterHandle);
        ndisVcHandle = null;
        var adapter = Adapter ?? throw new CoNdisStateException($"NdisMCmCreateVc on {LegacyBinding} before the adapter was registered with a runtime.");
        var translated = new TranslatedVc(legacy: null!) { Role = CallRole.IntegratedCallManager };
        var legacy = LegacyBinding.CreateVcHandle(translated, miniportVcContext);
        translated.Legacy = legacy;
        var status = Ndis.MCmCreateVc(adapter, ndisAfHandle, translated, out var runtimeVc);
        if (status != NdisStatus.Success)
        {
            LegacyBinding.DeleteVcHandle(legacy);
            return status;
        }
        translated.Runtime = runtimeVc!;
        ndisVcHandle = legacy;
        return NdisStatus.Success;
    }

    NdisStatus ILegacyCoCallControl.MCmDeleteVc(LegacyCoVc ndisVcHandle)
    {
        var vc = ndisVcHandle.ProtocolVcContext as TranslatedVc
            ?? throw new CoNdisStateException($"NdisMCmDeleteVc on {ndisVcHandle}, which has no runtime VC.");
        var status = Ndis.MCmDeleteVc(vc.Runtime);
        if (status != NdisStatus.Success)
            return status;
        vc.Detached = true;
        return LegacyBinding.DeleteVcHandle(ndisVcHandle);
    }

    NdisStatus ILegacyCoCallControl.MCmRequest(CoAfHandle ndisAfHandle, LegacyCoVc? ndisVcHandle, CoParty? ndisPartyHandle, NdisRequest ndisRequest)
    {
        var oidRequest = TranslatedRequest.Translate(ndisRequest);
        var vc = (ndisVcHandle?.ProtocolVcContext as TranslatedVc)?.Runtime;
        var status = Ndis.MCmOidRequest(ndisAfHandle, vc, ndisPartyHandle, oidRequest);
        if (status != NdisStatus.Pending)
            TranslatedRequest.Answer(oidRequest);
        return status;
    }

    void ILegacyCoCallControl.MCoRequestComplete(NdisStatus status, LegacyCoBinding miniportAdapterHandle, NdisOidRequest request)
    {
        RequireOwn(miniportAdapterHandle);
        VirtualConnection? vc;
        lock (_callSync)
        {
            if (!_pendedRequests.Remove(request, out vc))
                throw new CoNdisStateException($"NdisMCoRequestComplete for a request {LegacyBinding}'s MiniportCoRequest did not pend.");
        }
        Ndis.MCoOidRequestComplete(Adapter!, vc, request, status);
    }

    NdisStatus ILegacyCoCallControl.ClOpenAddressFamily(LegacyCoBinding ndisBindingHandle, CoAddressFamily addressFamily, object? protocolAfContext,
        NdisClientCharacteristics clCharacteristics, out CoAfHandle? ndisAfHandle) => throw NotAProtocol("NdisClOpenAddressFamily");

    NdisStatus ILegacyCoCallControl.ClRegisterSap(CoAfHandle ndisAfHandle, object? protocolSapContext, CoSap sap, out CoSapHandle? ndisSapHandle) =>
        throw NotAProtocol("NdisClRegisterSap");

    NdisStatus ILegacyCoCallControl.CoCreateVc(LegacyCoBinding ndisBindingHandle, CoAfHandle ndisAfHandle, object? protocolVcContext, out LegacyCoVc? ndisVcHandle) =>
        throw NotAProtocol("NdisCoCreateVc with an AF handle (an MCM calls NdisMCmCreateVc)");

    bool ILegacyCoCallControl.TryCoDeleteVc(LegacyCoVc ndisVcHandle, out NdisStatus status)
    {
        status = NdisStatus.Success;
        return false; // VCs the runtime created on this miniport are deleted through MiniportCoDeleteVc; an MCM's own go through NdisMCmDeleteVc
    }

    NdisStatus ILegacyCoCallControl.ClMakeCall(LegacyCoVc ndisVcHandle, CoCallParameters callParameters, object? protocolPartyContext, out CoParty? ndisPartyHandle) =>
        throw NotAProtocol("NdisClMakeCall");

    NdisStatus ILegacyCoCallControl.ClAddParty(LegacyCoVc ndisVcHandle, object? protocolPartyContext, CoCallParameters callParameters, out CoParty? ndisPartyHandle) =>
        throw NotAProtocol("NdisClAddParty");

    NdisStatus ILegacyCoCallControl.CmRegisterAddressFamily(LegacyCoBinding ndisBindingHandle, CoAddressFamily addressFamily, NdisCallManagerCharacteristics cmCharacteristics) =>
        throw NotAProtocol("NdisCmRegisterAddressFamily (an MCM calls NdisMCmRegisterAddressFamily)");

    NdisStatus ILegacyCoCallControl.CoRequest(LegacyCoBinding ndisBindingHandle, CoAfHandle? ndisAfHandle, LegacyCoVc? ndisVcHandle, CoParty? ndisPartyHandle,
        NdisRequest ndisRequest) =>
        throw NotAProtocol("NdisCoRequest (an MCM calls NdisMCmRequest)");

    // ---- ICoCallManager: the runtime asks the MCM ----------------------------------------------------------------

    NdisStatus ICoCallManager.ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = null;
        var callManager = RequireCallManager();
        var translated = new TranslatedVc(ndisVcHandle) { Role = CallRole.IntegratedCallManager };
        var legacy = LegacyBinding.CreateVcHandle(translated, null);
        translated.Legacy = legacy;
        // CmCreateVcHandler: no MiniportCoCreateVc for an MCM's VC; the context it returns is the MiniportVcContext.
        var status = callManager.ProtocolCoCreateVc(protocolAfContext, legacy, out var context);
        if (status != NdisStatus.Success)
        {
            LegacyBinding.DeleteVcHandle(legacy);
            return status == NdisStatus.Pending ? NdisStatus.Failure : status;
        }
        legacy.AssignMiniportVcContext(context);
        protocolVcContext = translated;
        return NdisStatus.Success;
    }

    NdisStatus ICoCallManager.ProtocolCoDeleteVc(object? protocolVcContext)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        vc.Detached = true;
        var status = RequireCallManager().ProtocolCoDeleteVc(vc.Legacy.MiniportVcContext);
        LegacyBinding.DeleteVcHandle(vc.Legacy);
        return status;
    }

    NdisStatus ICoCallManager.ProtocolCmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext) =>
        RequireCallManager().ProtocolCmOpenAf(LegacyBinding.MiniportAdapterContext, addressFamily, ndisAfHandle, out callMgrAfContext);

    NdisStatus ICoCallManager.ProtocolCmCloseAf(object? callMgrAfContext) => RequireCallManager().ProtocolCmCloseAf(callMgrAfContext);

    NdisStatus ICoCallManager.ProtocolCmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext) =>
        RequireCallManager().ProtocolCmRegisterSap(callMgrAfContext, sap, ndisSapHandle, out callMgrSapContext);

    NdisStatus ICoCallManager.ProtocolCmDeregisterSap(object? callMgrSapContext) => RequireCallManager().ProtocolCmDeregisterSap(callMgrSapContext);

    NdisStatus ICoCallManager.ProtocolCmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext) =>
        RequireCallManager().ProtocolCmMakeCall(McmContextOf(callMgrVcContext), callParameters, ndisPartyHandle, out callMgrPartyContext);

    NdisStatus ICoCallManager.ProtocolCmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, ReadOnlyMemory<byte> closeData) =>
        RequireCallManager().ProtocolCmCloseCall(McmContextOf(callMgrVcContext), callMgrPartyContext, closeData.IsEmpty ? null : closeData.ToArray(), (uint)closeData.Length);

    NdisStatus ICoCallManager.ProtocolCmModifyCallQoS(object? callMgrVcContext, CoCallParameters callParameters) =>
        RequireCallManager().ProtocolCmModifyCallQoS(McmContextOf(callMgrVcContext), callParameters);

    void ICoCallManager.ProtocolCmIncomingCallComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters) =>
        RequireCallManager().ProtocolCmIncomingCallComplete(status, McmContextOf(callMgrVcContext), callParameters);

    NdisStatus ICoCallManager.ProtocolCmAddParty(object? callMgrVcContext, CoCallParameters callParameters, CoParty ndisPartyHandle, out object? callMgrPartyContext) =>
        RequireCallManager().ProtocolCmAddParty(McmContextOf(callMgrVcContext), callParameters, ndisPartyHandle, out callMgrPartyContext);

    NdisStatus ICoCallManager.ProtocolCmDropParty(object? callMgrPartyContext, ReadOnlyMemory<byte> closeData) =>
        RequireCallManager().ProtocolCmDropParty(callMgrPartyContext, closeData.IsEmpty ? null : closeData.ToArray(), (uint)closeData.Length);

    void ICoCallManager.ProtocolCmActivateVcComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters) =>
        RequireCallManager().ProtocolCmActivateVcComplete(status, McmContextOf(callMgrVcContext), callParameters);

    void ICoCallManager.ProtocolCmDeactivateVcComplete(NdisStatus status, object? callMgrVcContext) =>
        RequireCallManager().ProtocolCmDeactivateVcComplete(status, McmContextOf(callMgrVcContext));

    NdisStatus ICoCallManager.ProtocolCoOidRequest(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest)
    {
        var callManager = RequireCallManager();
        var vc = protocolVcContext as TranslatedVc;
        return TranslatedRequest.Forward(oidRequest, oidRequest.AddressFamily, vc?.Runtime, integrated: true, request =>
            callManager.ProtocolCoRequest(protocolAfContext, vc?.Legacy.MiniportVcContext, protocolPartyContext, request));
    }

    void ICoCallManager.ProtocolCoOidRequestComplete(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest,
        NdisStatus status)
    {
        if (TranslatedRequest.Answer(oidRequest) is not { } request)
            return;
        var vc = protocolVcContext as TranslatedVc;
        RequireCallManager().ProtocolCoRequestComplete(status, protocolAfContext, vc?.Legacy.MiniportVcContext, protocolPartyContext, request);
    }

    /// <summary>
    /// MiniportCoOidRequest → MiniportCoRequest: the request is remembered with its VC before the 5.x miniport sees it,
    /// so a completion racing the return (NdisMCoRequestComplete) finds it; forgotten again unless it pended.
    /// </summary>
    private NdisStatus ForwardOidRequest(TranslatedVc? vc, NdisOidRequest request)
    {
        lock (_callSync)
            _pendedRequests[request] = vc?.Runtime;
        var status = Ndis5.CoRequest(LegacyBinding, null, vc?.Legacy, null, request);
        if (status != NdisStatus.Pending)
        {
            lock (_callSync)
                _pendedRequests.Remove(request);
        }
        return status;
    }

    private void RequireOwn(LegacyCoBinding binding)
    {
        if (!ReferenceEquals(binding, LegacyBinding))
            throw new ArgumentException($"{binding} is not this adapter's binding ({LegacyBinding}).", nameof(binding));
    }

    private ILegacyCoCallManager RequireCallManager() =>
        Volatile.Read(ref _callManager) ?? throw new CoNdisStateException($"{LegacyBinding}'s miniport registered no address family (NdisMCmRegisterAddressFamily).");

    private static object? McmContextOf(object? callMgrVcContext) => ((TranslatedVc)callMgrVcContext!).Legacy.MiniportVcContext;

    private CoNdisStateException NotAProtocol(string ddi) =>
        new($"{ddi} on {LegacyBinding}: the 5.x driver here is a miniport, and the call belongs to a protocol's binding.");
}
