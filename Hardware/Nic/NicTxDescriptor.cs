namespace CoNdis.Hardware.Nic;

/// <summary>
/// One transmit descriptor, as on a real NIC: the driver fills address, length, command bits, VLAN tag and channel
/// and hands the slot to the device by moving the ring's tail; the device DMA-reads the buffer and writes
/// <see cref="Status"/> back. A frame spans one descriptor per scatter-gather element, the last marked
/// <see cref="NicTxCommand.EndOfPacket"/>; command bits, tag and channel are read from the first.
/// </summary>
public record struct NicTxDescriptor
{
    /// <summary>Buffer address (the "physical" address of an SG element: MDL memory is pinned, so addresses are stable).</summary>
    public nint BufferAddress { get; set; }

    /// <summary>Bytes at <see cref="BufferAddress"/>.</summary>
    public int Length { get; set; }

    /// <summary>Command bits.</summary>
    public NicTxCommand Command { get; set; }

    /// <summary>802.1Q TCI to insert when <see cref="NicTxCommand.InsertVlan"/> is set (priority 3 bits, CFI, VLAN ID 12 bits).</summary>
    public ushort VlanTag { get; set; }

    /// <summary>The link channel the frame goes out on (the VC the call manager bound).</summary>
    public int Channel { get; set; }

    /// <summary>Written back by the device.</summary>
    public NicTxStatus Status { get; set; }
}
