namespace Condis.Cli;

/// <summary>
/// One frame of a <see cref="FrameBatch"/>: where its bytes are in the batch's pinned arena (as the client sends them,
/// an 802.1Q tag taken out into <see cref="Tag"/>), what it carries beside the bytes (the capture record's interface,
/// timestamp, original length and pcapng options, which never cross the device) and whether the device carries it.
/// </summary>
internal struct FrameSlot
{
    /// <summary>1-based packet number in its input.</summary>
    public long Number;

    /// <summary>Offset of the frame's bytes in the arena.</summary>
    public int Offset;

    /// <summary>Bytes stored: the frame as the client sends it (tag out), or the whole record for a pass-through.</summary>
    public int Length;

    /// <summary>Ieee8021QNetBufferListInfo value of the tag taken out of the frame (0: none).</summary>
    public uint Tag;

    /// <summary>TcpIpChecksumNetBufferListInfo transmit bits the client asks the NIC for (0: none; the demo's traffic).</summary>
    public uint ChecksumRequest;

    public PassThroughReason PassThrough;

    public int InterfaceIndex;

    /// <summary>The capture interface (the reader's object: the writers know interfaces by it).</summary>
    public CoNdis.Hardware.Capture.CaptureInterface? Interface;

    public uint LinkType;

    public uint OriginalLength;

    public long Seconds;

    public int Nanoseconds;

    public bool HasTimestamp;

    /// <summary>The record's pcapng options in the arena (normalised TLVs), or length 0.</summary>
    public int OptionsOffset;

    public int OptionsLength;
}
