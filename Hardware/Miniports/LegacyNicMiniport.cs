using CoNdis.Hardware.Nic;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;

namespace CoNdis.Hardware.Miniports;

/// <summary>
/// The NDIS 5.x (NDIS_PACKET) CoNDIS reference miniport over the <see cref="SimulatedNic"/>, written only against
/// <see cref="Ndis5"/> as ported code would be: the same data path and features as <see cref="NicMiniport"/> in the
/// NDIS 5 shape (MiniportCoSendPackets, NdisMCoSendComplete per packet, NdisMCoIndicateReceivePacket with the packet
/// status RESOURCES, MiniportReturnPacket, MiniportCoRequest). It registers like any 5.x miniport, so it runs under
/// the translation layer's LegacyMiniportAdapter with no special case, or on a direct <see cref="LegacyCoBinding"/>.
/// With <see cref="NicMiniportOptions.IntegratedCallManager"/> it is an NDIS 5 MCM (LegacyNicMiniport.CallManager.cs:
/// NdisMCmRegisterAddressFamily in MiniportInitialize, the NDIS_CALL_MANAGER_CHARACTERISTICS handlers, NdisMCm* calls)
/// speaking the device's signalling, so a call connects end to end as with the native miniport; without it (the
/// default when no options are given) the stand-alone <see cref="DeviceCallManager"/> makes its calls.
/// </summary>
public sealed partial class LegacyNicMiniport : ILegacyCoMiniport, ILegacyMiniportCoRequest, ILegacyMiniportCancelSendPackets, ILegacyCoCallManager,
    INicInterruptHandler, IDisposable
{
    private readonly object _control = new();
    private readonly LegacyNicVc?[] _receiveChannels;
    private readonly List<LegacyNicVc> _draining = [];
    private LegacyCoBinding? _adapterHandle;
    private bool _initialized;
    private bool _halted;
    private volatile bool _mediaConnected;
    private volatile bool _resetInProgress;
    private bool _resetStartIndicated;
    private uint _hangCheckClean;
    private int _hangTicks;

    /// <summary>A miniport for <paramref name="nic"/>; it touches the NIC only in <see cref="MiniportInitialize"/>.</summary>
    public LegacyNicMiniport(SimulatedNic nic, NicMiniportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(nic);
        Nic = nic;
        Options = options ?? new NicMiniportOptions { IntegratedCallManager = false };
        int buffers = Options.ReceiveBuffers == 0 ? nic.Options.ReceiveRingSize : Options.ReceiveBuffers;
        if (buffers < 1 || buffers > nic.Options.ReceiveRingSize)
            throw new ArgumentException($"ReceiveBuffers must be from 1 to the receive ring's {nic.Options.ReceiveRingSize}, not {buffers}.", nameof(options));
        ReceiveBufferCount = buffers;
        ReceiveLowWater = Options.ReceiveLowWater ?? Math.Max(1, buffers / 8);
        TransmitRingFull = Options.TransmitRingFull;
        _receiveChannels = new LegacyNicVc?[nic.Options.Channels];
        _txSlots = new TxSlot[nic.Options.TransmitRingSize];
        _txLists = new ScatterGatherList[nic.Options.TransmitRingSize];
        for (int i = 0; i < _txLists.Length; i++)
            _txLists[i] = new ScatterGatherList(nic.Options.MaximumScatterGatherElements);
        _rxSlots = new NdisPacket?[nic.Options.ReceiveRingSize];
        _receivePackets = new NdisPacket[buffers];
        _indicateArray = new NdisPacket[Math.Max(1, Options.IndicateBatch)];
        _signalling = NicChannels.CreateSignaling(nic, new IntegratedSignalingHost(this));
    }

    public SimulatedNic Nic { get; }

    public NicMiniportOptions Options { get; }

    /// <summary>The MiniportAdapterHandle NDIS gave in MiniportInitialize.</summary>
    public LegacyCoBinding AdapterHandle => _adapterHandle ?? throw new InvalidOperationException("MiniportInitialize has not run.");

    public int ReceiveBufferCount { get; }

    /// <summary>Posted buffers left below which received packets carry NDIS_STATUS_RESOURCES.</summary>
    public int ReceiveLowWater { get; set; }

    public TransmitRingFullPolicy TransmitRingFull { get; set; }

    public bool MediaConnected => _mediaConnected;

    /// <summary>Receive packets protocols hold now.</summary>
    public int ReceivesHeldByProtocols => (int)(Interlocked.Read(ref _indicated) - Interlocked.Read(ref _returned));

    /// <summary>Pool objects not home (0 at rest): receive packets the protocols hold, signalling packets in flight.</summary>
    public int OutstandingPoolObjects => ReceivesHeldByProtocols + SignalPacketsInFlight;

    public MiniportCounters Counters => new()
    {
        Sends = Interlocked.Read(ref _sends),
        SendsSucceeded = Interlocked.Read(ref _sendsSucceeded),
        SendsFailed = Interlocked.Read(ref _sendsFailed),
        Indicated = Interlocked.Read(ref _indicated),
        IndicatedWithResources = Interlocked.Read(ref _indicatedWithResources),
        Returned = Interlocked.Read(ref _returned),
        Discarded = Interlocked.Read(ref _discarded),
        SignalsSent = Interlocked.Read(ref _signalsSent),
        SignalsReceived = Interlocked.Read(ref _signalsReceived),
        Resets = Interlocked.Read(ref _resets),
        HangsDetected = Interlocked.Read(ref _hangs),
    };

    /// <summary>
    /// MiniportInitialize: NDIS gives the MiniportAdapterHandle (the binding the 5.x miniport makes its NDIS calls
    /// on); the miniport allocates its packet and buffer pools (NdisAllocatePacketPool, NdisAllocateBufferPool),
    /// shared memory for its receive buffers (NdisMAllocateSharedMemory), connects its interrupt, starts the NIC and
    /// fills the receive ring; as an MCM it also allocates its signalling packets and registers the device's AF
    /// (NdisMCmRegisterAddressFamily), which needs the adapter registered with NDIS already (under the translation
    /// layer: after LegacyMiniportAdapter.Register).
    /// </summary>
    public NdisStatus MiniportInitialize(LegacyCoBinding miniportAdapterHandle)
    {
        ArgumentNullException.ThrowIfNull(miniportAdapterHandle);
        if (_initialized)
            return NdisStatus.Failure;
        _adapterHandle = miniportAdapterHandle;
        var ndis = miniportAdapterHandle.Ndis;
        Ndis5.AllocatePacketPool(out var status, out var packets, (uint)ReceiveBufferCount, 0, ndis);
        if (status != NdisStatus.Success)
            return status;
        _receivePool = packets!;
        Ndis5.AllocateBufferPool(out status, out var buffers, (uint)ReceiveBufferCount, ndis);
        if (status != NdisStatus.Success)
            return status;
        _bufferPool = buffers;
        int size = Nic.Options.MaximumFrameSize;
        var memory = NicDmaAdapter.AllocateSharedMemory(size * ReceiveBufferCount);
        for (int i = 0; i < ReceiveBufferCount; i++)
        {
            Ndis5.AllocatePacket(out status, out var packet, _receivePool);
            if (status != NdisStatus.Success)
                return status;
            Ndis5.AllocateBuffer(out status, out var buffer, _bufferPool, memory.Slice(i * size, size), (uint)size);
            if (status != NdisStatus.Success)
                return status;
            Ndis5.ChainBufferAtFront(packet!, buffer!);
            _receivePackets[i] = packet!;
        }
        if (Options.IntegratedCallManager)
        {
            status = AllocateSignalPackets(ndis);
            if (status != NdisStatus.Success)
                return status;
        }
        Nic.ConnectInterrupt(this);
        Nic.Start();
        _mediaConnected = Nic.IsLinkUp;
        _initialized = true;
        foreach (var packet in _receivePackets)
            PushReturned(packet, packet);
        PostReceivePackets();
        if (Options.WatchdogInterval > TimeSpan.Zero)
            Nic.SetTimer(Options.WatchdogInterval, Watchdog);
        if (Options.IntegratedCallManager)
        {
            // NdisZeroMemory(&CmChars, sizeof(CmChars)); CmChars.MajorVersion = 5; CmChars.CmCreateVcHandler = … ;
            var cmChars = new NdisCallManagerCharacteristics { MajorVersion = 5, MinorVersion = 0, Handlers = this };
            // Status = NdisMCmRegisterAddressFamily(MiniportAdapterHandle, &AddressFamily, &CmChars, sizeof(CmChars));
            status = Ndis5.MCmRegisterAddressFamily(miniportAdapterHandle, _signalling.AddressFamily, cmChars, NdisCallManagerCharacteristics.Size);
            if (status != NdisStatus.Success)
                return status;
            _signalling.Start();
        }
        return NdisStatus.Success;
    }

    /// <summary>
    /// MiniportHalt: stops the NIC, fails packets still queued with NDIS_STATUS_FAILURE, frees receive packets and
    /// buffers (a packet a protocol holds is a leak the pool free reports) and the pools. Returns what was not home.
    /// </summary>
    public int Halt()
    {
        if (!_initialized || _halted)
            return 0;
        _halted = true;
        Nic.SetTimer(TimeSpan.Zero, null);
        Nic.Stop();
        Nic.DisconnectInterrupt();
        AbortTransmits(NdisStatus.Failure);
        int leaked = ReceivesHeldByProtocols;
        foreach (var packet in _receivePackets)
        {
            if (ReferenceEquals(packet.MiniportReservedEx[0], s_heldByProtocol))
                continue;
            Ndis5.UnchainBufferAtFront(packet, out var buffer);
            if (buffer is not null)
            {
                Ndis5.AdjustBufferLength(buffer, (uint)Nic.Options.MaximumFrameSize);
                Ndis5.FreeBuffer(buffer);
            }
            Ndis5.FreePacket(packet);
        }
        Ndis5.FreeBufferPool(_bufferPool!);
        Ndis5.FreePacketPool(_receivePool!);
        leaked += FreeSignalPackets();
        return leaked;
    }

    public void Dispose()
    {
        Halt();
        Nic.Dispose();
    }

    /// <summary>MiniportCheckForHang: transmit descriptors held and none written back over two checks.</summary>
    public bool MiniportCheckForHang()
    {
        if (_resetInProgress || Nic.IsResetting)
            return false;
        uint clean = Volatile.Read(ref _txClean);
        bool busy = Volatile.Read(ref _txTail) != clean;
        if (!busy || clean != _hangCheckClean)
        {
            _hangCheckClean = clean;
            _hangTicks = 0;
            return false;
        }
        if (++_hangTicks < 2)
            return false;
        _hangTicks = 0;
        Interlocked.Increment(ref _hangs);
        return true;
    }

    /// <summary>MiniportReset: NDIS_STATUS_RESET_START, the NIC's reset bit, PENDING; the DPC finishes it.</summary>
    public NdisStatus MiniportReset()
    {
        if (_resetInProgress)
            return NdisStatus.ResetInProgress;
        _resetInProgress = true;
        _resetStartIndicated = true;
        Ndis5.MCoIndicateStatus(AdapterHandle, null, ResetStart, null, 0);
        Nic.RequestReset();
        return NdisStatus.Pending;
    }

    private void Watchdog()
    {
        if (MiniportCheckForHang())
            MiniportReset();
    }

    /// <summary>NDIS_STATUS_MEDIA_CONNECT.</summary>
    private const NdisStatus MediaConnect = (NdisStatus)NdisStatusIndication.MediaConnect;
    /// <summary>NDIS_STATUS_MEDIA_DISCONNECT.</summary>
    private const NdisStatus MediaDisconnect = (NdisStatus)NdisStatusIndication.MediaDisconnect;
    /// <summary>NDIS_STATUS_RESET_START.</summary>
    private const NdisStatus ResetStart = (NdisStatus)0x40010004;
    /// <summary>NDIS_STATUS_RESET_END.</summary>
    private const NdisStatus ResetEnd = (NdisStatus)0x40010005;

    /// <summary>MiniportCoRequest: the same statistics and link OIDs as the native miniport.</summary>
    public NdisStatus MiniportCoRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest ndisRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisRequest);
        if (ndisRequest.RequestType != NdisRequestType.QueryInformation)
            return NdisStatus.NotSupported;
        var statistics = Nic.Statistics;
        return ndisRequest.Oid switch
        {
            NicOid.GenXmitOk => WriteCounter(ndisRequest, statistics.TransmittedFrames),
            NicOid.GenRcvOk => WriteCounter(ndisRequest, Interlocked.Read(ref _indicated) + Interlocked.Read(ref _indicatedWithResources)),
            NicOid.GenXmitError => WriteCounter(ndisRequest, statistics.TransmitErrors),
            NicOid.GenRcvError => WriteCounter(ndisRequest, statistics.ReceiveErrors),
            NicOid.GenRcvNoBuffer => WriteCounter(ndisRequest, statistics.ReceiveNoBuffer),
            NicOid.GenBytesXmit => WriteCounter(ndisRequest, statistics.TransmittedBytes),
            NicOid.GenBytesRcv => WriteCounter(ndisRequest, statistics.ReceivedBytes),
            NicOid.GenRcvDiscards => WriteCounter(ndisRequest, Interlocked.Read(ref _discarded)),
            NdisOid.CoLinkSpeed => ndisRequest.WriteUInt64(LinkSpeed() | (LinkSpeed() << 32)),
            NdisOid.GenMaximumFrameSize => ndisRequest.WriteUInt32((uint)Nic.Options.MaximumFrameSize),
            NdisOid.CoMediaConnectStatus => ndisRequest.WriteUInt32(_mediaConnected ? 0u : 1u),
            _ => NdisStatus.NotSupported,
        };
    }

    private ulong LinkSpeed() => (ulong)Math.Min(uint.MaxValue, Nic.LinkSpeedBitsPerSecond / 100);

    private static NdisStatus WriteCounter(NdisOidRequest request, long value) =>
        request.InformationBuffer.Length >= 8 ? request.WriteUInt64((ulong)value) : request.WriteUInt32((uint)value);

    // ---- VCs ----------------------------------------------------------------------------------------------

    /// <summary>The channels <paramref name="vc"/> is bound to (−1 when not), for a rig that injects frames with <see cref="SimulatedNic.Receive"/>.</summary>
    public static ChannelBinding ChannelsOf(LegacyCoVc vc)
    {
        ArgumentNullException.ThrowIfNull(vc);
        return vc.MiniportVcContext is LegacyNicVc mine ? new ChannelBinding(Volatile.Read(ref mine.TransmitChannel), mine.ReceiveChannel) : new ChannelBinding(-1, -1);
    }

    /// <summary>MiniportCoCreateVc.</summary>
    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, LegacyCoVc ndisVcHandle, out object? miniportVcContext)
    {
        miniportVcContext = new LegacyNicVc(ndisVcHandle);
        return NdisStatus.Success;
    }

    /// <summary>MiniportCoDeleteVc.</summary>
    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext)
    {
        var vc = (LegacyNicVc)miniportVcContext!;
        UnbindReceive(vc);
        UnbindTransmit(vc);
        return NdisStatus.Success;
    }

    /// <summary>MiniportCoActivateVc: binds the channels the call manager put in the CO_CALL_PARAMETERS' media-specific part (on an ATM NIC: opens the ATM_MEDIA_PARAMETERS' VPI/VCI on the SAR).</summary>
    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, object? callParameters)
    {
        var vc = (LegacyNicVc)miniportVcContext!;
        var parameters = callParameters as CoCallParameters;
        if (parameters is null)
            return NdisStatus.InvalidData;
        uint sdu = parameters.CallMgrParameters.Transmit.MaxSduSize;
        if (sdu != FlowSpec.NotSpecified && sdu > Nic.Options.MaximumFrameSize)
            return NdisStatus.InvalidData;
        return NicChannels.Activate(Nic, parameters, Volatile.Read(ref vc.TransmitChannel), channels => BindChannels(vc, channels));
    }

    /// <summary>Binds a VC to its channels (activation); NDIS_STATUS_VC_NOT_AVAILABLE when another VC receives there.</summary>
    private NdisStatus BindChannels(LegacyNicVc vc, ChannelBinding channels)
    {
        if (channels.Transmit >= _receiveChannels.Length || channels.Receive >= _receiveChannels.Length)
            return NdisStatus.InvalidData;
        lock (_control)
        {
            var owner = _receiveChannels[channels.Receive];
            if (owner is not null && !ReferenceEquals(owner, vc))
                return NdisStatus.VcNotAvailable;
            if (vc.ReceiveChannel >= 0 && ReferenceEquals(_receiveChannels[vc.ReceiveChannel], vc))
                Volatile.Write(ref _receiveChannels[vc.ReceiveChannel], null);
            Volatile.Write(ref _receiveChannels[channels.Receive], vc);
            vc.ReceiveChannel = channels.Receive;
            Volatile.Write(ref vc.TransmitChannel, channels.Transmit);
        }
        return NdisStatus.Success;
    }

    /// <summary>The VC no longer transmits: its channel closes on the NIC (an ATM SAR forgets the VPI/VCI).</summary>
    private void UnbindTransmit(LegacyNicVc vc) => NicChannels.Close(Nic, Interlocked.Exchange(ref vc.TransmitChannel, -1));

    /// <summary>
    /// MiniportCoDeactivateVc: the VC's channel is dropped; SUCCESS when nothing is in flight on it, else PENDING
    /// until its last packet completed and its last receive came back (then NdisMCoDeactivateVcComplete).
    /// </summary>
    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) =>
        BeginDrain((LegacyNicVc)miniportVcContext!, DrainAction.CompletePendedDeactivation) ? NdisStatus.Success : NdisStatus.Pending;

    /// <summary>
    /// Stops the VC's receive side and waits for its transfers. True when it had drained already (nothing pended);
    /// otherwise the drained check finishes it with <paramref name="action"/>.
    /// </summary>
    private bool BeginDrain(LegacyNicVc vc, DrainAction action)
    {
        UnbindReceive(vc);
        vc.DrainAction = action;
        Volatile.Write(ref vc.DrainState, 1);
        lock (_control)
            _draining.Add(vc);
        if (IsDrained(vc) && Interlocked.CompareExchange(ref vc.DrainState, 0, 1) == 1)
        {
            lock (_control)
                _draining.Remove(vc);
            UnbindTransmit(vc);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Every packet on the VC completed and every receive came back, and no receive pass of the DPC is between looking
    /// the VC up by its channel and indicating on it (that pass ends with <see cref="CheckDrainedVcs"/>). A VC with no
    /// NDIS handle yet (an incoming call's, before NdisMCmCreateVc) has nothing in flight.
    /// </summary>
    private bool IsDrained(LegacyNicVc vc)
    {
        if (vc.Vc is not { } handle)
            return true;
        Interlocked.MemoryBarrier(); // the channel was unbound before: order that store before this load
        return Volatile.Read(ref _rxIndicating) == 0 && handle.OutstandingSends == 0 && handle.OutstandingReceives == 0;
    }

    private void CheckDrainedVcs()
    {
        if (_draining.Count == 0)
            return;
        LegacyNicVc[] draining;
        lock (_control)
            draining = [.. _draining];
        foreach (var vc in draining)
        {
            if (!IsDrained(vc) || Interlocked.CompareExchange(ref vc.DrainState, 2, 1) != 1)
                continue;
            lock (_control)
                _draining.Remove(vc);
            UnbindTransmit(vc);
            if (vc.DrainAction == DrainAction.IntegratedClose)
                FinishIntegratedDeactivation(vc);
            else
                Ndis5.MCoDeactivateVcComplete(NdisStatus.Success, vc.Vc!);
        }
    }

    private void UnbindReceive(LegacyNicVc vc)
    {
        lock (_control)
        {
            if (vc.ReceiveChannel >= 0 && ReferenceEquals(_receiveChannels[vc.ReceiveChannel], vc))
                Volatile.Write(ref _receiveChannels[vc.ReceiveChannel], null);
            vc.ReceiveChannel = -1;
        }
    }

    // ---- Interrupt ------------------------------------------------------------------------------------------

    void INicInterruptHandler.InterruptDpc(NicInterruptCauses causes) => MiniportHandleInterrupt(causes);

    /// <summary>MiniportHandleInterrupt (the NDIS 5 DPC): reset, link state, send completions, receives.</summary>
    private void MiniportHandleInterrupt(NicInterruptCauses causes)
    {
        if (_halted)
            return;
        if ((causes & NicInterruptCauses.ResetDone) != 0)
        {
            FinishReset();
            return;
        }
        if ((causes & NicInterruptCauses.LinkStatusChange) != 0)
        {
            bool up = Nic.IsLinkUp;
            if (up != _mediaConnected)
            {
                _mediaConnected = up;
                Ndis5.MCoIndicateStatus(AdapterHandle, null, up ? MediaConnect : MediaDisconnect, null, 0);
            }
        }
        Volatile.Write(ref _dpcThread, Environment.CurrentManagedThreadId);
        try
        {
            TransmitComplete();
            ReceiveIndicate();
            ProcessSignals();
        }
        finally
        {
            Volatile.Write(ref _dpcThread, 0);
        }
        PostReceivePackets(); // packets returned during the DPC, posted once
        CheckDrainedVcs();
    }

    private int _dpcThread;

    private bool InDpc => Volatile.Read(ref _dpcThread) == Environment.CurrentManagedThreadId;

    private void FinishReset()
    {
        _resetInProgress = true;
        Interlocked.Increment(ref _resets);
        if (!_resetStartIndicated)
            Ndis5.MCoIndicateStatus(AdapterHandle, null, ResetStart, null, 0); // the device reset itself
        _resetStartIndicated = false;
        TransmitComplete(); // what the device wrote back before it reset went out
        ReceiveIndicate();  // and what it wrote into buffers arrived
        var aborted = new List<NdisPacket>();
        AcquireGuard(ref _txGuard);
        AcquireGuard(ref _rxGuard);
        try
        {
            ReclaimTransmitSlots(aborted);
            TakePendingSends();
            FlushWaitQueue(aborted);
            uint mask = (uint)_rxSlots.Length - 1;
            for (uint i = _rxClean; i != _rxTail; i++)
            {
                ref var slot = ref _rxSlots[i & mask];
                if (slot is not null)
                    PushReturned(slot, slot);
                slot = null;
            }
            Nic.CompleteReset();
            _txTail = 0;
            Volatile.Write(ref _txClean, 0);
            _rxTail = 0;
            _rxClean = 0;
        }
        finally
        {
            Volatile.Write(ref _rxGuard, 0);
            Volatile.Write(ref _txGuard, 0);
        }
        foreach (var packet in aborted)
            CompletePacket(packet, NdisStatus.ResetInProgress);
        PostReceivePackets();
        _hangTicks = 0;
        _resetInProgress = false;
        Ndis5.MCoIndicateStatus(AdapterHandle, null, ResetEnd, null, 0);
        TransmitQueuedSends();
        CheckDrainedVcs();
    }

    private static void AcquireGuard(ref int guard)
    {
        var spinner = new SpinWait();
        while (Interlocked.CompareExchange(ref guard, 1, 0) != 0)
            spinner.SpinOnce();
    }

    private NdisPacketPool? _receivePool;
    private NdisBufferPool? _bufferPool;
}
