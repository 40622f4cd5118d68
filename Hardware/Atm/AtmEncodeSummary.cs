namespace CoNdis.Hardware.Atm;

/// <summary>What <see cref="AtmCaptureEncoder.EncodeAll"/> did with a capture.</summary>
public readonly record struct AtmEncodeSummary(
    long PacketsRead,
    long FramesEncoded,
    long SkippedLinkType,
    long SkippedTruncated,
    long SkippedNotCarried,
    long RecordsWritten,
    long Cells);
