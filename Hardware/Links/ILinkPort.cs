namespace CoNdis.Hardware.Links;

/// <summary>
/// One end of a link, where a NIC plugs in (a PHY port): it carries frames with a channel id beside each, reports
/// carrier and speed, and applies 802.3x-style flow control (a refused transmit is retried after
/// <see cref="ILinkReceiver.TransmitReady"/>). Links: loopback, pair, capture replay and record, fault injector.
/// </summary>
public interface ILinkPort
{
    /// <summary>A name for messages.</summary>
    string Name { get; }

    /// <summary>Carrier: frames transmitted while down are lost.</summary>
    bool IsUp { get; }

    /// <summary>Line rate in bits per second.</summary>
    long SpeedBitsPerSecond { get; }

    /// <summary>Plugs <paramref name="receiver"/> in (one per port).</summary>
    void Attach(ILinkReceiver receiver);

    /// <summary>Unplugs it.</summary>
    void Detach(ILinkReceiver receiver);

    /// <summary>
    /// Puts a frame on the wire; true when the link took it (it may still be lost on the way), false when the far end
    /// cannot take it now (flow control): the caller keeps it and retries after <see cref="ILinkReceiver.TransmitReady"/>.
    /// </summary>
    bool Transmit(LinkFrame frame);

    /// <summary>The attached receiver has room again after refusing a frame; the link tells the far end's transmitter.</summary>
    void ReceiverReady();
}
