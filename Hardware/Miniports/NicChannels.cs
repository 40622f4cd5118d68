using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Miniports;

/// <summary>
/// Where the reference miniports' VC activation meets the NIC: the channels a VC's call parameters bind, read by the
/// NIC's personality when it has one (an ATM SAR opens the VPI/VCI of ATM_MEDIA_PARAMETERS), otherwise the device's
/// own channel binding (<see cref="DeviceCallParameters.TryGetChannels"/>).
/// </summary>
internal static class NicChannels
{
    /// <summary>Programs the NIC for a VC being activated; SUCCESS with the channels to bind, or the status the activation fails with.</summary>
    public static NdisStatus Open(SimulatedNic nic, CoCallParameters? parameters, int previousChannel, out ChannelBinding channels)
    {
        if (nic.Personality is { } personality)
            return personality.OpenChannels(parameters, previousChannel, out channels);
        return DeviceCallParameters.TryGetChannels(parameters, out channels) ? NdisStatus.Success : NdisStatus.InvalidData;
    }

    /// <summary>
    /// A VC's activation: opens what its parameters describe, binds it with <paramref name="bind"/>, then closes on
    /// the NIC whichever channel the VC no longer uses (its previous one after a rebinding, the new one when binding failed).
    /// </summary>
    public static NdisStatus Activate(SimulatedNic nic, CoCallParameters? parameters, int previousChannel, Func<ChannelBinding, NdisStatus> bind)
    {
        var status = Open(nic, parameters, previousChannel, out var channels);
        if (status != NdisStatus.Success)
            return status;
        status = bind(channels);
        if (status == NdisStatus.Success && previousChannel >= 0 && previousChannel != channels.Transmit)
            Close(nic, previousChannel);
        else if (status != NdisStatus.Success && channels.Transmit != previousChannel)
            Close(nic, channels.Transmit);
        return status;
    }

    /// <summary>The VC bound to <paramref name="channel"/> is gone (−1: it was not bound).</summary>
    public static void Close(SimulatedNic nic, int channel)
    {
        if (channel >= 0)
            nic.Personality?.CloseChannels(channel);
    }

    /// <summary>The signalling the integrated call manager of a miniport on <paramref name="nic"/> runs.</summary>
    public static ICallSignaling CreateSignaling(SimulatedNic nic, ICallSignalingHost host) =>
        nic.Personality?.CreateCallSignaling(host) ?? new CallSignaling(host, nic.Options.Channels);

    /// <summary>Opens the integrated call manager's own signalling channel on the NIC.</summary>
    public static void OpenSignalling(SimulatedNic nic, ICallSignaling signalling) =>
        nic.Personality?.OpenSignallingChannel(signalling.SignallingChannel, signalling.MaximumMessageLength);
}
