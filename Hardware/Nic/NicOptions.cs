namespace CoNdis.Hardware.Nic;

/// <summary>
/// What the simulated NIC is built with (its EEPROM and the driver's registry keywords in one place): ring sizes,
/// frame and scatter-gather limits, interrupt moderation, offloads, flow control and where it runs.
/// </summary>
public sealed record NicOptions
{
    /// <summary>Transmit descriptors (a power of two).</summary>
    public int TransmitRingSize { get; init; } = 256;

    /// <summary>Receive descriptors (a power of two).</summary>
    public int ReceiveRingSize { get; init; } = 256;

    /// <summary>Longest frame on the wire, tag included.</summary>
    public int MaximumFrameSize { get; init; } = 9216;

    /// <summary>Most SG elements the DMA engine takes per frame; beyond it the frame is bounce-copied into one buffer.</summary>
    public int MaximumScatterGatherElements { get; init; } = 16;

    /// <summary>Bounce buffers (each <see cref="MaximumFrameSize"/> bytes).</summary>
    public int BounceBuffers { get; init; } = 16;

    /// <summary>Frames the receive FIFO holds when no receive descriptor is posted.</summary>
    public int ReceiveFifoFrames { get; init; } = 64;

    /// <summary>Where the device and its DPC run.</summary>
    public NicCompletionMode CompletionMode { get; init; } = NicCompletionMode.DeviceThread;

    /// <summary>Interrupt moderation: interrupt after this many completed transmit or receive descriptors…</summary>
    public int ModerationPackets { get; init; } = 1;

    /// <summary>…or this long after the first one not yet signalled, whichever comes first (zero: no timer).</summary>
    public TimeSpan ModerationTime { get; init; } = TimeSpan.Zero;

    /// <summary>Strip 802.1Q tags on receive into the descriptor (VLAN strip); off: tagged frames arrive as they are.</summary>
    public bool StripVlanTags { get; init; } = true;

    /// <summary>Verify IPv4, TCP and UDP checksums on receive.</summary>
    public bool ReceiveChecksumOffload { get; init; } = true;

    /// <summary>Insert checksums on transmit when a descriptor asks.</summary>
    public bool TransmitChecksumOffload { get; init; } = true;

    /// <summary>802.3x flow control: a full receive FIFO pauses the far end's transmitter instead of dropping.</summary>
    public bool FlowControl { get; init; } = true;

    /// <summary>Frames the device transmits per pass before it looks at its receive side and interrupts.</summary>
    public int TransmitBudget { get; init; } = 64;

    /// <summary>Link channels the receive side demultiplexes (channel 0 is signalling).</summary>
    public int Channels { get; init; } = 4096;

    /// <summary>Checks the options; throws ArgumentException naming the bad one.</summary>
    public void Validate()
    {
        static void PowerOfTwo(int value, string name)
        {
            if (value < 2 || (value & (value - 1)) != 0)
                throw new ArgumentException($"{name} must be a power of two of at least 2, not {value}.", name);
        }
        PowerOfTwo(TransmitRingSize, nameof(TransmitRingSize));
        PowerOfTwo(ReceiveRingSize, nameof(ReceiveRingSize));
        if (MaximumFrameSize is < 64 or > 262144 + 4)
            throw new ArgumentException($"MaximumFrameSize must be from 64 to 262148 bytes, not {MaximumFrameSize}.", nameof(MaximumFrameSize));
        if (MaximumScatterGatherElements < 1)
            throw new ArgumentException($"MaximumScatterGatherElements must be at least 1, not {MaximumScatterGatherElements}.", nameof(MaximumScatterGatherElements));
        if (BounceBuffers < 1)
            throw new ArgumentException($"BounceBuffers must be at least 1, not {BounceBuffers}.", nameof(BounceBuffers));
        if (ReceiveFifoFrames < 1)
            throw new ArgumentException($"ReceiveFifoFrames must be at least 1, not {ReceiveFifoFrames}.", nameof(ReceiveFifoFrames));
        if (ModerationPackets < 1)
            throw new ArgumentException($"ModerationPackets must be at least 1, not {ModerationPackets}.", nameof(ModerationPackets));
        if (ModerationTime < TimeSpan.Zero)
            throw new ArgumentException($"ModerationTime must not be negative ({ModerationTime}).", nameof(ModerationTime));
        if (TransmitBudget < 1)
            throw new ArgumentException($"TransmitBudget must be at least 1, not {TransmitBudget}.", nameof(TransmitBudget));
        if (Channels is < 2 or > 1 << 20)
            throw new ArgumentException($"Channels must be from 2 to 2^20, not {Channels}.", nameof(Channels));
    }
}
