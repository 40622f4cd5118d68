using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Hardware.Miniports;

/// <summary>
/// The native (NDIS 6, NET_BUFFER_LIST) CoNDIS reference miniport over the <see cref="SimulatedNic"/>, written only
/// against <see cref="Ndis"/> as a ported driver would be. Its data path (NicMiniport.DataPath.cs) reads like
/// netvmini's datapath.c: sends become scatter-gather lists and transmit descriptors; the interrupt DPC completes
/// them and indicates received frames, one NET_BUFFER per NBL, from pre-allocated receive NBLs. With
/// <see cref="NicMiniportOptions.IntegratedCallManager"/> it is an MCM (NicMiniport.CallManager.cs): a call a client
/// makes connects end to end, to its own SAP over a loopback link or to the other host's over a pair link.
/// </summary>
public sealed partial class NicMiniport : ICoMiniport, ICoCallManager, INicInterruptHandler, IDisposable
{
    private static readonly NdisStatusIndication s_mediaConnect = new(NdisStatusIndication.MediaConnect, null);
    private static readonly NdisStatusIndication s_mediaDisconnect = new(NdisStatusIndication.MediaDisconnect, null);
    /// <summary>NDIS_STATUS_RESET_START.</summary>
    private static readonly NdisStatusIndication s_resetStart = new(0x40010004, null);
    /// <summary>NDIS_STATUS_RESET_END.</summary>
    private static readonly NdisStatusIndication s_resetEnd = new(0x40010005, null);

    private readonly object _control = new();
    private NicVc?[] _receiveChannels;
    private bool _initialized;
    private bool _halted;
    private volatile bool _mediaConnected;
    private volatile bool _resetInProgress;
    private bool _resetStartIndicated;
    private uint _hangCheckClean;
    private int _hangTicks;

    /// <summary>A miniport for <paramref name="nic"/>; it touches the NIC only once registered (<see cref="Register"/>).</summary>
    public NicMiniport(SimulatedNic nic, NicMiniportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(nic);
        Nic = nic;
        Options = options ?? new NicMiniportOptions();
        int buffers = Options.ReceiveBuffers == 0 ? nic.Options.ReceiveRingSize : Options.ReceiveBuffers;
        if (buffers < 1 || buffers > nic.Options.ReceiveRingSize)
            throw new ArgumentException($"ReceiveBuffers must be from 1 to the receive ring's {nic.Options.ReceiveRingSize}, not {buffers}.", nameof(options));
        ReceiveBufferCount = buffers;
        ReceiveLowWater = Options.ReceiveLowWater ?? Math.Max(1, buffers / 8);
        TransmitRingFull = Options.TransmitRingFull;
        _receiveChannels = new NicVc?[nic.Options.Channels];
        _txSlots = new TxSlot[nic.Options.TransmitRingSize];
        _txLists = new ScatterGatherList[nic.Options.TransmitRingSize];
        for (int i = 0; i < _txLists.Length; i++)
            _txLists[i] = new ScatterGatherList(nic.Options.MaximumScatterGatherElements);
        _rxSlots = new NetBufferList?[nic.Options.ReceiveRingSize];
        _receiveBuffers = new NetBufferList[buffers];
        _signalling = NicChannels.CreateSignaling(nic, new IntegratedSignalingHost(this));
    }

    /// <summary>The NIC the miniport drives.</summary>
    public SimulatedNic Nic { get; }

    public NicMiniportOptions Options { get; }

    /// <summary>The runtime adapter (NdisMiniportHandle) once registered.</summary>
    public CoMiniportAdapter Adapter { get; private set; } = null!;

    /// <summary>Pre-allocated receive NBLs (netvmini's RCBs).</summary>
    public int ReceiveBufferCount { get; }

    /// <summary>Posted buffers left for the NIC below which indications carry NDIS_RECEIVE_FLAGS_RESOURCES (settable while running).</summary>
    public int ReceiveLowWater { get; set; }

    /// <summary>What sends do when the transmit ring is full (settable while running).</summary>
    public TransmitRingFullPolicy TransmitRingFull { get; set; }

    /// <summary>True while the adapter reports its medium connected.</summary>
    public bool MediaConnected => _mediaConnected;

    /// <summary>Receive NBLs the protocols hold now (indicated without RESOURCES, not yet returned).</summary>
    public int ReceivesHeldByProtocols => (int)(Interlocked.Read(ref _indicated) - Interlocked.Read(ref _returned));

    /// <summary>Pool objects not home: receive NBLs held by protocols plus signalling NBLs in flight (0 at rest).</summary>
    public int OutstandingPoolObjects => ReceivesHeldByProtocols + (_signalPool?.Outstanding ?? 0);

    /// <summary>The miniport's counters now.</summary>
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
    /// Registers the miniport with <paramref name="runtime"/> (NdisMRegisterMiniportDriver) and initializes the adapter
    /// (MiniportInitializeEx): pools and receive NBLs, the interrupt, the NIC started and its receive ring filled, the
    /// watchdog timer, and, as an MCM, the address family (NdisMCmRegisterAddressFamilyEx).
    /// </summary>
    public CoMiniportAdapter Register(CoNdisRuntime runtime, string name = "nic miniport")
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (_initialized)
            throw new InvalidOperationException($"{name} is registered already.");
        Adapter = runtime.RegisterMiniport(name, this, adapterContext: this);
        MiniportInitializeEx();
        return Adapter;
    }

    private void MiniportInitializeEx()
    {
        var handle = Adapter.Handle;
        _receivePool = Ndis.AllocateNetBufferListPool(handle, new NetBufferListPoolParameters
        {
            AllocateNetBuffer = true,
            DataSize = Nic.Options.MaximumFrameSize,
        });
        for (int i = 0; i < _receiveBuffers.Length; i++)
        {
            _receiveBuffers[i] = Ndis.AllocateNetBufferList(_receivePool, 0, 0)
                ?? throw new InvalidOperationException("the receive NBL pool is exhausted at initialization");
        }
        if (Options.IntegratedCallManager)
        {
            _signalPool = Ndis.AllocateNetBufferListPool(handle, new NetBufferListPoolParameters
            {
                AllocateNetBuffer = true,
                DataSize = _signalling.MaximumMessageLength,
            });
            _signalVc = new NicVc(null) { TransmitChannel = _signalling.SignallingChannel, ReceiveChannel = _signalling.SignallingChannel };
            _receiveChannels[_signalling.SignallingChannel] = _signalVc;
            NicChannels.OpenSignalling(Nic, _signalling);
        }
        Nic.ConnectInterrupt(this);
        Nic.Start();
        _mediaConnected = Nic.IsLinkUp;
        _initialized = true;
        for (int i = 0; i < _receiveBuffers.Length; i++)
            ReturnReceiveBuffer(_receiveBuffers[i]);
        PostReceiveBuffers();
        if (Options.WatchdogInterval > TimeSpan.Zero)
            Nic.SetTimer(Options.WatchdogInterval, Watchdog);
        if (Options.IntegratedCallManager)
        {
            var status = Ndis.MCmRegisterAddressFamilyEx(Adapter, _signalling.AddressFamily);
            if (status != NdisStatus.Success)
                throw new InvalidOperationException($"NdisMCmRegisterAddressFamilyEx failed: {status.Describe()}");
            _signalling.Start();
        }
    }

    /// <summary>
    /// MiniportHaltEx: stops the NIC (its thread ends), fails sends still queued with NDIS_STATUS_FAILURE, frees the
    /// receive NBLs and the pools. A receive NBL a protocol still holds, or a VC still active, is a leak the
    /// verifier reports when the pool is freed. Returns the pool objects that were not home.
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
        for (int i = 0; i < _receiveBuffers.Length; i++)
        {
            var nbl = _receiveBuffers[i];
            if (nbl.IsAllocated && nbl.FirstNetBuffer?.MdlChain is { } mdl)
                Ndis.AdjustMdlLength(mdl, mdl.OriginalByteCount);
        }
        for (int i = 0; i < _receiveBuffers.Length; i++)
        {
            if (!IsHeldByProtocol(_receiveBuffers[i]))
                Ndis.FreeNetBufferList(_receiveBuffers[i]);
        }
        Ndis.FreeNetBufferListPool(_receivePool!);
        if (_signalPool is not null)
        {
            leaked += _signalPool.Outstanding;
            Ndis.FreeNetBufferListPool(_signalPool);
        }
        return leaked;
    }

    /// <summary>Halts the adapter if it runs, and stops the device thread.</summary>
    public void Dispose()
    {
        Halt();
        Nic.Dispose();
    }

    /// <summary>
    /// MiniportCheckForHangEx: the device is hung when it holds transmit descriptors and wrote none back since the
    /// last check (two watchdog periods without progress).
    /// </summary>
    public bool MiniportCheckForHangEx()
    {
        if (_resetInProgress || Nic.IsResetting)
            return false;
        uint clean = Volatile.Read(ref _txClean);
        bool busy = Volatile.Read(ref _txTail) != clean || Nic.TransmitRing.Head != clean;
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

    /// <summary>
    /// MiniportResetEx: indicates NDIS_STATUS_RESET_START, sets the NIC's reset bit and returns PENDING; the DPC that
    /// sees the reset done completes every send the device held with NDIS_STATUS_RESET_IN_PROGRESS, refills the
    /// receive ring and indicates NDIS_STATUS_RESET_END.
    /// </summary>
    public NdisStatus MiniportResetEx()
    {
        if (_resetInProgress)
            return NdisStatus.ResetInProgress;
        _resetInProgress = true;
        _resetStartIndicated = true;
        Ndis.MCoIndicateStatusEx(Adapter, null, s_resetStart);
        Nic.RequestReset();
        return NdisStatus.Pending;
    }

    /// <summary>What NDIS does with MiniportCheckForHangEx every couple of seconds: a hang is answered with a reset.</summary>
    private void Watchdog()
    {
        if (MiniportCheckForHangEx())
            MiniportResetEx();
    }

    /// <summary>
    /// MiniportCoOidRequest: the statistics OIDs from the NIC's registers and the miniport's counters (ULONG64, or
    /// ULONG when the buffer has 4 bytes), link speed, maximum frame size and media connect status.
    /// </summary>
    public NdisStatus MiniportCoOidRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest oidRequest)
    {
        ArgumentNullException.ThrowIfNull(oidRequest);
        if (oidRequest.RequestType != NdisRequestType.QueryInformation)
            return NdisStatus.NotSupported;
        var statistics = Nic.Statistics;
        return oidRequest.Oid switch
        {
            NicOid.GenXmitOk => WriteCounter(oidRequest, statistics.TransmittedFrames),
            NicOid.GenRcvOk => WriteCounter(oidRequest, Interlocked.Read(ref _indicated) + Interlocked.Read(ref _indicatedWithResources)),
            NicOid.GenXmitError => WriteCounter(oidRequest, statistics.TransmitErrors),
            NicOid.GenRcvError => WriteCounter(oidRequest, statistics.ReceiveErrors),
            NicOid.GenRcvNoBuffer => WriteCounter(oidRequest, statistics.ReceiveNoBuffer),
            NicOid.GenBytesXmit => WriteCounter(oidRequest, statistics.TransmittedBytes),
            NicOid.GenBytesRcv => WriteCounter(oidRequest, statistics.ReceivedBytes),
            NicOid.GenRcvDiscards => WriteCounter(oidRequest, Interlocked.Read(ref _discarded)),
            NdisOid.CoLinkSpeed => WriteLinkSpeed(oidRequest),
            NdisOid.GenMaximumFrameSize => oidRequest.WriteUInt32((uint)Nic.Options.MaximumFrameSize),
            NdisOid.CoMediaConnectStatus => oidRequest.WriteUInt32(_mediaConnected ? 0u : 1u),
            _ => NdisStatus.NotSupported,
        };
    }

    /// <summary>NDIS_CO_LINK_SPEED: outbound and inbound in units of 100 bit/s.</summary>
    private NdisStatus WriteLinkSpeed(NdisOidRequest request)
    {
        ulong speed = (ulong)Math.Min(uint.MaxValue, Nic.LinkSpeedBitsPerSecond / 100);
        return request.WriteUInt64(speed | (speed << 32));
    }

    private static NdisStatus WriteCounter(NdisOidRequest request, long value) =>
        request.InformationBuffer.Length >= 8 ? request.WriteUInt64((ulong)value) : request.WriteUInt32((uint)value);

    /// <summary>The interrupt DPC (MiniportInterruptDPC): reset first, then link state, send completions and receives.</summary>
    void INicInterruptHandler.InterruptDpc(NicInterruptCauses causes) => MiniportInterruptDpc(causes);

    private void MiniportInterruptDpc(NicInterruptCauses causes)
    {
        if (_halted)
            return;
        if ((causes & NicInterruptCauses.ResetDone) != 0)
        {
            FinishReset();
            return;
        }
        // Receive NBLs a protocol returns from inside this DPC are posted once, at its end (the device cannot use
        // them before the DPC returns anyway).
        Volatile.Write(ref _dpcThread, Environment.CurrentManagedThreadId);
        try
        {
            if ((causes & NicInterruptCauses.LinkStatusChange) != 0)
                IndicateLinkState();
            TXSendComplete();
            RXReceiveIndicate();
            ProcessSignals();
        }
        finally
        {
            Volatile.Write(ref _dpcThread, 0);
        }
        PostReceiveBuffers();
        CheckDrainedVcs();
    }

    private int _dpcThread;

    private bool InDpc => Volatile.Read(ref _dpcThread) == Environment.CurrentManagedThreadId;

    /// <summary>NDIS_STATUS_MEDIA_CONNECT / DISCONNECT to every bound protocol (NdisMCoIndicateStatusEx) when the carrier changed.</summary>
    private void IndicateLinkState()
    {
        bool up = Nic.IsLinkUp;
        if (up == _mediaConnected)
            return;
        _mediaConnected = up;
        Ndis.MCoIndicateStatusEx(Adapter, null, up ? s_mediaConnect : s_mediaDisconnect);
    }

    /// <summary>
    /// The device finished a reset: every descriptor it held and had not written back is gone. Sends it held, and those
    /// still queued, complete with NDIS_STATUS_RESET_IN_PROGRESS; receive buffers it held are taken back and posted again on the fresh ring.
    /// </summary>
    private void FinishReset()
    {
        _resetInProgress = true;
        Interlocked.Increment(ref _resets);
        if (!_resetStartIndicated)
            Ndis.MCoIndicateStatusEx(Adapter, null, s_resetStart); // the device reset itself
        _resetStartIndicated = false;
        TXSendComplete();     // what the device wrote back before it reset went out: those complete normally
        RXReceiveIndicate();  // and what it wrote into buffers arrived: indicated as usual
        var aborted = new NetBufferListQueue();
        AcquireGuard(ref _txGuard);
        AcquireGuard(ref _rxGuard);
        try
        {
            ReclaimTransmitSlots(NdisStatus.ResetInProgress, aborted);
            TakePendingSends();
            FlushWaitQueue(NdisStatus.ResetInProgress, aborted);
            for (uint i = _rxClean; i != _rxTail; i++)
            {
                ref var slot = ref _rxSlots[i & (uint)(_rxSlots.Length - 1)];
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
        CompleteChain(aborted.DequeueAll());
        PostReceiveBuffers();
        _hangTicks = 0;
        _resetInProgress = false;
        Ndis.MCoIndicateStatusEx(Adapter, null, s_resetEnd);
        TransmitQueuedSends();
        CheckDrainedVcs();
    }

    private static void AcquireGuard(ref int guard)
    {
        var spinner = new SpinWait();
        while (Interlocked.CompareExchange(ref guard, 1, 0) != 0)
            spinner.SpinOnce();
    }

    // ---- Channels ---------------------------------------------------------------------------------------

    /// <summary>The channels <paramref name="vc"/> is bound to (−1 when not), for a rig that injects frames with <see cref="SimulatedNic.Receive"/>.</summary>
    public static ChannelBinding ChannelsOf(VirtualConnection vc)
    {
        ArgumentNullException.ThrowIfNull(vc);
        return vc.MiniportContext is NicVc mine ? new ChannelBinding(Volatile.Read(ref mine.TransmitChannel), mine.ReceiveChannel) : new ChannelBinding(-1, -1);
    }

    /// <summary>Binds a VC to its channels (activation); NDIS_STATUS_VC_NOT_AVAILABLE when another VC receives there.</summary>
    private NdisStatus BindChannels(NicVc vc, ChannelBinding channels)
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

    /// <summary>Frames on the VC's receive channel are discarded from now on (deactivation starts).</summary>
    private void UnbindReceive(NicVc vc)
    {
        lock (_control)
        {
            if (vc.ReceiveChannel >= 0 && ReferenceEquals(_receiveChannels[vc.ReceiveChannel], vc))
                Volatile.Write(ref _receiveChannels[vc.ReceiveChannel], null);
            vc.ReceiveChannel = -1;
        }
    }

    private void UnbindTransmit(NicVc vc) => NicChannels.Close(Nic, Interlocked.Exchange(ref vc.TransmitChannel, -1));

    // ---- VCs (NDIS_MINIPORT_CO_CHARACTERISTICS) -----------------------------------------------------------

    /// <summary>MiniportCoCreateVc: per-VC state; nothing is bound until activation.</summary>
    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, VirtualConnection ndisVcHandle, out object? miniportVcContext)
    {
        miniportVcContext = new NicVc(ndisVcHandle);
        return NdisStatus.Success;
    }

    /// <summary>MiniportCoDeleteVc.</summary>
    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext)
    {
        var vc = (NicVc)miniportVcContext!;
        UnbindReceive(vc);
        UnbindTransmit(vc);
        return NdisStatus.Success;
    }

    /// <summary>
    /// MiniportCoActivateVc: binds the VC to the channels the call manager put in the media-specific parameters
    /// (<see cref="DeviceCallParameters.TryGetChannels"/>, or on an ATM NIC the VPI/VCI of ATM_MEDIA_PARAMETERS, which
    /// opens the VC on the SAR); NDIS_STATUS_INVALID_DATA without them or with an SDU the
    /// NIC cannot carry. A reactivation rebinds; when it fails the VC keeps its previous channels.
    /// </summary>
    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, CoCallParameters callParameters)
    {
        var vc = (NicVc)miniportVcContext!;
        uint sdu = callParameters.CallMgrParameters.Transmit.MaxSduSize;
        if (sdu != FlowSpec.NotSpecified && sdu > Nic.Options.MaximumFrameSize)
            return NdisStatus.InvalidData;
        return NicChannels.Activate(Nic, callParameters, Volatile.Read(ref vc.TransmitChannel), channels => BindChannels(vc, channels));
    }

    /// <summary>
    /// MiniportCoDeactivateVc: frames on the VC's channel are dropped from now on; the deactivation completes once
    /// every send on the VC has completed and every NBL indicated on it came back (PENDING until then, then
    /// NdisMCoDeactivateVcComplete).
    /// </summary>
    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext)
    {
        var vc = (NicVc)miniportVcContext!;
        return BeginDrain(vc, DrainAction.CompletePendedDeactivation) ? NdisStatus.Success : NdisStatus.Pending;
    }

    /// <summary>
    /// Stops the VC's receive side and waits for its transfers. True when it had drained already (nothing pended);
    /// otherwise the drained check finishes it with <paramref name="action"/>.
    /// </summary>
    private bool BeginDrain(NicVc vc, DrainAction action)
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
    /// Every send on the VC completed and every receive came back, and no receive pass of the DPC is between looking
    /// the VC up by its channel and indicating on it (that pass ends with <see cref="CheckDrainedVcs"/>): without the
    /// last check a drain on another thread could finish the deactivation just before the DPC indicates on the VC.
    /// </summary>
    private bool IsDrained(NicVc vc)
    {
        if (vc.Vc is null)
            return true;
        Interlocked.MemoryBarrier(); // the channel was unbound before: order that store before this load
        return Volatile.Read(ref _rxIndicating) == 0 && vc.Vc.OutstandingSends == 0 && vc.Vc.OutstandingReceives == 0;
    }

    /// <summary>Finishes the deactivation of every VC whose last send completed and last receive came back.</summary>
    private void CheckDrainedVcs()
    {
        if (_draining.Count == 0)
            return;
        NicVc[] draining;
        lock (_control)
            draining = [.. _draining];
        foreach (var vc in draining)
        {
            if (!IsDrained(vc) || Interlocked.CompareExchange(ref vc.DrainState, 2, 1) != 1)
                continue;
            lock (_control)
                _draining.Remove(vc);
            UnbindTransmit(vc);
            switch (vc.DrainAction)
            {
                case DrainAction.CompletePendedDeactivation:
                    Ndis.MCoDeactivateVcComplete(NdisStatus.Success, vc.Vc!);
                    break;
                case DrainAction.IntegratedClose:
                    FinishIntegratedDeactivation(vc);
                    break;
                default:
                    break;
            }
        }
    }

    private readonly List<NicVc> _draining = [];

    /// <inheritdoc />
    public override string ToString() => Adapter?.ToString() ?? "nic miniport (not registered)";
}
