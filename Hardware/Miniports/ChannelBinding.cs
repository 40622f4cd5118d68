namespace CoNdis.Hardware.Miniports;

/// <summary>
/// The link channels a VC is bound to at activation: the one its frames go out on and the one it receives on (a
/// pair of VCIs, one per direction). Carried in the call parameters' media-specific part.
/// </summary>
public readonly record struct ChannelBinding(int Transmit, int Receive)
{
    /// <summary>The signalling channel both call managers talk on.</summary>
    public const int Signalling = 0;

    /// <summary>A VC that sends and receives on <paramref name="channel"/>.</summary>
    public static ChannelBinding Both(int channel) => new(channel, channel);
}
