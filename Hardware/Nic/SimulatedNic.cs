using CoNdis.Hardware.Links;

namespace CoNdis.Hardware.Nic;

/// <summary>
/// A simulated CoNDIS NIC that drivers program like hardware: a transmit and a receive descriptor ring, a DMA engine
/// that gathers frames from the buffers' scatter-gather pieces into its FIFO and writes received frames into
/// driver-posted buffers, checksum and 802.1Q offloads, a receive FIFO with 802.3x flow control, an interrupt cause
/// register with moderation (N frames or T µs, whichever first), a periodic timer, link state, statistics registers,
/// and two faults only hardware has: a hang and a reset in the middle of transfers. Its work and its interrupt DPC
/// run on the device's own thread, or inline on the caller's (<see cref="NicCompletionMode"/>); the same code either way.
/// </summary>
public sealed partial class SimulatedNic : ILinkReceiver, IDisposable
{
    private readonly FrameBufferPool _fifo;
    private readonly byte[] _staging;
    private INicInterruptHandler? _handler;
    private INicPersonality? _personality;
    private bool _started;
    private bool _disposed;

    /// <summary>Builds a NIC plugged into <paramref name="link"/>; it does nothing until <see cref="Start"/>.</summary>
    public SimulatedNic(ILinkPort link, NicOptions? options = null, DeviceClock? clock = null, string name = "nic")
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(name);
        options ??= new NicOptions();
        options.Validate();
        if (options.ModerationPackets > 1 && options.ModerationTime == TimeSpan.Zero)
            throw new ArgumentException("Moderation by packet count needs a ModerationTime too, or a lone frame would never interrupt.", nameof(options));
        Link = link;
        Options = options;
        Clock = clock ?? DeviceClock.System;
        Name = name;
        TransmitRing = new DescriptorRing<NicTxDescriptor>(options.TransmitRingSize);
        ReceiveRing = new DescriptorRing<NicRxDescriptor>(options.ReceiveRingSize);
        Dma = new NicDmaAdapter(this, options);
        _fifo = new FrameBufferPool(options.ReceiveFifoFrames, options.MaximumFrameSize);
        _staging = GC.AllocateArray<byte>(options.MaximumFrameSize + FrameOffload.VlanTagLength, pinned: true);
        _moderationPackets = options.ModerationPackets;
        _moderationNanoseconds = options.ModerationTime.Ticks * 100;
    }

    public string Name { get; }

    public NicOptions Options { get; }

    /// <summary>The clock the device's timers run on.</summary>
    public DeviceClock Clock { get; }

    /// <summary>The link port the NIC is plugged into.</summary>
    public ILinkPort Link { get; }

    /// <summary>The transmit descriptor ring (driver fills at the tail, rings <see cref="RingTransmitDoorbell"/>).</summary>
    public DescriptorRing<NicTxDescriptor> TransmitRing { get; }

    /// <summary>The receive descriptor ring (driver posts buffers at the tail, rings <see cref="RingReceiveDoorbell"/>).</summary>
    public DescriptorRing<NicRxDescriptor> ReceiveRing { get; }

    /// <summary>The DMA adapter: scatter-gather lists, bounce buffers, shared memory.</summary>
    public NicDmaAdapter Dma { get; }

    /// <summary>Carrier as the PHY sees it.</summary>
    public bool IsLinkUp => Link.IsUp;

    /// <summary>Line rate in bits per second.</summary>
    public long LinkSpeedBitsPerSecond => Link.SpeedBitsPerSecond;

    /// <summary>True after <see cref="InjectHang"/> until a reset.</summary>
    public bool IsHung => _hung;

    /// <summary>True between a device reset and the driver's <see cref="CompleteReset"/>.</summary>
    public bool IsResetting => _resetting;

    /// <summary>Frames waiting in the receive FIFO for a posted buffer.</summary>
    public int ReceiveFifoDepth => _fifo.ReadyCount;

    /// <summary>The medium the NIC speaks on the wire when not plain frames (the ATM SAR), set once before <see cref="Start"/>.</summary>
    internal INicPersonality? Personality
    {
        get => _personality;
        set
        {
            if (_started || _personality is not null)
                throw new InvalidOperationException($"{Name}'s personality is set once, before the NIC starts.");
            _personality = value;
        }
    }

    /// <summary>Connects the driver's ISR/DPC (NdisMRegisterInterruptEx).</summary>
    public void ConnectInterrupt(INicInterruptHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Interlocked.CompareExchange(ref _handler, handler, null) is not null)
            throw new InvalidOperationException($"{Name} already has an interrupt handler connected.");
    }

    /// <summary>Disconnects it (NdisMDeregisterInterruptEx).</summary>
    public void DisconnectInterrupt() => Volatile.Write(ref _handler, null);

    /// <summary>Powers the device up: plugs into the link and, in <see cref="NicCompletionMode.DeviceThread"/> mode, starts its thread.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started)
            return;
        _started = true;
        _personality?.Start(Clock.NowNanoseconds);
        Link.Attach(this);
        Clock.Advanced += OnClockAdvanced;
        if (Options.CompletionMode == NicCompletionMode.DeviceThread)
            StartThread();
    }

    /// <summary>Powers the device down: the thread ends (bounded wait) and the NIC leaves the link.</summary>
    public void Stop()
    {
        if (!_started)
            return;
        _started = false;
        StopThread();
        Clock.Advanced -= OnClockAdvanced;
        Link.Detach(this);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        Stop();
        _disposed = true;
        _wake.Dispose();
    }

    /// <summary>The driver moved <see cref="TransmitRing"/>'s tail: the device starts transmitting.</summary>
    public void RingTransmitDoorbell() => Kick();

    /// <summary>The driver posted receive buffers: the device may move frames waiting in its FIFO.</summary>
    public void RingReceiveDoorbell() => Kick();

    /// <summary>Lets the device look at its rings and timers now (inline mode: runs them on this thread).</summary>
    public void Service() => Kick();

    /// <summary>OID_GEN_INTERRUPT_MODERATION: interrupt after <paramref name="packets"/> completions or <paramref name="time"/>.</summary>
    public void SetInterruptModeration(int packets, TimeSpan time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(packets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(time, TimeSpan.Zero);
        if (packets > 1 && time == TimeSpan.Zero)
            throw new ArgumentException("Moderation by packet count needs a time limit too.", nameof(time));
        Volatile.Write(ref _moderationPackets, packets);
        Interlocked.Exchange(ref _moderationNanoseconds, time.Ticks * 100);
        Kick();
    }

    /// <summary>A periodic timer on the device clock (NdisSetTimerObject), run where the DPC runs; null stops it.</summary>
    public void SetTimer(TimeSpan period, Action? callback)
    {
        if (callback is not null)
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        Interlocked.Exchange(ref _timerPeriodNanoseconds, period.Ticks * 100);
        Interlocked.Exchange(ref _timerDueNanoseconds, Clock.NowNanoseconds + period.Ticks * 100);
        Volatile.Write(ref _timer, callback);
        Kick();
    }

    /// <summary>The driver sets the reset bit (CTRL.RST, from MiniportResetEx): the device drops everything it holds and interrupts with <see cref="NicInterruptCauses.ResetDone"/>.</summary>
    public void RequestReset()
    {
        Volatile.Write(ref _resetPending, 1);
        Kick();
    }

    /// <summary>Fault: the device stops processing descriptors and raises no more completions (timers still run) until a reset.</summary>
    public void InjectHang()
    {
        _hung = true;
        Kick();
    }

    /// <summary>Fault: the device resets itself in the middle of transfers (a fatal error), as if the driver had set the reset bit.</summary>
    public void InjectReset() => RequestReset();

    /// <summary>
    /// The driver, from its DPC after <see cref="NicInterruptCauses.ResetDone"/>, reprograms the rings (both indices back
    /// to 0, every descriptor cleared) and lets the device run again. Every descriptor the driver had posted is gone.
    /// </summary>
    public void CompleteReset()
    {
        TransmitRing.ResetIndices();
        ReceiveRing.ResetIndices();
        _txPaused = false;
        _resetting = false;
        Kick();
    }

    /// <summary>The statistics registers now.</summary>
    public NicStatistics Statistics => new()
    {
        TransmittedFrames = Volatile.Read(ref _txFrames),
        TransmittedBytes = Volatile.Read(ref _txBytes),
        TransmitErrors = Volatile.Read(ref _txErrors),
        ReceivedFrames = Volatile.Read(ref _rxFrames),
        ReceivedBytes = Volatile.Read(ref _rxBytes),
        ReceiveErrors = Interlocked.Read(ref _rxErrors),
        ReceiveFcsErrors = Interlocked.Read(ref _rxFcsErrors),
        ReceiveNoBuffer = Interlocked.Read(ref _rxNoBuffer),
        ReceiveFlushed = Interlocked.Read(ref _rxFlushed),
        DmaCopies = Volatile.Read(ref _dmaCopies),
        DmaBytes = Volatile.Read(ref _dmaBytes),
        BounceCopies = Interlocked.Read(ref _bounces),
        BounceBytes = Interlocked.Read(ref _bounceBytes),
        Interrupts = Volatile.Read(ref _interrupts),
        Resets = Volatile.Read(ref _resets),
        FlowControlPauses = Volatile.Read(ref _pauses),
        ChecksumsInserted = Volatile.Read(ref _checksumsInserted),
        ChecksumsVerified = Volatile.Read(ref _checksumsVerified),
    };

    internal void CountBounce(int bytes)
    {
        Interlocked.Increment(ref _bounces);
        Interlocked.Add(ref _bounceBytes, bytes);
    }

    // ---- ILinkReceiver: the PHY side ------------------------------------------------------------------

    /// <summary>A unit from the wire: a frame, or, on a NIC with a personality (ATM), what it reassembles into frames.</summary>
    public bool Receive(LinkFrame frame) => _personality is { } personality ? personality.Receive(frame) : AcceptFrame(frame);

    /// <summary>A frame from the wire: discarded on a bad FCS or when too long; cut through to a posted buffer when the
    /// device is already running on this thread and nothing waits ahead of it; otherwise into the receive FIFO.</summary>
    internal bool AcceptFrame(LinkFrame frame)
    {
        if (!_started || _resetting)
        {
            Interlocked.Increment(ref _rxFlushed);
            return true;
        }
        if ((frame.Flags & LinkFrameFlags.FcsError) != 0)
        {
            Interlocked.Increment(ref _rxErrors);
            Interlocked.Increment(ref _rxFcsErrors);
            return true;
        }
        if (frame.Data.Length > Options.MaximumFrameSize)
        {
            Interlocked.Increment(ref _rxErrors);
            return true;
        }
        if (Volatile.Read(ref _engineThread) == Environment.CurrentManagedThreadId && !_hung && _fifo.ReadyCount == 0
            && DeliverToHost(frame))
            return true;
        if (_fifo.TryStore(frame))
        {
            Kick();
            return true;
        }
        if (Options.FlowControl)
        {
            // The flag goes up before the FIFO is looked at again (a full fence): the engine may have drained the FIFO
            // between the failed store and the flag, and then it never signals room, so the far end stays paused.
            Interlocked.Exchange(ref _refused, 1);
            if (_fifo.TryStore(frame))
            {
                Kick();
                return true;
            }
            return false;
        }
        Interlocked.Increment(ref _rxNoBuffer);
        return true;
    }

    /// <summary>The link went up or down.</summary>
    public void LinkStateChanged()
    {
        Volatile.Write(ref _linkChanged, 1);
        Kick();
    }

    /// <summary>The far end has room again: resume transmitting.</summary>
    public void TransmitReady()
    {
        _personality?.TransmitReady();
        Volatile.Write(ref _txReady, 1);
        Kick();
    }

    private void OnClockAdvanced() => Kick();

    /// <inheritdoc />
    public override string ToString() => Name;
}
