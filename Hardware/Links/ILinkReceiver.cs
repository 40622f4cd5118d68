namespace CoNdis.Hardware.Links;

/// <summary>What sits on a link port and hears from it: a NIC (its PHY and MAC receive side).</summary>
public interface ILinkReceiver
{
    /// <summary>
    /// A frame arrives. False means "no room now" (the receive FIFO is full and flow control is on): the transmitter
    /// keeps the frame and pauses; once the receiver has room it calls <see cref="ILinkPort.ReceiverReady"/> and the
    /// far end's receiver hears <see cref="TransmitReady"/>.
    /// </summary>
    bool Receive(LinkFrame frame);

    /// <summary>The port's <see cref="ILinkPort.IsUp"/> or speed changed.</summary>
    void LinkStateChanged();

    /// <summary>The far end has room again after a refused <see cref="ILinkPort.Transmit"/> (PAUSE released).</summary>
    void TransmitReady();
}
