using CoNdis.LegacyPacket.Samples;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers.Translated.CallControl;

/// <summary>
/// An NDIS 6 stand-alone call manager for the call-control suite, written against <see cref="Ndis"/>, that behaves as
/// the ported 5.x sample (<see cref="LegacyPointToPointCallManager"/>) does: the far end answers at once; make-call
/// activates and completes, close deactivates and completes, QoS changes reactivate, leaves are accepted, the
/// calls-connected OID is answered; with <see cref="PendCalls"/> every answer pends and completes from another thread.
/// </summary>
public sealed class NativeCallManager : ICoCallManager, ICallManager
{
    private readonly object _sync = new();
    private readonly List<string> _events = [];
    private CoAfHandle? _af;
    private CoSapHandle? _sap;
    private uint _callsConnected;

    public CoBinding Binding { get; private set; } = null!;

    public bool PendCalls { get; set; }

    public uint CallsConnected => Volatile.Read(ref _callsConnected);

    public uint LastRequestAnswer { get; private set; }

    public IReadOnlyList<string> Events
    {
        get { lock (_sync) return [.. _events]; }
    }

    public void Bind(CoNdisRuntime runtime, CoMiniportAdapter adapter)
    {
        Binding = runtime.OpenAdapter(adapter, "native call manager", this, protocolBindingContext: this);
        var status = Ndis.CmRegisterAddressFamilyEx(Binding, LegacyPointToPointCallManager.AddressFamily);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCmRegisterAddressFamilyEx: {status}");
    }

    public NdisStatus ProtocolCmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext)
    {
        _af = ndisAfHandle;
        callMgrAfContext = ndisAfHandle;
        Record("OpenAf");
        if (!PendCalls)
            return NdisStatus.Success;
        Later(() => Ndis.CmOpenAddressFamilyComplete(NdisStatus.Success, ndisAfHandle, ndisAfHandle));
        return NdisStatus.Pending;
    }

    public NdisStatus ProtocolCmCloseAf(object? callMgrAfContext)
    {
        Record("CloseAf");
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext)
    {
        _sap = ndisSapHandle;
        callMgrSapContext = ndisSapHandle;
        Record("RegisterSap");
        if (!PendCalls)
            return NdisStatus.Success;
        Later(() => Ndis.CmRegisterSapComplete(NdisStatus.Success, ndisSapHandle, ndisSapHandle));
        return NdisStatus.Pending;
    }

    public NdisStatus ProtocolCmDeregisterSap(object? callMgrSapContext)
    {
        Record("DeregisterSap");
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = new CmVc(ndisVcHandle);
        Record("CreateVc");
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
    {
        Record("DeleteVc");
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext)
    {
        var vc = (CmVc)callMgrVcContext!;
        callMgrPartyContext = ndisPartyHandle is null ? null : new object();
        vc.Party = ndisPartyHandle;
        vc.PartyContext = callMgrPartyContext;
        vc.Work = Work.MakeCall;
        Record("MakeCall");
        var status = Activate(vc, callParameters);
        if (status == NdisStatus.Pending)
            return NdisStatus.Pending;
        if (status != NdisStatus.Success)
            return status;
        Interlocked.Increment(ref _callsConnected);
        if (!PendCalls)
            return NdisStatus.Success;
        Later(() => Ndis.CmMakeCallComplete(NdisStatus.Success, vc.Vc, vc.Party, vc.PartyContext, callParameters));
        return NdisStatus.Pending;
    }

    public void ProtocolCmActivateVcComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters)
    {
        var vc = (CmVc)callMgrVcContext!;
        Record($"ActivateVcComplete {status}");
        switch (vc.Work)
        {
            case Work.MakeCall:
                if (status == NdisStatus.Success)
                    Interlocked.Increment(ref _callsConnected);
                vc.Work = Work.None;
                Ndis.CmMakeCallComplete(status, vc.Vc, vc.Party, vc.PartyContext, callParameters);
                break;
            case Work.Incoming when status == NdisStatus.Success:
                Dispatch(vc, callParameters);
                break;
            case Work.ModifyQoS:
                vc.Work = Work.None;
                Ndis.CmModifyCallQoSComplete(status, vc.Vc, callParameters);
                break;
        }
    }

    public NdisStatus ProtocolCmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, ReadOnlyMemory<byte> closeData)
    {
        var vc = (CmVc)callMgrVcContext!;
        vc.Work = Work.Close;
        Record("CloseCall");
        if (!vc.Activated)
            return NdisStatus.Success;
        vc.Activated = false;
        var status = Ndis.CmDeactivateVc(vc.Vc);
        if (status == NdisStatus.Pending)
            return NdisStatus.Pending;
        if (!PendCalls)
            return status;
        Later(() => Ndis.CmCloseCallComplete(status, vc.Vc, null));
        return NdisStatus.Pending;
    }

    public void ProtocolCmDeactivateVcComplete(NdisStatus status, object? callMgrVcContext)
    {
        var vc = (CmVc)callMgrVcContext!;
        Record($"DeactivateVcComplete {status}");
        if (vc.Work == Work.Close)
        {
            vc.Work = Work.None;
            Ndis.CmCloseCallComplete(status, vc.Vc, null);
        }
    }

    public void ProtocolCmIncomingCallComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters)
    {
        var vc = (CmVc)callMgrVcContext!;
        Record($"IncomingCallComplete {status}");
        if (status == NdisStatus.Success)
            Connected(vc);
        else
            TearDownRejected(vc);
    }

    public NdisStatus ProtocolCmModifyCallQoS(object? callMgrVcContext, CoCallParameters callParameters)
    {
        var vc = (CmVc)callMgrVcContext!;
        vc.Work = Work.ModifyQoS;
        Record("ModifyCallQoS");
        var status = Activate(vc, callParameters);
        if (status != NdisStatus.Pending)
            vc.Work = Work.None;
        return status;
    }

    public NdisStatus ProtocolCmAddParty(object? callMgrVcContext, CoCallParameters callParameters, CoParty ndisPartyHandle, out object? callMgrPartyContext)
    {
        callMgrPartyContext = new object();
        Record("AddParty");
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCmDropParty(object? callMgrPartyContext, ReadOnlyMemory<byte> closeData)
    {
        Record("DropParty");
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoOidRequest(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest)
    {
        Record($"Request 0x{oidRequest.Oid:X8}");
        if (oidRequest.Oid != LegacyPointToPointCallManager.OidCallsConnected)
            return NdisStatus.NotSupported;
        if (!PendCalls)
            return oidRequest.WriteUInt32(CallsConnected);
        var af = _af!;
        Later(() => Ndis.CoOidRequestComplete(af, null, null, oidRequest, oidRequest.WriteUInt32(CallsConnected)));
        return NdisStatus.Pending;
    }

    public void ProtocolCoOidRequestComplete(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest, NdisStatus status)
    {
        if (status == NdisStatus.Success)
            LastRequestAnswer = oidRequest.ReadUInt32();
        Record($"RequestComplete {status}");
    }

    // ---- the far end ------------------------------------------------------------------------------------------

    public VirtualConnection OfferIncomingCall(CoCallParameters callParameters)
    {
        var context = new CmVc(null!) { Work = Work.Incoming };
        var status = Ndis.CoCreateVc(Binding, _af, context, out var vc);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoCreateVc: {status}");
        context.Vc = vc!;
        status = Activate(context, callParameters);
        if (status == NdisStatus.Success)
            Dispatch(context, callParameters);
        else if (status != NdisStatus.Pending)
            throw new InvalidOperationException($"NdisCmActivateVc: {status}");
        return vc!;
    }

    public void RemoteClose(VirtualConnection vc)
    {
        Record("DispatchIncomingCloseCall");
        Ndis.CmDispatchIncomingCloseCall(NdisStatus.Success, vc, ReadOnlyMemory<byte>.Empty);
    }

    public NdisStatus RemoteQoSChange(VirtualConnection vc, CoCallParameters callParameters)
    {
        var status = Ndis.CmActivateVc(vc, callParameters);
        if (status != NdisStatus.Success)
            return status;
        Record("DispatchIncomingCallQoSChange");
        Ndis.CmDispatchIncomingCallQoSChange(vc, callParameters);
        return status;
    }

    public void RemoteDropParty(CoParty party)
    {
        Record("DispatchIncomingDropParty");
        Ndis.CmDispatchIncomingDropParty(NdisStatus.Success, party, ReadOnlyMemory<byte>.Empty);
    }

    public NdisStatus QueryClient(uint oid)
    {
        var request = new NdisOidRequest(NdisRequestType.QueryInformation, oid, 4);
        var status = Ndis.CoOidRequest(Binding, _af, null, null, request);
        if (status == NdisStatus.Success)
            LastRequestAnswer = request.ReadUInt32();
        return status;
    }

    public NdisStatus DeleteIncomingVc(VirtualConnection vc)
    {
        var status = Ndis.CoDeleteVc(vc);
        Record($"DeleteVc (incoming) {status}");
        return status;
    }

    private NdisStatus Activate(CmVc vc, CoCallParameters callParameters)
    {
        var status = Ndis.CmActivateVc(vc.Vc, callParameters);
        if (status is NdisStatus.Success or NdisStatus.Pending)
            vc.Activated = true;
        return status;
    }

    private void Dispatch(CmVc vc, CoCallParameters callParameters)
    {
        var status = Ndis.CmDispatchIncomingCall(_sap!, vc.Vc, callParameters);
        Record($"DispatchIncomingCall {status}");
        if (status == NdisStatus.Success)
            Connected(vc);
        else if (status != NdisStatus.Pending)
            TearDownRejected(vc);
    }

    private void Connected(CmVc vc)
    {
        vc.Work = Work.None;
        Interlocked.Increment(ref _callsConnected);
        Ndis.CmDispatchCallConnected(vc.Vc);
    }

    private void TearDownRejected(CmVc vc)
    {
        vc.Work = Work.None;
        if (vc.Activated)
        {
            vc.Activated = false;
            Ndis.CmDeactivateVc(vc.Vc);
        }
        DeleteIncomingVc(vc.Vc);
    }

    private static void Later(Action action) => ThreadPool.QueueUserWorkItem(_ => action());

    private void Record(string text)
    {
        lock (_sync)
            _events.Add(text);
    }

    private enum Work
    {
        None,
        MakeCall,
        Incoming,
        Close,
        ModifyQoS,
    }

    private sealed class CmVc(VirtualConnection vc)
    {
        public VirtualConnection Vc { get; set; } = vc;

        public Work Work { get; set; }

        public bool Activated { get; set; }

        public CoParty? Party { get; set; }

        public object? PartyContext { get; set; }
    }
}
