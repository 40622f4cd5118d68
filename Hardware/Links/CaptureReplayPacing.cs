namespace CoNdis.Hardware.Links;

/// <summary>How a capture replay link spaces the frames it delivers.</summary>
public enum CaptureReplayPacing
{
    /// <summary>Back to back, as fast as the receiver takes them.</summary>
    AsFastAsPossible,
    /// <summary>At the capture's own timestamps, relative to the first frame, on the device clock.</summary>
    Timestamps,
}
