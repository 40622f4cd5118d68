namespace CoNdis.Hardware.Capture;

/// <summary>
/// A capture file the readers refuse: names the byte offset in the file where the problem is and what is wrong.
/// The message is one line: <c>offset N: what is wrong</c>.
/// </summary>
public sealed class CaptureFormatException : Exception
{
    public CaptureFormatException()
        : this("the capture file is malformed")
    {
    }

    public CaptureFormatException(string message)
        : base(message)
    {
        Problem = message;
    }

    public CaptureFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    public CaptureFormatException(long offset, string problem)
        : base($"offset {offset}: {problem}")
    {
        Offset = offset;
        Problem = problem;
    }

    /// <summary>Byte offset in the file (from its first byte) of the header, record or block that is wrong; -1 if unknown.</summary>
    public long Offset { get; } = -1;

    /// <summary>What is wrong, without the offset.</summary>
    public string Problem { get; }
}
