namespace CoNdis.Hardware.Capture;

/// <summary>
/// The traffic type in the low nibble of the SunATM pseudo-header's flags octet (LINKTYPE_SUNATM; values as libpcap's
/// sunatmpos.h and Wireshark's pcap-common.c read them).
/// </summary>
public enum SunAtmTrafficType
{
    /// <summary>0: raw/unknown (Wireshark guesses: VPI 0/VCI 5 as signalling, LLC/SNAP or IP by the first octets).</summary>
    Unknown = 0,
    /// <summary>1: LAN emulation.</summary>
    Lane = 1,
    /// <summary>2: RFC 1483/2684 LLC-multiplexed traffic.</summary>
    LlcMultiplexed = 2,
    /// <summary>3: MARS (RFC 2022).</summary>
    Mars = 3,
    /// <summary>4: IFMP (RFC 1954).</summary>
    Ifmp = 4,
    /// <summary>5: ILMI.</summary>
    Ilmi = 5,
    /// <summary>6: Q.SAAL signalling (SSCOP carrying Q.2931).</summary>
    Signalling = 6,
}
