namespace CoNdis.Hardware.Nic;

/// <summary>
/// One receive descriptor: the driver posts a buffer (address and size) by moving the ring's tail; the device
/// DMA-writes a frame into it and writes length, status, stripped VLAN tag and channel back.
/// </summary>
public record struct NicRxDescriptor
{
    /// <summary>Buffer address the device writes the frame to.</summary>
    public nint BufferAddress { get; set; }

    /// <summary>Size of the posted buffer.</summary>
    public int BufferLength { get; set; }

    /// <summary>Written back: bytes of frame in the buffer.</summary>
    public int Length { get; set; }

    /// <summary>Written back: status and checksum result bits.</summary>
    public NicRxStatus Status { get; set; }

    /// <summary>Written back: the stripped 802.1Q TCI when <see cref="NicRxStatus.VlanStripped"/>.</summary>
    public ushort VlanTag { get; set; }

    /// <summary>Written back: the link channel the frame came in on.</summary>
    public int Channel { get; set; }
}
