namespace CoNdis.Hardware.Nic;

/// <summary>
/// Command bits of a transmit descriptor (the CMD byte of an e1000-style legacy TX descriptor): end of packet, the
/// checksums the NIC must insert, and whether to insert the descriptor's VLAN tag.
/// </summary>
[Flags]
public enum NicTxCommand : byte
{
    None = 0,
    /// <summary>EOP: the last descriptor of a frame.</summary>
    EndOfPacket = 0x01,
    /// <summary>IC (IPv4): compute and insert the IPv4 header checksum.</summary>
    InsertIpChecksum = 0x02,
    /// <summary>Compute and insert the TCP checksum (IPv4 or IPv6 pseudo-header).</summary>
    InsertTcpChecksum = 0x04,
    /// <summary>Compute and insert the UDP checksum (IPv4 or IPv6 pseudo-header).</summary>
    InsertUdpChecksum = 0x08,
    /// <summary>VLE: insert an 802.1Q tag with the descriptor's <see cref="NicTxDescriptor.VlanTag"/> after the MAC addresses.</summary>
    InsertVlan = 0x40,
}
