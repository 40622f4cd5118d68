namespace CoNdis.Hardware.Capture;

/// <summary>Limits and callbacks for a <see cref="CaptureReader"/>.</summary>
public sealed class CaptureReaderOptions
{
    /// <summary>The default largest buffer a length field may ask for: 256 KiB, Wireshark's largest standard packet.</summary>
    public const int DefaultMaxAllocation = 256 * 1024;

    /// <summary>
    /// The largest pcap record (captured length) or pcapng block (total length) accepted, in bytes. No length field read
    /// from a file makes the reader allocate more than this; a larger one is a <see cref="CaptureFormatException"/>.
    /// </summary>
    public int MaxAllocation { get; init; } = DefaultMaxAllocation;

    /// <summary>Called with (bytes read so far, total bytes or -1 when the stream cannot tell) every <see cref="ProgressInterval"/> bytes and at the end.</summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>How many bytes between two <see cref="Progress"/> calls (1 MiB by default).</summary>
    public long ProgressInterval { get; init; } = 1 << 20;
}
