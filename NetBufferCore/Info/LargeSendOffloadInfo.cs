namespace CoNdis.NetBufferCore.Info;

/// <summary>
/// NDIS_TCP_LARGE_SEND_OFFLOAD_NET_BUFFER_LIST_INFO (LSO v1 and v2), stored in the slot's pointer-sized
/// value. Layout: MSS 20 bits, TcpHeaderOffset 10 bits, Type 1 bit (bit 30); LSOv2's IPVersion follows
/// Type and spills into bits 31–32 of the 64-bit value; LSOv1's transmit-complete TcpPayload overlays
/// the low 30 bits.
/// </summary>
public struct LargeSendOffloadInfo : IEquatable<LargeSendOffloadInfo>
{
    /// <summary>NDIS_TCP_LARGE_SEND_OFFLOAD_V1_TYPE.</summary>
    public const int V1Type = 0;
    /// <summary>NDIS_TCP_LARGE_SEND_OFFLOAD_V2_TYPE.</summary>
    public const int V2Type = 1;
    /// <summary>NDIS_TCP_LARGE_SEND_OFFLOAD_IPv4.</summary>
    public const int IPv4 = 0;
    /// <summary>NDIS_TCP_LARGE_SEND_OFFLOAD_IPv6.</summary>
    public const int IPv6 = 1;

    public LargeSendOffloadInfo(ulong value) => Value = value;

    /// <summary>The raw value (NDIS_TCP_LARGE_SEND_OFFLOAD_NET_BUFFER_LIST_INFO.Value).</summary>
    public ulong Value { get; set; }

    /// <summary>Maximum segment size (LsoV1Transmit/LsoV2Transmit.MSS, 20 bits).</summary>
    public int Mss { readonly get => (int)Field(0, 20); set => SetField(0, 20, (ulong)value); }

    /// <summary>Offset of the TCP header from the start of the packet (10 bits).</summary>
    public int TcpHeaderOffset { readonly get => (int)Field(20, 10); set => SetField(20, 10, (ulong)value); }

    /// <summary>LSO version: <see cref="V1Type"/> or <see cref="V2Type"/>.</summary>
    public int Type { readonly get => (int)Field(30, 1); set => SetField(30, 1, (ulong)value); }

    /// <summary>LsoV2Transmit.IPVersion (2 bits after Type).</summary>
    public int IPVersion { readonly get => (int)Field(31, 2); set => SetField(31, 2, (ulong)value); }

    /// <summary>LsoV1TransmitComplete.TcpPayload: payload bytes sent, written by the miniport at completion.</summary>
    public int TcpPayload { readonly get => (int)Field(0, 30); set => SetField(0, 30, (ulong)value); }

    private readonly ulong Field(int shift, int bits) => (Value >> shift) & ((1UL << bits) - 1);

    private void SetField(int shift, int bits, ulong field)
    {
        ulong mask = ((1UL << bits) - 1) << shift;
        Value = (Value & ~mask) | ((field << shift) & mask);
    }

    public readonly bool Equals(LargeSendOffloadInfo other) => Value == other.Value;

    public override readonly bool Equals(object? obj) => obj is LargeSendOffloadInfo other && Equals(other);

    public override readonly int GetHashCode() => Value.GetHashCode();

    public static bool operator ==(LargeSendOffloadInfo left, LargeSendOffloadInfo right) => left.Equals(right);

    public static bool operator !=(LargeSendOffloadInfo left, LargeSendOffloadInfo right) => !left.Equals(right);
}
