using CoNdis.Hardware.Links;

namespace CoNdis.TestDrivers.Device;

/// <summary>
/// The conformance rig's view of the cable at the NIC's port (a link decorator, as a tap or a switch port is): it
/// records the frames the NIC puts on the wire (what the miniport sent, as the wire saw it), answers with 802.3x PAUSE
/// while <see cref="Paused"/> (the NIC keeps its transmit descriptors and the driver its queue: flow control, a
/// device's own way of holding sends), and lets the rig put frames on the wire toward the NIC (what a far end sends).
/// </summary>
public sealed class DeviceWire : LinkDecorator
{
    private readonly object _sync = new();
    private readonly List<byte[]> _sent = [];
    private readonly HashSet<int> _unrecorded = [];
    private volatile bool _paused;
    private long _pausesAnswered;

    public DeviceWire(ILinkPort inner, string name = "conformance wire")
        : base(inner, name)
    {
    }

    /// <summary>Keep a copy of every frame transmitted (on the channels not excluded).</summary>
    public bool Record { get; set; } = true;

    /// <summary>Frames transmitted on recorded channels, in wire order.</summary>
    public IReadOnlyList<byte[]> SentFrames
    {
        get { lock (_sync) return [.. _sent]; }
    }

    /// <summary>Transmit attempts answered with PAUSE.</summary>
    public long PausesAnswered => Interlocked.Read(ref _pausesAnswered);

    /// <summary>While true the link partner answers every frame with PAUSE: the NIC stops transmitting and keeps its descriptors.</summary>
    public bool Paused => _paused;

    /// <summary>Frames on <paramref name="channel"/> are not recorded (the rig's own traffic).</summary>
    public void ExcludeFromRecord(int channel)
    {
        lock (_sync)
            _unrecorded.Add(channel);
    }

    /// <summary>The link partner starts answering with PAUSE.</summary>
    public void Pause() => _paused = true;

    /// <summary>The link partner has room again: the NIC hears it (and, inline, transmits what it held before this returns).</summary>
    public void Resume()
    {
        _paused = false;
        TransmitReady();
    }

    /// <summary>A frame arrives from the wire on <paramref name="channel"/> (what the far end, or the loopback plug, delivers).</summary>
    public bool Deliver(ReadOnlySpan<byte> frame, int channel) => Receive(new LinkFrame(frame, channel));

    public override bool Transmit(LinkFrame frame)
    {
        if (_paused)
        {
            Interlocked.Increment(ref _pausesAnswered);
            return false;
        }
        if (!Inner.Transmit(frame))
            return false; // the far end paused: the NIC retries, so the frame is recorded when it finally goes
        if (Record)
        {
            lock (_sync)
            {
                if (!_unrecorded.Contains(frame.Channel))
                    _sent.Add(frame.Data.ToArray());
            }
        }
        return true;
    }
}
