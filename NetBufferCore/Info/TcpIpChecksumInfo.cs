namespace CoNdis.NetBufferCore.Info;

/// <summary>
/// NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO, stored in the slot's value. The transmit and receive views
/// overlay the same bits, as the C unions do.
/// </summary>
public struct TcpIpChecksumInfo : IEquatable<TcpIpChecksumInfo>
{
    public TcpIpChecksumInfo(uint value) => Value = value;

    /// <summary>The raw ULONG (NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO.Value).</summary>
    public uint Value { get; set; }

    // Transmit view.
    public bool IsIPv4 { readonly get => Bit(0); set => SetBit(0, value); }
    public bool IsIPv6 { readonly get => Bit(1); set => SetBit(1, value); }
    public bool TcpChecksum { readonly get => Bit(2); set => SetBit(2, value); }
    public bool UdpChecksum { readonly get => Bit(3); set => SetBit(3, value); }
    public bool IpHeaderChecksum { readonly get => Bit(4); set => SetBit(4, value); }

    /// <summary>Transmit.TcpHeaderOffset (10 bits at bit 16).</summary>
    public int TcpHeaderOffset
    {
        readonly get => (int)((Value >> 16) & 0x3FF);
        set => Value = (Value & ~(0x3FFu << 16)) | (((uint)value & 0x3FF) << 16);
    }

    // Receive view.
    public bool TcpChecksumFailed { readonly get => Bit(0); set => SetBit(0, value); }
    public bool UdpChecksumFailed { readonly get => Bit(1); set => SetBit(1, value); }
    public bool IpChecksumFailed { readonly get => Bit(2); set => SetBit(2, value); }
    public bool TcpChecksumSucceeded { readonly get => Bit(3); set => SetBit(3, value); }
    public bool UdpChecksumSucceeded { readonly get => Bit(4); set => SetBit(4, value); }
    public bool IpChecksumSucceeded { readonly get => Bit(5); set => SetBit(5, value); }
    public bool Loopback { readonly get => Bit(6); set => SetBit(6, value); }
    public bool TcpChecksumValueInvalid { readonly get => Bit(7); set => SetBit(7, value); }
    public bool IpChecksumValueInvalid { readonly get => Bit(8); set => SetBit(8, value); }

    private readonly bool Bit(int bit) => (Value & (1u << bit)) != 0;

    private void SetBit(int bit, bool on) => Value = on ? Value | (1u << bit) : Value & ~(1u << bit);

    public readonly bool Equals(TcpIpChecksumInfo other) => Value == other.Value;

    public override readonly bool Equals(object? obj) => obj is TcpIpChecksumInfo other && Equals(other);

    public override readonly int GetHashCode() => (int)Value;

    public static bool operator ==(TcpIpChecksumInfo left, TcpIpChecksumInfo right) => left.Equals(right);

    public static bool operator !=(TcpIpChecksumInfo left, TcpIpChecksumInfo right) => !left.Equals(right);
}
