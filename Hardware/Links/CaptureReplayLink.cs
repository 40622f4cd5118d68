using CoNdis.Hardware.Capture;
using CoNdis.Hardware.Nic;

namespace CoNdis.Hardware.Links;

/// <summary>
/// A link whose far end is a capture file: each Ethernet frame of a pcap or pcapng capture arrives at the NIC as a
/// received frame on <see cref="Channel"/>, its timestamp beside it, paced by the capture's timestamps on the device
/// clock or as fast as the NIC takes them (flow control holds the next frame until the NIC has room). A frame of
/// another link type is refused with <see cref="UnsupportedLinkTypeException"/>, or handed untouched to
/// <see cref="PassThrough"/> and counted. What the NIC transmits toward the file is discarded (counted).
/// </summary>
public sealed class CaptureReplayLink : ILinkPort, IDisposable
{
    private readonly CaptureReader _reader;
    private readonly bool _ownsReader;
    private readonly byte[] _pending;
    private ILinkReceiver? _receiver;
    private int _pendingLength;
    private long _pendingTimestamp;
    private bool _hasPending;
    private bool _atEnd;
    private long _firstTimestamp = long.MinValue;
    private long _startClock;
    private long _delivered;
    private long _passedThrough;
    private long _discardedTransmits;

    /// <summary>Replays <paramref name="reader"/>; with <paramref name="ownsReader"/> the link disposes it.</summary>
    public CaptureReplayLink(CaptureReader reader, int channel = 1, CaptureReplayPacing pacing = CaptureReplayPacing.AsFastAsPossible,
        DeviceClock? clock = null, bool ownsReader = false, string name = "capture replay")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        _reader = reader;
        _ownsReader = ownsReader;
        Channel = channel;
        Pacing = pacing;
        Clock = clock ?? DeviceClock.System;
        Name = name;
        _pending = GC.AllocateArray<byte>(262144, pinned: false);
    }

    /// <summary>Opens <paramref name="path"/> and replays it (the link owns the reader).</summary>
    public static CaptureReplayLink Open(string path, int channel = 1, CaptureReplayPacing pacing = CaptureReplayPacing.AsFastAsPossible, DeviceClock? clock = null) =>
        new(CaptureReader.Open(path), channel, pacing, clock, ownsReader: true, name: $"replay of {Path.GetFileName(path)}");

    public string Name { get; }

    public bool IsUp => true;

    public long SpeedBitsPerSecond { get; set; } = 10_000_000_000;

    /// <summary>The channel the frames arrive on (the VC bound to receive on it gets them).</summary>
    public int Channel { get; }

    public CaptureReplayPacing Pacing { get; }

    public DeviceClock Clock { get; }

    /// <summary>When set, frames of a link type the NIC cannot carry go here untouched instead of failing the replay.</summary>
    public CapturePassThroughHandler? PassThrough { get; set; }

    /// <summary>Frames delivered to the NIC.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Frames passed through untouched (not carried by the NIC).</summary>
    public long PassedThrough => Interlocked.Read(ref _passedThrough);

    /// <summary>Frames the NIC transmitted toward the capture (discarded).</summary>
    public long DiscardedTransmits => Interlocked.Read(ref _discardedTransmits);

    /// <summary>True once every packet of the capture was delivered or passed through.</summary>
    public bool IsAtEnd => _atEnd && !_hasPending;

    public void Attach(ILinkReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        if (Interlocked.CompareExchange(ref _receiver, receiver, null) is not null)
            throw new InvalidOperationException($"{Name} already has a receiver plugged in.");
    }

    public void Detach(ILinkReceiver receiver) => Interlocked.CompareExchange(ref _receiver, null, receiver);

    public bool Transmit(LinkFrame frame)
    {
        Interlocked.Increment(ref _discardedTransmits);
        return true;
    }

    /// <summary>The NIC has room again; the next <see cref="Pump"/> continues.</summary>
    public void ReceiverReady()
    {
    }

    /// <summary>
    /// Delivers frames until <paramref name="most"/> were delivered, the capture ends, the NIC pauses the link, or (paced)
    /// the next frame is not due yet. Returns the frames delivered by this call. Throws
    /// <see cref="UnsupportedLinkTypeException"/> for a frame the NIC cannot carry when no <see cref="PassThrough"/> is set,
    /// and <see cref="CaptureFormatException"/> for a malformed capture.
    /// </summary>
    public int Pump(int most = int.MaxValue)
    {
        var receiver = Volatile.Read(ref _receiver) ?? throw new InvalidOperationException($"No NIC is plugged into {Name}.");
        int delivered = 0;
        while (delivered < most)
        {
            if (!_hasPending && !ReadNext())
                break;
            if (Pacing == CaptureReplayPacing.Timestamps && !IsDue(_pendingTimestamp))
                break;
            if (!receiver.Receive(new LinkFrame(_pending.AsSpan(0, _pendingLength), Channel, LinkFrameFlags.None, _pendingTimestamp)))
                break; // paused: the frame stays pending
            _hasPending = false;
            delivered++;
            Interlocked.Increment(ref _delivered);
        }
        return delivered;
    }

    /// <summary>Pumps until the capture ends, sleeping (real clock) or yielding until a frame is due or the NIC has room.</summary>
    public void Run(CancellationToken cancellationToken = default)
    {
        while (!IsAtEnd && !cancellationToken.IsCancellationRequested)
        {
            if (Pump() == 0 && !IsAtEnd)
                Thread.Sleep(Clock.IsVirtual ? 1 : 0);
        }
    }

    private bool IsDue(long timestamp)
    {
        if (_firstTimestamp == long.MinValue)
        {
            _firstTimestamp = timestamp;
            _startClock = Clock.NowNanoseconds;
        }
        return Clock.NowNanoseconds - _startClock >= timestamp - _firstTimestamp;
    }

    /// <summary>Reads the next carried frame into the pending buffer; frames of other link types are refused or passed through.</summary>
    private bool ReadNext()
    {
        while (!_atEnd)
        {
            if (!_reader.TryReadPacket(out var packet))
            {
                _atEnd = true;
                return false;
            }
            if ((packet.LinkType & 0x0FFFFFFF) != CaptureRecordLink.EthernetLinkType)
            {
                var handler = PassThrough ?? throw new UnsupportedLinkTypeException(packet.InterfaceIndex, packet.LinkType, _reader.PacketCount);
                handler(packet);
                Interlocked.Increment(ref _passedThrough);
                continue;
            }
            packet.Data.CopyTo(_pending);
            _pendingLength = packet.Data.Length;
            _pendingTimestamp = packet.Timestamp.TryGetUnixNanoseconds(out long ns) ? ns : 0;
            _hasPending = true;
            return true;
        }
        return false;
    }

    public void Dispose()
    {
        if (_ownsReader)
            _reader.Dispose();
    }

    public override string ToString() => Name;
}
