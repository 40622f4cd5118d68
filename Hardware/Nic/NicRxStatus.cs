namespace CoNdis.Hardware.Nic;

/// <summary>Status and error bits the NIC writes back into a receive descriptor (STATUS and ERRORS fields).</summary>
[Flags]
public enum NicRxStatus : ushort
{
    None = 0,
    /// <summary>DD: the descriptor holds a received frame.</summary>
    Done = 0x0001,
    /// <summary>EOP: the whole frame is in this buffer.</summary>
    EndOfPacket = 0x0002,
    /// <summary>VP: an 802.1Q tag was stripped; it is in <see cref="NicRxDescriptor.VlanTag"/>.</summary>
    VlanStripped = 0x0004,
    /// <summary>The frame carries IPv4.</summary>
    IPv4 = 0x0008,
    /// <summary>The frame carries IPv6.</summary>
    IPv6 = 0x0010,
    /// <summary>IPCS: the IPv4 header checksum was checked.</summary>
    IpChecksumChecked = 0x0020,
    /// <summary>TCPCS (TCP): the TCP checksum was checked.</summary>
    TcpChecksumChecked = 0x0040,
    /// <summary>TCPCS (UDP): the UDP checksum was checked.</summary>
    UdpChecksumChecked = 0x0080,
    /// <summary>IPE: the IPv4 header checksum is wrong.</summary>
    IpChecksumError = 0x0100,
    /// <summary>TCPE: the TCP or UDP checksum is wrong.</summary>
    L4ChecksumError = 0x0200,
}
