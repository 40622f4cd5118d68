using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Hardware.Miniports;

// The integrated call manager (MCM): the miniport's ICoCallManager handlers, its signalling on channel 0 of the link
// (invisible to NDIS: sent from its own NBL pool, received in its DPC), and the NdisMCm* calls that tell NDIS and the
// client what the signalling decided.
public sealed partial class NicMiniport
{
    private readonly ICallSignaling _signalling;
    private readonly List<byte[]> _signalInbox = [];
    private NetBufferListPool? _signalPool;
    private NicVc? _signalVc;

    /// <summary>Calls the integrated call manager has set up or is setting up.</summary>
    public int ActiveCalls => _signalling.ActiveCalls;

    /// <summary>
    /// Offers a permanent VC bound to <paramref name="channels"/> to the client that registered <paramref name="sap"/>
    /// (as a switch's PVC would appear): NdisMCmCreateVc, NdisMCmActivateVc, NdisMCmDispatchIncomingCall with
    /// PERMANENT_VC, NdisMCmDispatchCallConnected. Nothing goes on the wire. Returns the VC.
    /// </summary>
    public VirtualConnection? OfferPermanentVc(CoSap sap, ChannelBinding channels, uint maxSduSize = 9216)
    {
        ArgumentNullException.ThrowIfNull(sap);
        RequireIntegrated();
        return _signalling.OfferPermanentVc(sap, channels, maxSduSize)?.Vc;
    }

    /// <summary>The far end closed the call on <paramref name="vc"/> (NdisMCmDispatchIncomingCloseCall to its client).</summary>
    public void DispatchRemoteClose(VirtualConnection vc, NdisStatus closeStatus = NdisStatus.Success)
    {
        ArgumentNullException.ThrowIfNull(vc);
        RequireIntegrated();
        var call = ((NicVc)vc.MiniportContext!).Call ?? throw new ArgumentException($"{vc} carries no call of this call manager.", nameof(vc));
        _signalling.RemoteRelease(call, closeStatus);
    }

    private void RequireIntegrated()
    {
        if (!Options.IntegratedCallManager)
            throw new InvalidOperationException($"{this} is not an MCM (IntegratedCallManager is off); use the stand-alone call manager.");
    }

    // ---- ICoCallManager (NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS of the MCM) -------------------------------

    /// <summary>ProtocolCoCreateVc (CmCreateVcHandler): a client created a VC on the MCM's AF; the context is the miniport's VC context too.</summary>
    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        var vc = new NicVc(ndisVcHandle);
        vc.Call = new SignalCall { Vc = ndisVcHandle, HostContext = vc };
        protocolVcContext = vc;
        return NdisStatus.Success;
    }

    /// <summary>ProtocolCoDeleteVc (CmDeleteVcHandler).</summary>
    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
    {
        var vc = (NicVc)protocolVcContext!;
        UnbindReceive(vc);
        UnbindTransmit(vc);
        return NdisStatus.Success;
    }

    /// <summary>ProtocolCmOpenAf: any client may open the device's AF.</summary>
    public NdisStatus ProtocolCmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext)
    {
        callMgrAfContext = ndisAfHandle;
        return addressFamily.AddressFamily == _signalling.AddressFamily.AddressFamily ? NdisStatus.Success : NdisStatus.Failure;
    }

    /// <summary>ProtocolCmRegisterSap: incoming SETUPs for this SAP go to its client; a SAP registered twice is NDIS_STATUS_SAP_IN_USE.</summary>
    public NdisStatus ProtocolCmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext)
    {
        callMgrSapContext = ndisSapHandle;
        return _signalling.RegisterSap(sap, ndisSapHandle);
    }

    /// <summary>ProtocolCmDeregisterSap.</summary>
    public NdisStatus ProtocolCmDeregisterSap(object? callMgrSapContext)
    {
        _signalling.DeregisterSap((CoSapHandle)callMgrSapContext!);
        return NdisStatus.Success;
    }

    /// <summary>ProtocolCmMakeCall: SETUP on channel 0; completes with NdisMCmMakeCallComplete when the far end answers.</summary>
    public NdisStatus ProtocolCmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext)
    {
        callMgrPartyContext = null;
        return _signalling.MakeCall(((NicVc)callMgrVcContext!).Call!, callParameters, ndisPartyHandle);
    }

    /// <summary>ProtocolCmCloseCall: RELEASE, then the VC drains and deactivates; completes with NdisMCmCloseCallComplete.</summary>
    public NdisStatus ProtocolCmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, ReadOnlyMemory<byte> closeData) =>
        _signalling.CloseCall(((NicVc)callMgrVcContext!).Call!);

    /// <summary>ProtocolCmIncomingCallComplete: the client's pended answer to an incoming call.</summary>
    public void ProtocolCmIncomingCallComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters) =>
        _signalling.IncomingCallComplete(status, ((NicVc)callMgrVcContext!).Call!);

    // ---- Signalling frames ---------------------------------------------------------------------------------

    /// <summary>Copies a frame received on channel 0 for the call manager (the DPC handles it after its receive pass).</summary>
    private void KeepSignal(NetBufferList nbl, int length)
    {
        var mdl = nbl.FirstNetBuffer!.MdlChain!;
        _signalInbox.Add(mdl.Span[..Math.Min(length, mdl.ByteCount)].ToArray());
        Interlocked.Increment(ref _signalsReceived);
    }

    /// <summary>Hands the DPC's signalling frames to the signalling, in order (NDIS may be called from here).</summary>
    private void ProcessSignals()
    {
        for (int i = 0; i < _signalInbox.Count; i++)
            _signalling.OnSignal(_signalInbox[i]);
        _signalInbox.Clear();
    }

    /// <summary>Sends a signalling message from the MCM's own pool; it goes through the send queue like any frame.</summary>
    private void SendSignal(ReadOnlySpan<byte> message)
    {
        var nbl = _signalPool is null ? null : Ndis.AllocateNetBufferList(_signalPool, 0, 0);
        if (nbl is null)
            return; // signalling buffers exhausted: lost, as on a congested signalling channel
        var nb = nbl.FirstNetBuffer!;
        message.CopyTo(nb.MdlChain!.Span);
        nb.DataLength = message.Length;
        nbl.MiniportReserved[0] = _signalVc;
        nbl.Status = NdisStatus.Success;
        Interlocked.Increment(ref _signalsSent);
        QueueSends(nbl);
        TXTransmitQueuedSends();
    }

    private static void FreeSignal(NetBufferList nbl)
    {
        nbl.MiniportReserved.Clear();
        var nb = nbl.FirstNetBuffer!;
        nb.DataLength = nb.MdlChain!.ByteCount;
        Ndis.FreeNetBufferList(nbl);
    }

    /// <summary>The VC of an integrated close drained: NdisMCmDeactivateVc, then the signalling completes the close.</summary>
    private void FinishIntegratedDeactivation(NicVc vc)
    {
        var status = Ndis.MCmDeactivateVc(vc.Vc!);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisMCmDeactivateVc on drained {vc.Vc} answered {status.Describe()}.");
        _signalling.VcDeactivated(vc.Call!);
    }

    /// <summary>The MCM's side of the signalling: NdisMCm* calls and the miniport's own channels.</summary>
    private sealed class IntegratedSignalingHost(NicMiniport miniport) : ICallSignalingHost
    {
        public void SendSignal(ReadOnlySpan<byte> message) => miniport.SendSignal(message);

        public NdisStatus ActivateVc(SignalCall call, CoCallParameters parameters)
        {
            var vc = (NicVc)call.HostContext!;
            var status = NicChannels.Activate(miniport.Nic, parameters, Volatile.Read(ref vc.TransmitChannel), channels => miniport.BindChannels(vc, channels));
            return status != NdisStatus.Success ? status : Ndis.MCmActivateVc(call.Vc!, parameters);
        }

        public void DeactivateVc(SignalCall call)
        {
            var vc = (NicVc)call.HostContext!;
            if (call.Vc!.Activation != ActivationState.Active)
            {
                miniport.UnbindReceive(vc);
                miniport.UnbindTransmit(vc);
                miniport._signalling.VcDeactivated(call);
                return;
            }
            if (miniport.BeginDrain(vc, DrainAction.IntegratedClose))
                miniport.FinishIntegratedDeactivation(vc);
        }

        public NdisStatus CreateIncomingVc(SignalCall call, CoAfHandle clientAf)
        {
            var vc = new NicVc(null) { Call = call };
            call.HostContext = vc;
            var status = Ndis.MCmCreateVc(miniport.Adapter, clientAf, vc, out var handle);
            vc.Vc = handle;
            call.Vc = handle;
            return status;
        }

        public void DeleteVc(SignalCall call)
        {
            var status = Ndis.MCmDeleteVc(call.Vc!);
            if (status != NdisStatus.Success)
                throw new InvalidOperationException($"NdisMCmDeleteVc on {call.Vc} answered {status.Describe()}.");
        }

        public void MakeCallComplete(NdisStatus status, SignalCall call, CoCallParameters parameters) =>
            Ndis.MCmMakeCallComplete(status, call.Vc!, call.Party, call.PartyContext, parameters);

        public void CloseCallComplete(NdisStatus status, SignalCall call) => Ndis.MCmCloseCallComplete(status, call.Vc!, call.Party);

        public NdisStatus DispatchIncomingCall(CoSapHandle sap, SignalCall call, CoCallParameters parameters) =>
            Ndis.MCmDispatchIncomingCall(sap, call.Vc!, parameters);

        public void DispatchCallConnected(SignalCall call) => Ndis.MCmDispatchCallConnected(call.Vc!);

        public void DispatchIncomingCloseCall(NdisStatus status, SignalCall call) =>
            Ndis.MCmDispatchIncomingCloseCall(status, call.Vc!, ReadOnlyMemory<byte>.Empty);
    }
}
