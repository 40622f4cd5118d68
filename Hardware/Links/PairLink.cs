namespace CoNdis.Hardware.Links;

/// <summary>
/// A cable between two NICs (two hosts in one process): what port A transmits arrives at port B's receiver and the
/// other way round, on the same channel, byte for byte; a receiver with a full FIFO pauses the far transmitter
/// (802.3x) until it has room again.
/// </summary>
public sealed class PairLink
{
    private volatile bool _up = true;

    public PairLink(string name = "pair", long speedBitsPerSecond = 10_000_000_000)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(speedBitsPerSecond, 1);
        Name = name;
        SpeedBitsPerSecond = speedBitsPerSecond;
        var a = new End(this, $"{name} A");
        var b = new End(this, $"{name} B");
        a.Peer = b;
        b.Peer = a;
        A = a;
        B = b;
    }

    public string Name { get; }

    public long SpeedBitsPerSecond { get; }

    /// <summary>One end.</summary>
    public ILinkPort A { get; }

    /// <summary>The other end.</summary>
    public ILinkPort B { get; }

    /// <summary>Carrier on the cable.</summary>
    public bool IsUp => _up;

    /// <summary>Unplugs the cable (false) or plugs it back (true); both NICs see the change.</summary>
    public void SetLinkState(bool up)
    {
        if (_up == up)
            return;
        _up = up;
        ((End)A).Notify();
        ((End)B).Notify();
    }

    public override string ToString() => Name;

    private sealed class End(PairLink link, string name) : ILinkPort
    {
        private ILinkReceiver? _receiver;

        public End? Peer { get; set; }

        public string Name { get; } = name;

        public bool IsUp => link._up;

        public long SpeedBitsPerSecond => link.SpeedBitsPerSecond;

        public void Attach(ILinkReceiver receiver)
        {
            ArgumentNullException.ThrowIfNull(receiver);
            if (Interlocked.CompareExchange(ref _receiver, receiver, null) is not null)
                throw new InvalidOperationException($"{Name} already has a receiver plugged in.");
        }

        public void Detach(ILinkReceiver receiver) => Interlocked.CompareExchange(ref _receiver, null, receiver);

        public bool Transmit(LinkFrame frame)
        {
            if (!link._up)
                return true;
            var far = Volatile.Read(ref Peer!._receiver);
            return far is null || far.Receive(frame);
        }

        public void ReceiverReady() => Volatile.Read(ref Peer!._receiver)?.TransmitReady();

        public void Notify() => Volatile.Read(ref _receiver)?.LinkStateChanged();

        public override string ToString() => Name;
    }
}
