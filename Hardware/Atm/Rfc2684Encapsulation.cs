namespace CoNdis.Hardware.Atm;

/// <summary>
/// How a VC carries its PDUs in AAL5 (RFC 2684, "Multiprotocol Encapsulation over ATM Adaptation Layer 5"): LLC/SNAP
/// multiplexing (§5: an LLC/SNAP header names the protocol of each PDU) or VC multiplexing (§6: the VC carries one
/// protocol and no header, but for the 2-octet pad of bridged Ethernet), each for routed (an IP packet) or bridged
/// (an Ethernet frame without its FCS) PDUs. <see cref="None"/>: the SDU is carried as it is (signalling, or a client
/// that encapsulates itself).
/// </summary>
public enum Rfc2684Encapsulation
{
    /// <summary>No encapsulation: the AAL5 SDU is exactly what the client sent.</summary>
    None = 0,
    /// <summary>LLC/SNAP, routed non-ISO PDU: AA-AA-03, OUI 00-00-00, the EtherType (RFC 2684 §5.1).</summary>
    LlcSnapRouted = 1,
    /// <summary>LLC/SNAP, bridged Ethernet without FCS: AA-AA-03, OUI 00-80-C2, PID 00-07, two pad octets (RFC 2684 §5.2).</summary>
    LlcSnapBridged = 2,
    /// <summary>VC multiplexing, routed: the IP packet with no header (RFC 2684 §6.1).</summary>
    VcMuxRouted = 3,
    /// <summary>VC multiplexing, bridged Ethernet without FCS: two pad octets, then the frame (RFC 2684 §6.2).</summary>
    VcMuxBridged = 4,
}
