namespace CoNdis.LegacyPacket;

/// <summary>
/// NDIS_TCP_IP_CHECKSUM_PACKET_INFO (ndis.h), the value stored in the TcpIpChecksumPacketInfo slot.
/// Transmit and receive views overlay the same ULONG as the C union does; their bits match the first
/// five (transmit) and seven (receive) bits of the NDIS 6 NBL checksum info
/// (NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO, nblchecksum.h).
/// </summary>
public struct NdisTcpIpChecksumPacketInfo : IEquatable<NdisTcpIpChecksumPacketInfo>
{
    public NdisTcpIpChecksumPacketInfo(uint value) => Value = value;

    /// <summary>The raw ULONG.</summary>
    public uint Value { get; set; }

    /// <summary>Transmit.NdisPacketChecksumV4.</summary>
    public bool NdisPacketChecksumV4 { readonly get => Bit(0); set => SetBit(0, value); }

    /// <summary>Transmit.NdisPacketChecksumV6.</summary>
    public bool NdisPacketChecksumV6 { readonly get => Bit(1); set => SetBit(1, value); }

    /// <summary>Transmit.NdisPacketTcpChecksum.</summary>
    public bool NdisPacketTcpChecksum { readonly get => Bit(2); set => SetBit(2, value); }

    /// <summary>Transmit.NdisPacketUdpChecksum.</summary>
    public bool NdisPacketUdpChecksum { readonly get => Bit(3); set => SetBit(3, value); }

    /// <summary>Transmit.NdisPacketIpChecksum.</summary>
    public bool NdisPacketIpChecksum { readonly get => Bit(4); set => SetBit(4, value); }

    /// <summary>Receive.NdisPacketTcpChecksumFailed.</summary>
    public bool NdisPacketTcpChecksumFailed { readonly get => Bit(0); set => SetBit(0, value); }

    /// <summary>Receive.NdisPacketUdpChecksumFailed.</summary>
    public bool NdisPacketUdpChecksumFailed { readonly get => Bit(1); set => SetBit(1, value); }

    /// <summary>Receive.NdisPacketIpChecksumFailed.</summary>
    public bool NdisPacketIpChecksumFailed { readonly get => Bit(2); set => SetBit(2, value); }

    /// <summary>Receive.NdisPacketTcpChecksumSucceeded.</summary>
    public bool NdisPacketTcpChecksumSucceeded { readonly get => Bit(3); set => SetBit(3, value); }

    /// <summary>Receive.NdisPacketUdpChecksumSucceeded.</summary>
    public bool NdisPacketUdpChecksumSucceeded { readonly get => Bit(4); set => SetBit(4, value); }

    /// <summary>Receive.NdisPacketIpChecksumSucceeded.</summary>
    public bool NdisPacketIpChecksumSucceeded { readonly get => Bit(5); set => SetBit(5, value); }

    /// <summary>Receive.NdisPacketLoopback.</summary>
    public bool NdisPacketLoopback { readonly get => Bit(6); set => SetBit(6, value); }

    private readonly bool Bit(int bit) => (Value & (1u << bit)) != 0;

    private void SetBit(int bit, bool on) => Value = on ? Value | (1u << bit) : Value & ~(1u << bit);

    /// <inheritdoc />
    public readonly bool Equals(NdisTcpIpChecksumPacketInfo other) => Value == other.Value;

    /// <inheritdoc />
    public override readonly bool Equals(object? obj) => obj is NdisTcpIpChecksumPacketInfo other && Equals(other);

    /// <inheritdoc />
    public override readonly int GetHashCode() => (int)Value;

    public static bool operator ==(NdisTcpIpChecksumPacketInfo left, NdisTcpIpChecksumPacketInfo right) => left.Equals(right);

    public static bool operator !=(NdisTcpIpChecksumPacketInfo left, NdisTcpIpChecksumPacketInfo right) => !left.Equals(right);
}
