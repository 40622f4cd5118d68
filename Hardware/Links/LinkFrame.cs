namespace CoNdis.Hardware.Links;

/// <summary>
/// One frame on a link: its bytes exactly as the transmitter put them on the wire, the channel beside them (the VC
/// the call manager bound; on ATM this would be the VPI/VCI), what the wire did to it and when it was sent. Only
/// valid during the call it is passed to: a link or receiver that keeps it copies it.
/// </summary>
public readonly ref struct LinkFrame
{
    public LinkFrame(ReadOnlySpan<byte> data, int channel, LinkFrameFlags flags = LinkFrameFlags.None, long timestampNanoseconds = 0)
    {
        Data = data;
        Channel = channel;
        Flags = flags;
        TimestampNanoseconds = timestampNanoseconds;
    }

    /// <summary>The frame's bytes.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The link channel.</summary>
    public int Channel { get; }

    public LinkFrameFlags Flags { get; }

    /// <summary>When it was put on the wire (device clock, ns since 1970), or 0.</summary>
    public long TimestampNanoseconds { get; }

    /// <summary>The same frame with other flags.</summary>
    public LinkFrame WithFlags(LinkFrameFlags flags) => new(Data, Channel, flags, TimestampNanoseconds);
}
