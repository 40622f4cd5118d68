using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Nic;

/// <summary>What <see cref="INicPersonality.TransmitFrame"/> did with a gathered frame.</summary>
internal enum PersonalityTransmit
{
    /// <summary>Taken (copied into the device's own memory): the descriptor is written back done.</summary>
    Accepted,
    /// <summary>No room now: the frame stays on the ring and is offered again after the device made room.</summary>
    NoRoom,
    /// <summary>Cannot be sent (no open connection, too long for it): written back with an error.</summary>
    Refused,
}

/// <summary>
/// A medium the NIC speaks on the wire other than "frames with a channel": an ATM SAR, which segments each gathered
/// frame into cells and reassembles cells into frames before the DMA write. It sits between the engine and the link
/// port; rings, DMA, interrupts, moderation, faults and the miniports stay as they are. The driver side programs its
/// connections at VC activation (<see cref="OpenChannels"/>) and the integrated call manager takes its signalling
/// from it. Everything but <see cref="Receive"/> runs on the engine (one pass at a time); <see cref="Receive"/> runs
/// on the far transmitter's thread; <see cref="OpenChannels"/>/<see cref="CloseChannels"/> on the driver's.
/// </summary>
internal interface INicPersonality
{
    /// <summary>The NIC powered up at <paramref name="nowNanoseconds"/> on its clock.</summary>
    void Start(long nowNanoseconds);

    /// <summary>A frame the DMA engine gathered for <paramref name="channel"/>.</summary>
    PersonalityTransmit TransmitFrame(ReadOnlySpan<byte> frame, int channel);

    /// <summary>Puts what is due on the wire; true when it did anything.</summary>
    bool Pump(long nowNanoseconds);

    /// <summary>When the personality next has something to do (device clock, ns), or −1.</summary>
    long NextDeadline(long nowNanoseconds);

    /// <summary>A unit from the wire (a cell); false refuses it for now (flow control), as <see cref="ILinkReceiver.Receive"/>.</summary>
    bool Receive(LinkFrame unit);

    /// <summary>The far end has room again.</summary>
    void TransmitReady();

    /// <summary>The device reset: everything held is dropped.</summary>
    void Reset();

    /// <summary>MiniportCoActivateVc: opens the connection the parameters describe; the channels the miniport binds the VC to.</summary>
    NdisStatus OpenChannels(CoCallParameters? parameters, int previousChannel, out ChannelBinding channels);

    /// <summary>The VC on <paramref name="channel"/> is gone (deactivated and drained, or deleted).</summary>
    void CloseChannels(int channel);

    /// <summary>Opens the integrated call manager's own signalling channel.</summary>
    void OpenSignallingChannel(int channel, int maximumMessageLength);

    /// <summary>The signalling the integrated call manager of a miniport on this NIC runs.</summary>
    ICallSignaling CreateCallSignaling(ICallSignalingHost host);
}
