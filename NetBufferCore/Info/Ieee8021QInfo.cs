namespace CoNdis.NetBufferCore.Info;

/// <summary>
/// NDIS_NET_BUFFER_LIST_8021Q_INFO: UserPriority (3 bits), CanonicalFormatId (1 bit), VlanId (12 bits),
/// stored in the slot's value. The NDIS 5 Ieee8021QInfo per-packet value has the same layout.
/// </summary>
public struct Ieee8021QInfo : IEquatable<Ieee8021QInfo>
{
    public Ieee8021QInfo(uint value) => Value = value;

    /// <summary>The raw value.</summary>
    public uint Value { get; set; }

    /// <summary>802.1p user priority (0–7).</summary>
    public int UserPriority
    {
        readonly get => (int)(Value & 0x7);
        set => Value = (Value & ~0x7u) | ((uint)value & 0x7);
    }

    /// <summary>Canonical format indicator (0 or 1).</summary>
    public int CanonicalFormatId
    {
        readonly get => (int)((Value >> 3) & 0x1);
        set => Value = (Value & ~0x8u) | (((uint)value & 0x1) << 3);
    }

    /// <summary>VLAN identifier (0–4095).</summary>
    public int VlanId
    {
        readonly get => (int)((Value >> 4) & 0xFFF);
        set => Value = (Value & ~(0xFFFu << 4)) | (((uint)value & 0xFFF) << 4);
    }

    public readonly bool Equals(Ieee8021QInfo other) => Value == other.Value;

    public override readonly bool Equals(object? obj) => obj is Ieee8021QInfo other && Equals(other);

    public override readonly int GetHashCode() => (int)Value;

    public static bool operator ==(Ieee8021QInfo left, Ieee8021QInfo right) => left.Equals(right);

    public static bool operator !=(Ieee8021QInfo left, Ieee8021QInfo right) => !left.Equals(right);
}
