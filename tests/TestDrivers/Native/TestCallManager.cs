using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers;

/// <summary>
/// A stand-alone NDIS 6 call manager for the tests, written against the <see cref="Ndis"/> facade. It
/// "signals" instantly: a make-call activates the VC and completes; a close deactivates (which drains the VC)
/// and completes after the deactivation; it can offer incoming calls and close calls from the remote side.
/// Activations and deactivations the miniport pends are finished in the Cm…Complete handlers, as a real CM does.
/// </summary>
public sealed class TestCallManager : ICoCallManager
{
    public static readonly CoAddressFamily AddressFamily = new(CoAddressFamily.Q2931, 3, 1);

    private readonly object _sync = new();
    private CoAfHandle? _clientAf;
    private CoSapHandle? _sap;

    public CoBinding Binding { get; private set; } = null!;

    /// <summary>Pend make-call and close-call and complete them from another thread.</summary>
    public bool PendCalls { get; set; }

    public List<string> Events { get; } = [];

    /// <summary>
    /// What the call manager puts in the media-specific part before it activates a VC (a device's link channels, as an
    /// ATM call manager puts the VPI/VCI there); null activates with the call's own parameters.
    /// </summary>
    public Func<VirtualConnection, CoCallParameters, CoCallParameters>? MediaParameters { get; set; }

    /// <summary>Told about a VC just before the call manager deactivates it for a close (NdisCmDeactivateVc).</summary>
    public Action<VirtualConnection>? DeactivatingVc { get; set; }

    public CoBinding Bind(CoNdisRuntime runtime, CoMiniportAdapter adapter)
    {
        Binding = runtime.OpenAdapter(adapter, "test call manager", this, protocolBindingContext: this);
        var status = Ndis.CmRegisterAddressFamilyEx(Binding, AddressFamily);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"CmRegisterAddressFamilyEx: {status}");
        return Binding;
    }

    public NdisStatus ProtocolCmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext)
    {
        _clientAf = ndisAfHandle;
        callMgrAfContext = ndisAfHandle;
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext)
    {
        _sap = ndisSapHandle;
        callMgrSapContext = ndisSapHandle;
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = new CmVc(ndisVcHandle);
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext) => NdisStatus.Success;

    public NdisStatus ProtocolCmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext)
    {
        var vc = (CmVc)callMgrVcContext!;
        callMgrPartyContext = ndisPartyHandle is null ? null : new object();
        vc.Party = ndisPartyHandle;
        vc.PartyContext = callMgrPartyContext;
        vc.Work = CmWork.MakeCall;
        var status = Ndis.CmActivateVc(vc.Vc, Media(vc.Vc, callParameters));
        if (status == NdisStatus.Pending)
            return NdisStatus.Pending; // finished in ProtocolCmActivateVcComplete
        if (status != NdisStatus.Success)
            return status;
        if (!PendCalls)
            return NdisStatus.Success;
        ThreadPool.QueueUserWorkItem(_ => Ndis.CmMakeCallComplete(NdisStatus.Success, vc.Vc, vc.Party, vc.PartyContext, callParameters));
        return NdisStatus.Pending;
    }

    public void ProtocolCmActivateVcComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters)
    {
        var vc = (CmVc)callMgrVcContext!;
        Record($"ActivateVcComplete {status}");
        if (vc.Work == CmWork.MakeCall)
            Ndis.CmMakeCallComplete(status, vc.Vc, vc.Party, vc.PartyContext, callParameters);
        else if (vc.Work == CmWork.Incoming && status == NdisStatus.Success)
            Dispatch(vc, callParameters);
    }

    public NdisStatus ProtocolCmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, ReadOnlyMemory<byte> closeData)
    {
        var vc = (CmVc)callMgrVcContext!;
        vc.Work = CmWork.Close;
        if (vc.Vc.Activation == ActivationState.Inactive)
            return NdisStatus.Success;
        DeactivatingVc?.Invoke(vc.Vc);
        var status = Ndis.CmDeactivateVc(vc.Vc);
        if (status == NdisStatus.Pending)
            return NdisStatus.Pending; // finished in ProtocolCmDeactivateVcComplete
        if (!PendCalls)
            return status;
        ThreadPool.QueueUserWorkItem(_ => Ndis.CmCloseCallComplete(status, vc.Vc, null));
        return NdisStatus.Pending;
    }

    public void ProtocolCmDeactivateVcComplete(NdisStatus status, object? callMgrVcContext)
    {
        var vc = (CmVc)callMgrVcContext!;
        Record($"DeactivateVcComplete {status}");
        if (vc.Work == CmWork.Close)
            Ndis.CmCloseCallComplete(status, vc.Vc, null);
    }

    public void ProtocolCmIncomingCallComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters)
    {
        var vc = (CmVc)callMgrVcContext!;
        Record($"IncomingCallComplete {status}");
        if (status == NdisStatus.Success)
            Ndis.CmDispatchCallConnected(vc.Vc);
    }

    public NdisStatus ProtocolCmAddParty(object? callMgrVcContext, CoCallParameters callParameters, CoParty ndisPartyHandle, out object? callMgrPartyContext)
    {
        callMgrPartyContext = new object();
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCmDropParty(object? callMgrPartyContext, ReadOnlyMemory<byte> closeData) => NdisStatus.Success;

    public NdisStatus ProtocolCmModifyCallQoS(object? callMgrVcContext, CoCallParameters callParameters)
    {
        var vc = (CmVc)callMgrVcContext!;
        return Ndis.CmActivateVc(vc.Vc, Media(vc.Vc, callParameters)); // reactivation with the new parameters
    }

    /// <summary>
    /// The network offers a call: create a VC on the client's AF, activate it, dispatch it to the SAP and, once the
    /// client accepts, dispatch call-connected. Returns the VC.
    /// </summary>
    public VirtualConnection OfferIncomingCall(CoCallParameters callParameters)
    {
        var af = _clientAf ?? throw new InvalidOperationException("no client opened the AF");
        var context = new CmVc(null!) { Work = CmWork.Incoming };
        var status = Ndis.CoCreateVc(Binding, af, context, out var vc);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoCreateVc: {status}");
        context.Vc = vc!;
        status = Ndis.CmActivateVc(vc!, Media(vc!, callParameters));
        if (status == NdisStatus.Success)
            Dispatch(context, callParameters);
        else if (status != NdisStatus.Pending)
            throw new InvalidOperationException($"NdisCmActivateVc: {status}");
        return vc!;
    }

    /// <summary>The remote side closes the call on <paramref name="vc"/>.</summary>
    public static void RemoteClose(VirtualConnection vc) => Ndis.CmDispatchIncomingCloseCall(NdisStatus.Success, vc, ReadOnlyMemory<byte>.Empty);

    private CoCallParameters Media(VirtualConnection vc, CoCallParameters callParameters) =>
        MediaParameters is { } media ? media(vc, callParameters) : callParameters;

    private void Dispatch(CmVc vc, CoCallParameters callParameters)
    {
        var status = Ndis.CmDispatchIncomingCall(_sap ?? throw new InvalidOperationException("no SAP registered"), vc.Vc, callParameters);
        Record($"DispatchIncomingCall {status}");
        if (status == NdisStatus.Success)
            Ndis.CmDispatchCallConnected(vc.Vc);
    }

    private void Record(string text)
    {
        lock (_sync)
            Events.Add(text);
    }

    private enum CmWork
    {
        None,
        MakeCall,
        Incoming,
        Close,
    }

    private sealed class CmVc(VirtualConnection vc)
    {
        public VirtualConnection Vc { get; set; } = vc;

        public CmWork Work { get; set; }

        public CoParty? Party { get; set; }

        public object? PartyContext { get; set; }
    }
}
