namespace CoNdis.Hardware.Links;

/// <summary>
/// A link element that sits between a NIC and another port (a tap, a fault injector): it is the NIC's port and the
/// inner port's receiver, and passes carrier, frames coming in and flow-control signals through.
/// </summary>
public abstract class LinkDecorator : ILinkPort, ILinkReceiver
{
    private ILinkReceiver? _receiver;

    protected LinkDecorator(ILinkPort inner, string name)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(name);
        Inner = inner;
        Name = name;
    }

    /// <summary>The port this one wraps.</summary>
    public ILinkPort Inner { get; }

    public string Name { get; }

    public virtual bool IsUp => Inner.IsUp;

    public long SpeedBitsPerSecond => Inner.SpeedBitsPerSecond;

    /// <summary>The NIC plugged in here.</summary>
    protected ILinkReceiver? Receiver => Volatile.Read(ref _receiver);

    public void Attach(ILinkReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        if (Interlocked.CompareExchange(ref _receiver, receiver, null) is not null)
            throw new InvalidOperationException($"{Name} already has a receiver plugged in.");
        Inner.Attach(this);
    }

    public void Detach(ILinkReceiver receiver)
    {
        if (Interlocked.CompareExchange(ref _receiver, null, receiver) == receiver)
            Inner.Detach(this);
    }

    public abstract bool Transmit(LinkFrame frame);

    public void ReceiverReady() => Inner.ReceiverReady();

    /// <summary>A frame from the inner port toward the NIC.</summary>
    public virtual bool Receive(LinkFrame frame)
    {
        var receiver = Receiver;
        return receiver is null || receiver.Receive(frame);
    }

    public virtual void LinkStateChanged() => Receiver?.LinkStateChanged();

    public void TransmitReady() => Receiver?.TransmitReady();

    public override string ToString() => Name;
}
