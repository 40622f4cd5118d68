using CoNdis.Hardware.Nic;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Miniports;

// The integrated call manager of the 5.x miniport (an NDIS 5 MCM), written only against Ndis5 as ported code would be:
// the NDIS_CALL_MANAGER_CHARACTERISTICS handlers it registers with NdisMCmRegisterAddressFamily in MiniportInitialize,
// the device's signalling on channel 0 (packets from its own pool through the send queue, freed at completion instead
// of NdisMCoSendComplete; frames received there copied in its DPC, invisible to NDIS), and the NdisMCm* calls that
// tell NDIS and the client what the signalling decided. The signalling itself is the one the native MCM and the
// stand-alone call manager speak (CallSignaling), so a 5.x host and a native one call each other over a pair link.
public sealed partial class LegacyNicMiniport
{
    private readonly ICallSignaling _signalling;
    private readonly List<byte[]> _signalInbox = [];
    private readonly Stack<NdisPacket> _freeSignalPackets = new();
    private NdisPacket[] _signalPackets = [];
    private NdisPacketPool? _signalPacketPool;
    private NdisBufferPool? _signalBufferPool;
    private LegacyNicVc? _signalVc;

    /// <summary>Calls the integrated call manager has set up or is setting up.</summary>
    public int ActiveCalls => _signalling.ActiveCalls;

    /// <summary>Signalling packets on the send queue or the ring.</summary>
    private int SignalPacketsInFlight
    {
        get
        {
            lock (_freeSignalPackets)
                return _signalPackets.Length - _freeSignalPackets.Count;
        }
    }

    /// <summary>
    /// Offers a permanent VC bound to <paramref name="channels"/> to the client that registered <paramref name="sap"/>:
    /// NdisMCmCreateVc, NdisMCmActivateVc, NdisMCmDispatchIncomingCall with PERMANENT_VC, NdisMCmDispatchCallConnected.
    /// Nothing goes on the wire. Returns the VC (its NdisVcHandle), or null when the client did not take it.
    /// </summary>
    public LegacyCoVc? OfferPermanentVc(CoSap sap, ChannelBinding channels, uint maxSduSize = 9216)
    {
        ArgumentNullException.ThrowIfNull(sap);
        RequireIntegrated();
        return (_signalling.OfferPermanentVc(sap, channels, maxSduSize)?.HostContext as LegacyNicVc)?.Vc;
    }

    /// <summary>The far end closed the call on <paramref name="vc"/> (NdisMCmDispatchIncomingCloseCall to its client).</summary>
    public void DispatchRemoteClose(LegacyCoVc vc, NdisStatus closeStatus = NdisStatus.Success)
    {
        ArgumentNullException.ThrowIfNull(vc);
        RequireIntegrated();
        var call = (vc.MiniportVcContext as LegacyNicVc)?.Call ?? throw new ArgumentException($"{vc} carries no call of this call manager.", nameof(vc));
        _signalling.RemoteRelease(call, closeStatus);
    }

    private void RequireIntegrated()
    {
        if (!Options.IntegratedCallManager)
            throw new InvalidOperationException($"{this} is not an MCM (IntegratedCallManager is off); use the stand-alone call manager.");
    }

    // ---- NDIS_CALL_MANAGER_CHARACTERISTICS (CmXxxHandler) of the MCM -----------------------------------------

    /// <summary>CmCreateVcHandler: a client created a VC on the MCM's AF; the context is the VC's MiniportVcContext too.</summary>
    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, LegacyCoVc ndisVcHandle, out object? protocolVcContext)
    {
        // pVc = AllocateVc(pAdapter); pVc->NdisVcHandle = NdisVcHandle; *ProtocolVcContext = pVc;
        var vc = new LegacyNicVc(ndisVcHandle);
        vc.Call = new SignalCall { HostContext = vc };
        protocolVcContext = vc;
        return NdisStatus.Success;
    }

    /// <summary>CmDeleteVcHandler.</summary>
    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
    {
        var vc = (LegacyNicVc)protocolVcContext!;
        UnbindReceive(vc);
        UnbindTransmit(vc);
        return NdisStatus.Success;
    }

    /// <summary>CmOpenAfHandler: any client may open the device's AF.</summary>
    public NdisStatus ProtocolCmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext)
    {
        callMgrAfContext = ndisAfHandle;
        // if (AddressFamily->AddressFamily != the AF this MCM registered) return NDIS_STATUS_FAILURE;
        return addressFamily.AddressFamily == _signalling.AddressFamily.AddressFamily ? NdisStatus.Success : NdisStatus.Failure;
    }

    /// <summary>CmCloseAfHandler.</summary>
    public NdisStatus ProtocolCmCloseAf(object? callMgrAfContext) => NdisStatus.Success;

    /// <summary>CmRegisterSapHandler: incoming SETUPs for this SAP go to its client; a SAP registered twice is NDIS_STATUS_SAP_IN_USE.</summary>
    public NdisStatus ProtocolCmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext)
    {
        callMgrSapContext = ndisSapHandle;
        return _signalling.RegisterSap(sap, ndisSapHandle);
    }

    /// <summary>CmDeregisterSapHandler.</summary>
    public NdisStatus ProtocolCmDeregisterSap(object? callMgrSapContext)
    {
        _signalling.DeregisterSap((CoSapHandle)callMgrSapContext!);
        return NdisStatus.Success;
    }

    /// <summary>CmMakeCallHandler: SETUP on channel 0; completes with NdisMCmMakeCallComplete when the far end answers.</summary>
    public NdisStatus ProtocolCmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext)
    {
        callMgrPartyContext = null;
        return _signalling.MakeCall(((LegacyNicVc)callMgrVcContext!).Call!, callParameters, ndisPartyHandle);
    }

    /// <summary>CmCloseCallHandler: RELEASE, then the VC drains and deactivates; completes with NdisMCmCloseCallComplete.</summary>
    public NdisStatus ProtocolCmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, byte[]? closeData, uint size) =>
        _signalling.CloseCall(((LegacyNicVc)callMgrVcContext!).Call!);

    /// <summary>CmIncomingCallCompleteHandler: the client's pended answer to an incoming call.</summary>
    public void ProtocolCmIncomingCallComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters) =>
        _signalling.IncomingCallComplete(status, ((LegacyNicVc)callMgrVcContext!).Call!);

    /// <summary>CmActivateVcCompleteHandler: an NdisMCmActivateVc that pended finished (the signalling carries on).</summary>
    public void ProtocolCmActivateVcComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters)
    {
        if (callMgrVcContext is LegacyNicVc { Call: { } call })
            _signalling.ActivateVcComplete(call, status);
    }

    /// <summary>CmDeactivateVcCompleteHandler: an NdisMCmDeactivateVc that pended finished.</summary>
    public void ProtocolCmDeactivateVcComplete(NdisStatus status, object? callMgrVcContext)
    {
        if (callMgrVcContext is LegacyNicVc { Call: { } call })
            _signalling.VcDeactivated(call);
    }

    // ---- Signalling frames ---------------------------------------------------------------------------------

    /// <summary>Signalling packets (NdisAllocatePacket + NdisAllocateBuffer over shared memory), each with its buffer chained for good.</summary>
    private NdisStatus AllocateSignalPackets(NdisHandle ndis)
    {
        int count = Math.Max(1, Options.SignallingBuffers);
        Ndis5.AllocatePacketPool(out var status, out var packets, (uint)count, 0, ndis);
        if (status != NdisStatus.Success)
            return status;
        _signalPacketPool = packets;
        Ndis5.AllocateBufferPool(out status, out var buffers, (uint)count, ndis);
        if (status != NdisStatus.Success)
            return status;
        _signalBufferPool = buffers;
        var memory = NicDmaAdapter.AllocateSharedMemory(count * _signalling.MaximumMessageLength);
        _signalPackets = new NdisPacket[count];
        for (int i = 0; i < count; i++)
        {
            Ndis5.AllocatePacket(out status, out var packet, _signalPacketPool!);
            if (status != NdisStatus.Success)
                return status;
            Ndis5.AllocateBuffer(out status, out var buffer, _signalBufferPool, memory.Slice(i * _signalling.MaximumMessageLength, _signalling.MaximumMessageLength),
                (uint)_signalling.MaximumMessageLength);
            if (status != NdisStatus.Success)
                return status;
            Ndis5.ChainBufferAtFront(packet!, buffer!);
            _signalPackets[i] = packet!;
            _freeSignalPackets.Push(packet!);
        }
        _signalVc = new LegacyNicVc(null) { TransmitChannel = _signalling.SignallingChannel, ReceiveChannel = _signalling.SignallingChannel };
        _receiveChannels[_signalling.SignallingChannel] = _signalVc;
        NicChannels.OpenSignalling(Nic, _signalling);
        return NdisStatus.Success;
    }

    /// <summary>Frees the signalling packets and pools (MiniportHalt); returns how many were not home.</summary>
    private int FreeSignalPackets()
    {
        if (_signalPacketPool is null)
            return 0;
        int leaked = SignalPacketsInFlight;
        foreach (var packet in _signalPackets)
        {
            Ndis5.UnchainBufferAtFront(packet, out var buffer);
            if (buffer is not null)
            {
                Ndis5.AdjustBufferLength(buffer, (uint)_signalling.MaximumMessageLength);
                Ndis5.FreeBuffer(buffer);
            }
            Ndis5.FreePacket(packet);
        }
        Ndis5.FreeBufferPool(_signalBufferPool!);
        Ndis5.FreePacketPool(_signalPacketPool);
        _signalPacketPool = null;
        return leaked;
    }

    /// <summary>Copies a frame received on channel 0 for the call manager (the DPC hands it over after its receive pass).</summary>
    private void KeepSignal(NdisPacket packet, int length)
    {
        Ndis5.QueryBuffer(packet.FirstBuffer!, out var va, out uint size);
        _signalInbox.Add(va.Span[..Math.Min(length, (int)size)].ToArray());
        Interlocked.Increment(ref _signalsReceived);
    }

    /// <summary>Hands the DPC's signalling frames to the signalling, in order (NDIS may be called from here).</summary>
    private void ProcessSignals()
    {
        for (int i = 0; i < _signalInbox.Count; i++)
            _signalling.OnSignal(_signalInbox[i]);
        _signalInbox.Clear();
    }

    /// <summary>Sends a signalling message in one of the MCM's own packets; it goes through the send queue like any frame.</summary>
    private void SendSignal(ReadOnlySpan<byte> message)
    {
        NdisPacket? packet = null;
        lock (_freeSignalPackets)
        {
            if (_signalVc is not null)
                _freeSignalPackets.TryPop(out packet);
        }
        if (packet is null)
            return; // signalling packets exhausted: lost, as on a congested signalling channel
        var buffer = packet.FirstBuffer!;
        Ndis5.QueryBuffer(buffer, out var va, out _);
        message.CopyTo(va.Span);
        Ndis5.AdjustBufferLength(buffer, (uint)message.Length);
        Ndis5.RecalculatePacketCounts(packet);
        packet.MiniportReservedEx[0] = _signalVc;
        SetNext(packet, null);
        Interlocked.Increment(ref _signalsSent);
        QueuePackets(packet);
        TransmitQueuedSends();
    }

    /// <summary>A signalling packet the device is done with goes back to the MCM's pool (there is nobody to complete it to).</summary>
    private void FreeSignal(NdisPacket packet)
    {
        packet.MiniportReservedEx[0] = null;
        Ndis5.AdjustBufferLength(packet.FirstBuffer!, (uint)_signalling.MaximumMessageLength);
        Ndis5.RecalculatePacketCounts(packet);
        lock (_freeSignalPackets)
            _freeSignalPackets.Push(packet);
    }

    /// <summary>The VC of an integrated close drained: NdisMCmDeactivateVc, then the signalling completes the close.</summary>
    private void FinishIntegratedDeactivation(LegacyNicVc vc)
    {
        var status = Ndis5.MCmDeactivateVc(vc.Vc!);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisMCmDeactivateVc on drained {vc.Vc} answered {status.Describe()}.");
        _signalling.VcDeactivated(vc.Call!);
    }

    /// <summary>The MCM's side of the signalling: the NdisMCm* calls of NDIS 5 and the miniport's own channels.</summary>
    private sealed class IntegratedSignalingHost(LegacyNicMiniport miniport) : ICallSignalingHost
    {
        private static LegacyNicVc VcOf(SignalCall call) => (LegacyNicVc)call.HostContext!;

        public void SendSignal(ReadOnlySpan<byte> message) => miniport.SendSignal(message);

        /// <summary>Binds the VC's channels (no MiniportCoActivateVc for an MCM's VC), then NdisMCmActivateVc.</summary>
        public NdisStatus ActivateVc(SignalCall call, CoCallParameters parameters)
        {
            var vc = VcOf(call);
            var status = NicChannels.Activate(miniport.Nic, parameters, Volatile.Read(ref vc.TransmitChannel), channels => miniport.BindChannels(vc, channels));
            return status != NdisStatus.Success ? status : Ndis5.MCmActivateVc(vc.Vc!, parameters);
        }

        public void DeactivateVc(SignalCall call)
        {
            var vc = VcOf(call);
            if (vc.Vc!.State != LegacyVcState.Active)
            {
                miniport.UnbindReceive(vc);
                miniport.UnbindTransmit(vc);
                miniport._signalling.VcDeactivated(call);
                return;
            }
            if (miniport.BeginDrain(vc, DrainAction.IntegratedClose))
                miniport.FinishIntegratedDeactivation(vc);
        }

        /// <summary>NdisMCmCreateVc on the client's AF: the VC of an incoming call, its context this miniport's.</summary>
        public NdisStatus CreateIncomingVc(SignalCall call, CoAfHandle clientAf)
        {
            var vc = new LegacyNicVc(null) { Call = call };
            call.HostContext = vc;
            var status = Ndis5.MCmCreateVc(miniport.AdapterHandle, clientAf, vc, out var handle);
            vc.Vc = handle;
            return status;
        }

        public void DeleteVc(SignalCall call)
        {
            var status = Ndis5.MCmDeleteVc(VcOf(call).Vc!);
            if (status != NdisStatus.Success)
                throw new InvalidOperationException($"NdisMCmDeleteVc on {VcOf(call).Vc} answered {status.Describe()}.");
        }

        public void MakeCallComplete(NdisStatus status, SignalCall call, CoCallParameters parameters) =>
            Ndis5.MCmMakeCallComplete(status, VcOf(call).Vc!, call.Party, call.PartyContext, parameters);

        public void CloseCallComplete(NdisStatus status, SignalCall call) => Ndis5.MCmCloseCallComplete(status, VcOf(call).Vc!, call.Party);

        public NdisStatus DispatchIncomingCall(CoSapHandle sap, SignalCall call, CoCallParameters parameters) =>
            Ndis5.MCmDispatchIncomingCall(sap, VcOf(call).Vc!, parameters);

        public void DispatchCallConnected(SignalCall call) => Ndis5.MCmDispatchCallConnected(VcOf(call).Vc!);

        public void DispatchIncomingCloseCall(NdisStatus status, SignalCall call) =>
            Ndis5.MCmDispatchIncomingCloseCall(status, VcOf(call).Vc!, null, 0);
    }
}
