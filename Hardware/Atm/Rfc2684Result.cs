namespace CoNdis.Hardware.Atm;

/// <summary>What the RFC 2684 receiver made of an AAL5 SDU.</summary>
public enum Rfc2684Result
{
    /// <summary>A routed PDU (an IP packet) follows the header.</summary>
    Routed,
    /// <summary>A bridged Ethernet frame follows the header.</summary>
    Bridged,
    /// <summary>The SDU is passed on as it is (no encapsulation on the VC).</summary>
    Raw,
    /// <summary>The header is not one this VC's encapsulation carries (another LLC, another OUI/PID, short): discarded.</summary>
    Unsupported,
}
