using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers.Device;

/// <summary>
/// The conformance suite's miniport role played by a reference miniport over a <see cref="SimulatedNic"/>, on a
/// loopback link or a pair link (the far host echoes, <see cref="DeviceFarHost"/>). The NIC runs inline on a virtual
/// clock; every knob of the role is one of the device's own:
/// <list type="bullet">
/// <item>Inline completion: an interrupt per engine pass, so the DPC completes a send before the send call returns.</item>
/// <item>Thread completion: interrupt moderation (no packet limit, <see cref="ModerationTime"/> on the virtual clock)
/// and a ticker thread that advances the clock, so the DPC runs there.</item>
/// <item>Held sends: the link partner answers with 802.3x PAUSE and the rig's own sender (<see cref="TransmitPrimer"/>)
/// fills the transmit ring, so the suite's sends wait in the miniport's send queue. <see cref="CompleteQueued"/> with
/// SUCCESS lets the link go (they are transmitted), with RESOURCES switches the ring-full policy to
/// <see cref="TransmitRingFullPolicy.CompleteWithResources"/> for one pass; a deactivation lets the link go too (the
/// reference miniports transmit what they queued, so held sends complete with SUCCESS there).</item>
/// <item>Loopback echo: a VC is bound to one channel both ways (the loopback plug, or the far host's echo VC on it,
/// brings its frames back); without echo it transmits on <see cref="SinkChannel"/>, where nobody listens.</item>
/// <item>Indications: frames put on the wire toward the VC's receive channel, with the miniport's receive low-water
/// mark at zero (never RESOURCES) or above the ring (always RESOURCES) for the duration.</item>
/// <item>Sent frames: what the NIC put on the wire (<see cref="DeviceWire"/>); returned receives and pool objects: the
/// miniport's counters.</item>
/// </list>
/// Activation never pends on this NIC and a deactivation pends only while transfers are out: tests that need
/// either on the test's word are skipped for it (<see cref="Unsupported"/>).
/// </summary>
public abstract class DeviceConformanceMiniport : IConformanceMiniport, IDisposable
{
    /// <summary>Channels of the NIC (and of the far host's).</summary>
    public const int Channels = 64;

    /// <summary>The channel a VC without echo transmits on: no VC anywhere receives there (its frames are discarded and counted).</summary>
    public const int SinkChannel = Channels - 1;

    /// <summary>The primer's receive channel (nothing is ever sent there).</summary>
    public const int PrimerChannel = Channels - 2;

    /// <summary>The channel the primer transmits on: nobody listens there, and the wire record leaves it out.</summary>
    public const int PrimerTransmitChannel = Channels - 3;

    /// <summary>The moderation timer of threaded completion, on the virtual clock; the ticker advances the clock by this much.</summary>
    public static readonly TimeSpan ModerationTime = TimeSpan.FromMicroseconds(50);

    private readonly Dictionary<VirtualConnection, int> _channels = [];
    private readonly PairLink? _cable;
    private TransmitPrimer? _primer;
    private SendCompletion _completion;
    private bool _holding;
    private Thread? _ticker;
    private volatile bool _tickerStop;
    private int _nextChannel = 1;
    private bool _disposed;

    /// <summary>Builds the NIC on <paramref name="device"/> ("loopback" or "pair-link"); the deriving class registers its miniport and calls <see cref="Started"/>.</summary>
    protected DeviceConformanceMiniport(string device, CoNdisRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(runtime);
        Device = device;
        Runtime = runtime;
        Clock = new VirtualDeviceClock();
        ILinkPort port;
        if (device == ConformanceRig.LoopbackDevice)
        {
            port = new LoopbackLink("loopback", LinkSpeedBitsPerSecond);
        }
        else if (device == ConformanceRig.PairLinkDevice)
        {
            _cable = new PairLink("pair link", LinkSpeedBitsPerSecond);
            port = _cable.A;
            FarHost = new DeviceFarHost(_cable.B, NicOptions, Clock, runtime.Verifier);
        }
        else
        {
            throw new NotSupportedException($"no simulated device '{device}' (expected '{ConformanceRig.LoopbackDevice}' or '{ConformanceRig.PairLinkDevice}')");
        }
        Wire = new DeviceWire(port);
        Wire.ExcludeFromRecord(PrimerTransmitChannel); // the rig's own frames are not the miniport's sends
        Nic = new SimulatedNic(Wire, NicOptions, Clock, $"{device} nic");
    }

    /// <summary>155 Mbit/s, what the suite's OID test expects (NDIS_CO_LINK_SPEED in 100 bit/s units: 1 550 000).</summary>
    public const long LinkSpeedBitsPerSecond = 155_000_000;

    /// <summary>
    /// The NIC both ends use: inline (the DPC on the caller's thread), 9180-byte frames (the suite's
    /// OID_GEN_MAXIMUM_FRAME_SIZE), a 32-descriptor transmit ring, 128 receive buffers, an interrupt per pass.
    /// </summary>
    public static NicOptions NicOptions { get; } = new()
    {
        CompletionMode = NicCompletionMode.Inline,
        MaximumFrameSize = 9180,
        TransmitRingSize = 32,
        ReceiveRingSize = 128,
        ReceiveFifoFrames = 32,
        BounceBuffers = 4,
        Channels = Channels,
    };

    /// <summary>The reference miniports' options in the rig: no watchdog (the virtual clock would fire it at random), the stand-alone call manager (the suite brings its own).</summary>
    public static NicMiniportOptions MiniportOptions { get; } = new() { IntegratedCallManager = false, WatchdogInterval = TimeSpan.Zero };

    /// <summary>"loopback" or "pair-link".</summary>
    public string Device { get; }

    public CoNdisRuntime Runtime { get; }

    public VirtualDeviceClock Clock { get; }

    public SimulatedNic Nic { get; }

    /// <summary>The NIC's side of the cable: the record of what it sent, PAUSE, frames from the far end.</summary>
    public DeviceWire Wire { get; }

    /// <summary>The echoing host at the other end of the pair link (null on loopback).</summary>
    public DeviceFarHost? FarHost { get; }

    public abstract CoMiniportAdapter Adapter { get; }

    /// <summary>The miniport's counters now (sends and returns are NBLs for the native miniport, packets for the 5.x one).</summary>
    public abstract MiniportCounters Counters { get; }

    public SendCompletion SendCompletion
    {
        get => _completion;
        set
        {
            if (value == _completion)
                return;
            var previous = _completion;
            _completion = value;
            if (previous == SendCompletion.Held)
                ReleaseHold();
            if (previous == SendCompletion.Thread)
            {
                StopTicker();
                Nic.SetInterruptModeration(1, TimeSpan.Zero);
            }
            if (value == SendCompletion.Thread)
            {
                Nic.SetInterruptModeration(1 << 20, ModerationTime);
                StartTicker();
            }
            else if (value == SendCompletion.Held)
            {
                EngageHold();
            }
        }
    }

    /// <summary>Read when the call manager binds a VC's channels (its activation): one channel both ways, or out on the sink.</summary>
    public bool Loopback { get; set; }

    public bool RecordSentFrames
    {
        get => Wire.Record;
        set => Wire.Record = value;
    }

    /// <summary>Always false: this NIC's activation never pends (setting it is refused, see <see cref="Unsupported"/>).</summary>
    public bool PendActivate
    {
        get => false;
        set
        {
            if (value)
                throw new NotSupportedException($"{Device}: {Unsupported(ConformanceFeature.PendedActivation)}");
        }
    }

    /// <summary>Always false: this NIC's deactivation pends only while transfers are out (setting it is refused).</summary>
    public bool PendDeactivate
    {
        get => false;
        set
        {
            if (value)
                throw new NotSupportedException($"{Device}: {Unsupported(ConformanceFeature.PendedDeactivation)}");
        }
    }

    /// <summary>Sends waiting in the miniport (NBLs for the native one, packets for the 5.x one), not counting the primer's.</summary>
    public int QueuedSends
    {
        get
        {
            var counters = Counters;
            return (int)(counters.Sends - counters.SendsSucceeded - counters.SendsFailed) - (_primer?.InFlight ?? 0);
        }
    }

    public int ReturnedReceives => (int)Counters.Returned;

    public IReadOnlyList<byte[]> SentFrames => Wire.SentFrames;

    public int OutstandingPoolObjects => MiniportOutstandingPoolObjects + (_primer?.OutstandingPoolObjects ?? 0) + (FarHost?.OutstandingPoolObjects ?? 0);

    /// <summary>SUCCESS: the reference miniports transmit the sends they queued before a deactivation completes (docs/model-choices.md).</summary>
    public NdisStatus HeldSendStatusAtDeactivation => NdisStatus.Success;

    /// <summary>The miniport's receive low-water mark (settable while running).</summary>
    protected abstract int ReceiveLowWater { get; set; }

    /// <summary>The miniport's ring-full policy (settable while running).</summary>
    protected abstract TransmitRingFullPolicy TransmitRingFull { set; }

    /// <summary>The miniport's own pool objects not home (and the translation's, for the 5.x one).</summary>
    protected abstract int MiniportOutstandingPoolObjects { get; }

    /// <summary>The deriving class registered its miniport (<see cref="Adapter"/> is set): the rig's primer binds now.</summary>
    protected void Started() =>
        _primer = new TransmitPrimer(Runtime, Adapter, new ChannelBinding(PrimerTransmitChannel, PrimerChannel), NicOptions.TransmitRingSize + 8);

    /// <summary>
    /// Completes the held sends: SUCCESS lets the link go (the NIC transmits the primer's frames, then the queued
    /// sends, and the DPC completes them), RESOURCES fails the queued sends at the next transmit pass under the
    /// ring-full policy CompleteWithResources (the primer's one extra frame is that pass). Returns how many were held.
    /// </summary>
    public int CompleteQueued(NdisStatus status)
    {
        int queued = QueuedSends;
        if (status == NdisStatus.Success)
        {
            ReleaseHold();
            if (_completion == SendCompletion.Held)
                EngageHold();
            return queued;
        }
        if (status == NdisStatus.Resources && _holding)
        {
            TransmitRingFull = TransmitRingFullPolicy.CompleteWithResources;
            try
            {
                _primer!.Send(1);
            }
            finally
            {
                TransmitRingFull = TransmitRingFullPolicy.Queue;
            }
            return queued;
        }
        throw new NotSupportedException($"{Device}: held sends complete with SUCCESS (transmitted) or RESOURCES (ring full), not {status.Describe()}");
    }

    public void FinishPendedActivation(VirtualConnection vc, NdisStatus status) =>
        throw new NotSupportedException($"{Device}: {Unsupported(ConformanceFeature.PendedActivation)}");

    /// <summary>Puts each frame on the wire toward <paramref name="vc"/>'s receive channel; the NIC receives and the DPC indicates before this returns.</summary>
    public void Indicate(VirtualConnection vc, IReadOnlyList<byte[]> frames, bool resources)
    {
        ArgumentNullException.ThrowIfNull(vc);
        ArgumentNullException.ThrowIfNull(frames);
        int channel;
        lock (_channels)
        {
            if (!_channels.TryGetValue(vc, out channel))
                throw new InvalidOperationException($"{vc} was never activated on {Device}: it has no receive channel");
        }
        int lowWater = ReceiveLowWater;
        ReceiveLowWater = resources ? int.MaxValue : 0;
        try
        {
            foreach (var frame in frames)
            {
                if (!Wire.Deliver(frame, channel))
                    throw new InvalidOperationException($"{Device}: the NIC refused a frame (its receive FIFO is full)");
            }
        }
        finally
        {
            ReceiveLowWater = lowWater;
        }
    }

    /// <summary>The call manager binds <paramref name="vc"/>'s channels (the same ones each time it is activated).</summary>
    public CoCallParameters ActivationParameters(VirtualConnection vc, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(vc);
        ArgumentNullException.ThrowIfNull(callParameters);
        int channel;
        lock (_channels)
        {
            if (!_channels.TryGetValue(vc, out channel))
            {
                if (_nextChannel >= PrimerTransmitChannel)
                    throw new InvalidOperationException($"{Device}: the rig ran out of channels");
                channel = _nextChannel++;
                _channels.Add(vc, channel);
            }
        }
        FarHost?.Echo(channel);
        if (_completion == SendCompletion.Held)
            EngageHold(); // a deactivation let the link go; the new call's sends are held again
        return DeviceCallParameters.WithChannels(callParameters, Loopback ? ChannelBinding.Both(channel) : new ChannelBinding(SinkChannel, channel));
    }

    /// <summary>Before a deactivation the held sends go: the reference miniports transmit what they queued, and the deactivation waits for it.</summary>
    public void CallManagerDeactivating(VirtualConnection vc) => ReleaseHold();

    public string? Unsupported(ConformanceFeature feature) => feature switch
    {
        ConformanceFeature.PendedActivation =>
            "the reference miniports bind a VC's channels synchronously in MiniportCoActivateVc (this NIC has no VC table to program), so activation "
            + "never pends; the pended-activation flow is proven on the inline device",
        ConformanceFeature.PendedDeactivation =>
            "the reference miniports' MiniportCoDeactivateVc pends only while the VC has sends in flight or receives out (proven on this device by "
            + "Close_waits_for_held_receives_to_come_back and Close_with_sends_in_flight_completes_only_after_every_send_completed), never on a test's word with the VC idle",
        ConformanceFeature.IndicationOnInactiveVc =>
            "the reference miniports unbind a VC's receive channel when it deactivates and discard what arrives there (OID_GEN_RCV_DISCARDS), "
            + "so they never indicate on an inactive VC and the runtime has nothing to refuse",
        _ => null,
    };

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the ticker, lets held sends go, removes the primer, halts the miniport (<see cref="HaltMiniport"/>) and the far host.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing || _disposed)
            return;
        _disposed = true;
        StopTicker();
        ReleaseHold();
        _primer?.Dispose();
        HaltMiniport();
        FarHost?.Dispose();
    }

    /// <summary>MiniportHalt and the NIC powered down; the translation's pools freed for the 5.x one.</summary>
    protected abstract void HaltMiniport();

    /// <summary>The link partner pauses the NIC and the primer fills the transmit ring: from now on sends wait in the miniport.</summary>
    private void EngageHold()
    {
        if (_holding || _primer is null)
            return;
        _holding = true;
        Wire.Pause();
        _primer.Send(NicOptions.TransmitRingSize);
    }

    /// <summary>The link partner has room again: the NIC transmits what it held, the DPC completes it and posts what the miniport queued.</summary>
    private void ReleaseHold()
    {
        if (!_holding)
            return;
        _holding = false;
        Wire.Resume();
    }

    private void StartTicker()
    {
        _tickerStop = false;
        _ticker = new Thread(() =>
        {
            while (!_tickerStop)
            {
                Thread.Sleep(1);
                Clock.Advance(ModerationTime);
            }
        })
        { IsBackground = true, Name = $"{Device} moderation ticker" };
        _ticker.Start();
    }

    private void StopTicker()
    {
        if (_ticker is not { } ticker)
            return;
        _tickerStop = true;
        if (!ticker.Join(TimeSpan.FromSeconds(10)))
            throw new TimeoutException($"{Device}: the moderation ticker did not stop within 10 s");
        _ticker = null;
    }
}
