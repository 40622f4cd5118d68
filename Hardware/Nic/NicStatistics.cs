namespace CoNdis.Hardware.Nic;

/// <summary>
/// The NIC's statistics registers at one moment (what a driver reads to answer OID_GEN_XMIT_OK, RCV_OK, the
/// error and no-buffer counts and the byte counts), and the device's own work: DMA copies (the hardware's copies,
/// counted apart from NDIS's <c>CopyCounters</c>), bounce copies, interrupts, resets.
/// </summary>
public readonly record struct NicStatistics
{
    public long TransmittedFrames { get; init; }
    public long TransmittedBytes { get; init; }
    /// <summary>Frames not transmitted (no carrier, too long, malformed, aborted by a reset).</summary>
    public long TransmitErrors { get; init; }
    public long ReceivedFrames { get; init; }
    public long ReceivedBytes { get; init; }
    /// <summary>Frames discarded on receive for a bad FCS or for being too long.</summary>
    public long ReceiveErrors { get; init; }
    /// <summary>Of those, bad FCS.</summary>
    public long ReceiveFcsErrors { get; init; }
    /// <summary>Frames dropped because no receive buffer was posted and the FIFO was full (flow control off or overrun).</summary>
    public long ReceiveNoBuffer { get; init; }
    /// <summary>Frames lost from the receive FIFO by a reset or link down.</summary>
    public long ReceiveFlushed { get; init; }
    /// <summary>DMA transfers (a TX gather of one frame, or an RX write of one frame, each counted once).</summary>
    public long DmaCopies { get; init; }
    public long DmaBytes { get; init; }
    /// <summary>Frames copied into a bounce buffer because they had more SG elements than the DMA engine takes.</summary>
    public long BounceCopies { get; init; }
    public long BounceBytes { get; init; }
    public long Interrupts { get; init; }
    public long Resets { get; init; }
    /// <summary>Times the transmitter paused because the far end's receive FIFO was full (802.3x PAUSE).</summary>
    public long FlowControlPauses { get; init; }
    /// <summary>Transmitted frames whose IPv4/TCP/UDP checksum the NIC inserted.</summary>
    public long ChecksumsInserted { get; init; }
    /// <summary>Received frames whose checksums the NIC verified (good or bad).</summary>
    public long ChecksumsVerified { get; init; }
}
