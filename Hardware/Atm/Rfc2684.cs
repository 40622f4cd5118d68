using System.Buffers.Binary;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// RFC 2684 headers: writing the header a PDU takes on a VC of a given <see cref="Rfc2684Encapsulation"/>, and
/// finding where the PDU starts in a received SDU. Routed LLC/SNAP names the protocol by EtherType (RFC 2684 §5.1:
/// LLC AA-AA-03, OUI 00-00-00, PID = EtherType); bridged Ethernet uses OUI 00-80-C2 with PID 00-07 (no LAN FCS) or
/// 00-01 (FCS kept, stripped on receipt) and two pad octets so the frame's IP header stays aligned (§5.2, §6.2).
/// </summary>
public static class Rfc2684
{
    /// <summary>The LLC header of SNAP PDUs: DSAP AA, SSAP AA, UI control 03.</summary>
    public static ReadOnlySpan<byte> LlcSnap => [0xAA, 0xAA, 0x03];

    /// <summary>Longest header any encapsulation adds (LLC/SNAP bridged: 10 octets).</summary>
    public const int MaximumHeaderLength = 10;

    /// <summary>The IEEE 802.1 organization code of bridged PDUs (00-80-C2).</summary>
    public const int BridgedOui = 0x0080C2;

    /// <summary>PID of bridged Ethernet/802.3 without the LAN FCS.</summary>
    public const ushort BridgedEthernetNoFcs = 0x0007;

    /// <summary>PID of bridged Ethernet/802.3 with the LAN FCS kept.</summary>
    public const ushort BridgedEthernetWithFcs = 0x0001;

    /// <summary>EtherType of IPv4.</summary>
    public const ushort EtherTypeIPv4 = 0x0800;

    /// <summary>EtherType of IPv6.</summary>
    public const ushort EtherTypeIPv6 = 0x86DD;

    /// <summary>True for the two bridged encapsulations.</summary>
    public static bool IsBridged(Rfc2684Encapsulation encapsulation) =>
        encapsulation is Rfc2684Encapsulation.LlcSnapBridged or Rfc2684Encapsulation.VcMuxBridged;

    /// <summary>True for the two LLC/SNAP encapsulations.</summary>
    public static bool IsLlc(Rfc2684Encapsulation encapsulation) =>
        encapsulation is Rfc2684Encapsulation.LlcSnapRouted or Rfc2684Encapsulation.LlcSnapBridged;

    /// <summary>Octets of header the encapsulation puts in front of each PDU.</summary>
    public static int HeaderLength(Rfc2684Encapsulation encapsulation) => encapsulation switch
    {
        Rfc2684Encapsulation.LlcSnapRouted => 8,
        Rfc2684Encapsulation.LlcSnapBridged => 10,
        Rfc2684Encapsulation.VcMuxBridged => 2,
        _ => 0,
    };

    /// <summary>The EtherType of a routed PDU the sender did not name: IPv6 when its version nibble says 6, otherwise IPv4.</summary>
    public static ushort EtherTypeOfIpPacket(ReadOnlySpan<byte> packet) =>
        packet.Length > 0 && packet[0] >> 4 == 6 ? EtherTypeIPv6 : EtherTypeIPv4;

    /// <summary>
    /// Writes the header of <paramref name="encapsulation"/> into <paramref name="destination"/> for a PDU whose
    /// routed protocol is <paramref name="etherType"/> (LLC/SNAP routed only); returns its length.
    /// </summary>
    public static int WriteHeader(Rfc2684Encapsulation encapsulation, ushort etherType, Span<byte> destination)
    {
        switch (encapsulation)
        {
            case Rfc2684Encapsulation.LlcSnapRouted:
                LlcSnap.CopyTo(destination);
                destination[3] = destination[4] = destination[5] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(destination[6..], etherType);
                return 8;
            case Rfc2684Encapsulation.LlcSnapBridged:
                LlcSnap.CopyTo(destination);
                destination[3] = 0x00;
                destination[4] = 0x80;
                destination[5] = 0xC2;
                BinaryPrimitives.WriteUInt16BigEndian(destination[6..], BridgedEthernetNoFcs);
                destination[8] = destination[9] = 0;
                return 10;
            case Rfc2684Encapsulation.VcMuxBridged:
                destination[0] = destination[1] = 0;
                return 2;
            default:
                return 0;
        }
    }

    /// <summary>
    /// Finds the PDU in an SDU received on a VC of <paramref name="encapsulation"/>: its offset and length (a bridged
    /// frame with its FCS kept loses the FCS) and, for LLC routed, the EtherType. An LLC/SNAP VC takes both routed and
    /// bridged PDUs (the header says which); a VC-multiplexed one only its own kind.
    /// </summary>
    public static Rfc2684Result Decapsulate(Rfc2684Encapsulation encapsulation, ReadOnlySpan<byte> sdu, out int offset, out int length, out ushort etherType)
    {
        offset = 0;
        length = sdu.Length;
        etherType = 0;
        switch (encapsulation)
        {
            case Rfc2684Encapsulation.None:
                return Rfc2684Result.Raw;
            case Rfc2684Encapsulation.VcMuxRouted:
                return Rfc2684Result.Routed;
            case Rfc2684Encapsulation.VcMuxBridged:
                if (sdu.Length < 2 + 14 || sdu[0] != 0 || sdu[1] != 0)
                    return Rfc2684Result.Unsupported;
                offset = 2;
                length = sdu.Length - 2;
                return Rfc2684Result.Bridged;
            default:
                if (sdu.Length < 8 || !sdu[..3].SequenceEqual(LlcSnap))
                    return Rfc2684Result.Unsupported;
                int oui = sdu[3] << 16 | sdu[4] << 8 | sdu[5];
                ushort pid = BinaryPrimitives.ReadUInt16BigEndian(sdu[6..]);
                if (oui == 0)
                {
                    etherType = pid;
                    offset = 8;
                    length = sdu.Length - 8;
                    return Rfc2684Result.Routed;
                }
                if (oui != BridgedOui || sdu.Length < 10 + 14 || (pid != BridgedEthernetNoFcs && pid != BridgedEthernetWithFcs))
                    return Rfc2684Result.Unsupported;
                offset = 10;
                length = sdu.Length - 10 - (pid == BridgedEthernetWithFcs ? 4 : 0);
                return length < 14 ? Rfc2684Result.Unsupported : Rfc2684Result.Bridged;
        }
    }
}
