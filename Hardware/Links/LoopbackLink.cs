namespace CoNdis.Hardware.Links;

/// <summary>
/// The embedded default link: a loopback plug. Whatever the NIC transmits comes back into its own receiver on the
/// same channel, byte for byte, inside the transmit call.
/// </summary>
public sealed class LoopbackLink : ILinkPort
{
    private ILinkReceiver? _receiver;
    private volatile bool _up = true;

    public LoopbackLink(string name = "loopback", long speedBitsPerSecond = 10_000_000_000)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(speedBitsPerSecond, 1);
        Name = name;
        SpeedBitsPerSecond = speedBitsPerSecond;
    }

    public string Name { get; }

    public bool IsUp => _up;

    public long SpeedBitsPerSecond { get; }

    public void Attach(ILinkReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        if (Interlocked.CompareExchange(ref _receiver, receiver, null) is not null)
            throw new InvalidOperationException($"{Name} already has a receiver plugged in.");
    }

    public void Detach(ILinkReceiver receiver) => Interlocked.CompareExchange(ref _receiver, null, receiver);

    public bool Transmit(LinkFrame frame)
    {
        if (!_up)
            return true; // no carrier: the frame is lost
        var receiver = _receiver;
        return receiver is null || receiver.Receive(frame);
    }

    public void ReceiverReady() => _receiver?.TransmitReady();

    /// <summary>Pulls the plug out (false) or puts it back (true).</summary>
    public void SetLinkState(bool up)
    {
        if (_up == up)
            return;
        _up = up;
        _receiver?.LinkStateChanged();
    }

    public override string ToString() => Name;
}
