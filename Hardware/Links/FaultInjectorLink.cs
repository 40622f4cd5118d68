using CoNdis.Hardware.Nic;

namespace CoNdis.Hardware.Links;

/// <summary>
/// A fault injector on the transmit side of any link, seeded so a run repeats exactly: it drops frames, corrupts a
/// byte (the frame then fails its FCS and the receiving NIC discards it, or, with <see cref="CorruptionKeepsFcs"/>,
/// arrives with a valid FCS and bad contents for the checksum offload to catch), delays frames by
/// <see cref="Delay"/> on the device clock, swaps neighbours, and takes the carrier down and up. Frames are touched
/// only in the direction the NIC behind it transmits; one NIC transmits through it. The fault controls
/// (<see cref="LinkDown"/>, <see cref="LinkUp"/>, <see cref="ReleaseDue"/>) may come from another thread: the state
/// they share with <see cref="Transmit"/> is under one lock (a fault injector is a test device; nothing else pays
/// for it). A frame it holds is never lost uncounted: one the far end refuses stays held until it takes it.
/// </summary>
public sealed class FaultInjectorLink : LinkDecorator
{
    private readonly Random _random;
    private readonly byte[][] _line;
    private readonly int[] _lineLength;
    private readonly int[] _lineChannel;
    private readonly LinkFrameFlags[] _lineFlags;
    private readonly long[] _lineSent;
    private readonly long[] _lineDue;
    private int _lineHead;
    private int _lineCount;
    private readonly byte[] _scratch;
    private readonly byte[] _held;
    private readonly DeviceClock _clock;
    private int _heldLength;
    private int _heldChannel;
    private long _heldTimestamp;
    private LinkFrameFlags _heldFlags;
    private bool _holding;
    private readonly object _sync = new();
    private volatile bool _down;
    private long _dropped, _corrupted, _delayed, _reordered, _lostWhileDown;

    public FaultInjectorLink(ILinkPort inner, int seed, DeviceClock? clock = null, int delayLineFrames = 256, int maximumFrameSize = 9216 + 4, string name = "fault injector")
        : base(inner, name)
    {
        _random = new Random(seed);
        _clock = clock ?? DeviceClock.System;
        ArgumentOutOfRangeException.ThrowIfLessThan(delayLineFrames, 1);
        _line = new byte[delayLineFrames][];
        for (int i = 0; i < delayLineFrames; i++)
            _line[i] = new byte[maximumFrameSize];
        _lineLength = new int[delayLineFrames];
        _lineChannel = new int[delayLineFrames];
        _lineFlags = new LinkFrameFlags[delayLineFrames];
        _lineSent = new long[delayLineFrames];
        _lineDue = new long[delayLineFrames];
        _scratch = new byte[maximumFrameSize];
        _held = new byte[maximumFrameSize];
    }

    /// <summary>Probability that a frame is lost.</summary>
    public double DropProbability { get; set; }

    /// <summary>Probability that one byte of a frame is flipped.</summary>
    public double CorruptProbability { get; set; }

    /// <summary>A corrupted frame keeps a valid FCS (the damage happened before the FCS was computed).</summary>
    public bool CorruptionKeepsFcs { get; set; }

    /// <summary>Probability that a frame is held back for <see cref="Delay"/>.</summary>
    public double DelayProbability { get; set; }

    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Probability that a frame is held until the next one has gone (the two swap places).</summary>
    public double ReorderProbability { get; set; }

    public override bool IsUp => !_down && Inner.IsUp;

    public long Dropped => Interlocked.Read(ref _dropped);
    public long Corrupted => Interlocked.Read(ref _corrupted);
    public long Delayed => Interlocked.Read(ref _delayed);
    public long Reordered => Interlocked.Read(ref _reordered);
    public long LostWhileDown => Interlocked.Read(ref _lostWhileDown);

    /// <summary>Frames held in the delay line or for a swap.</summary>
    public int InFlight
    {
        get { lock (_sync) return _lineCount + (_holding ? 1 : 0); }
    }

    /// <summary>Takes the carrier down: frames are lost, the NIC sees link down.</summary>
    public void LinkDown() => SetCarrier(down: true);

    /// <summary>Brings the carrier back.</summary>
    public void LinkUp() => SetCarrier(down: false);

    private void SetCarrier(bool down)
    {
        lock (_sync)
        {
            if (_down == down)
                return;
            _down = down;
            if (down)
            {
                Interlocked.Add(ref _lostWhileDown, _lineCount + (_holding ? 1 : 0));
                _lineCount = 0;
                _holding = false;
            }
        }
        Receiver?.LinkStateChanged();
    }

    public override void LinkStateChanged() => Receiver?.LinkStateChanged();

    public override bool Transmit(LinkFrame frame)
    {
        lock (_sync)
            return TransmitLocked(frame);
    }

    private bool TransmitLocked(LinkFrame frame)
    {
        if (_down)
        {
            Interlocked.Increment(ref _lostWhileDown);
            return true;
        }
        ReleaseDueLocked(force: false);
        bool corrupted = false;
        double roll = _random.NextDouble();
        if (roll < DropProbability)
        {
            Interlocked.Increment(ref _dropped);
            return true;
        }
        if (_random.NextDouble() < CorruptProbability && frame.Data.Length > 0)
        {
            frame.Data.CopyTo(_scratch);
            int at = _random.Next(frame.Data.Length);
            _scratch[at] ^= (byte)_random.Next(1, 256);
            frame = new LinkFrame(_scratch.AsSpan(0, frame.Data.Length), frame.Channel,
                CorruptionKeepsFcs ? frame.Flags : frame.Flags | LinkFrameFlags.FcsError, frame.TimestampNanoseconds);
            corrupted = true; // counted once the frame is committed (held, delayed or sent), not on a refused try
        }
        if (!_holding && _random.NextDouble() < ReorderProbability)
        {
            frame.Data.CopyTo(_held);
            _heldLength = frame.Data.Length;
            _heldChannel = frame.Channel;
            _heldFlags = frame.Flags; // a corrupted frame stays one (its FCS error travels with it)
            _heldTimestamp = frame.TimestampNanoseconds;
            _holding = true;
            CountCorrupted(corrupted);
            return true;
        }
        if (_random.NextDouble() < DelayProbability && _lineCount < _line.Length)
        {
            int slot = (_lineHead + _lineCount) % _line.Length;
            frame.Data.CopyTo(_line[slot]);
            _lineLength[slot] = frame.Data.Length;
            _lineChannel[slot] = frame.Channel;
            _lineFlags[slot] = frame.Flags;
            _lineSent[slot] = frame.TimestampNanoseconds;
            _lineDue[slot] = _clock.NowNanoseconds + Delay.Ticks * 100;
            _lineCount++;
            Interlocked.Increment(ref _delayed);
            CountCorrupted(corrupted);
            return true;
        }
        if (!Inner.Transmit(frame))
            return false;
        CountCorrupted(corrupted);
        if (_holding && SendHeld())
            Interlocked.Increment(ref _reordered);
        return true;
    }

    private void CountCorrupted(bool corrupted)
    {
        if (corrupted)
            Interlocked.Increment(ref _corrupted);
    }

    /// <summary>The held frame onto the wire; false (still held) when the far end has no room for it.</summary>
    private bool SendHeld()
    {
        if (!Inner.Transmit(new LinkFrame(_held.AsSpan(0, _heldLength), _heldChannel, _heldFlags, _heldTimestamp)))
            return false;
        _holding = false;
        return true;
    }

    /// <summary>Puts every delayed frame whose time came on the wire (every one with <paramref name="force"/>), and a held frame too when forced.</summary>
    public void ReleaseDue(bool force)
    {
        lock (_sync)
            ReleaseDueLocked(force);
    }

    private void ReleaseDueLocked(bool force)
    {
        long now = _clock.NowNanoseconds;
        while (_lineCount > 0 && (force || _lineDue[_lineHead] <= now))
        {
            int slot = _lineHead;
            var frame = new LinkFrame(_line[slot].AsSpan(0, _lineLength[slot]), _lineChannel[slot], _lineFlags[slot], _lineSent[slot]);
            if (!Inner.Transmit(frame))
                break; // the far end is paused: try again later
            _lineHead = (_lineHead + 1) % _line.Length;
            _lineCount--;
        }
        if (force && _holding)
            SendHeld(); // refused: it goes after the next frame, or at the next forced release
    }
}
