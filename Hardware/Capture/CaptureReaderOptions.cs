namespace CoNdis.Hardware.Capture;

/// <summary>Limits and callbacks for a <see cref="CaptureReader"/>.</summary>
public sealed class CaptureReaderOptions
{
    /// <summary>
    /// The default largest captured length of one packet: 262,144 bytes, Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD
    /// (libpcap.c refuses a record above it, pcapng.c a packet block above it, for every standard link type).
    /// </summary>
    public const int DefaultMaxPacketLength = 262_144;

    /// <summary>Room for options that Wireshark allows in a block besides its packet: 128 KiB (pcapng.c's MAX_BLOCK_SIZE).</summary>
    public const int OptionsAllowance = 131_072;

    /// <summary>The fixed part of an Enhanced Packet Block: header, five fields and the trailing length.</summary>
    public const int EnhancedPacketOverhead = 32;

    /// <summary>The default largest pcapng block held in memory: an EPB with a largest packet and 128 KiB of options.</summary>
    public const int DefaultMaxBlockLength = EnhancedPacketOverhead + DefaultMaxPacketLength + OptionsAllowance;

    /// <summary>
    /// Wireshark's largest pcapng block (pcapng.c MAX_BLOCK_SIZE: an EPB with a 128 MiB D-Bus packet and 128 KiB of
    /// options). Blocks the reader skips (NRB, ISB, DSB, custom, unknown) are streamed over up to this length without
    /// being held in memory; a longer one is refused as Wireshark refuses it.
    /// </summary>
    public const long WiresharkMaxBlockLength = EnhancedPacketOverhead + (128L * 1024 * 1024) + OptionsAllowance;

    /// <summary>
    /// The largest captured length accepted for one packet (a pcap record's caplen, a pcapng packet block's captured
    /// length). A larger one is refused with a <see cref="CaptureFormatException"/> before anything is allocated for it.
    /// </summary>
    public int MaxPacketLength { get; init; } = DefaultMaxPacketLength;

    /// <summary>
    /// The largest pcapng block the reader holds in memory (packet blocks, SHB, IDB): no length field read from a file
    /// makes the reader allocate more than this (plus one pcap record header). A longer one is refused.
    /// </summary>
    public int MaxBlockLength { get; init; } = DefaultMaxBlockLength;

    /// <summary>Called with (bytes read so far, total bytes or -1 when the stream cannot tell) every <see cref="ProgressInterval"/> bytes and at the end.</summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>How many bytes between two <see cref="Progress"/> calls (1 MiB by default).</summary>
    public long ProgressInterval { get; init; } = 1 << 20;
}
