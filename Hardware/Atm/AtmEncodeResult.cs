namespace CoNdis.Hardware.Atm;

/// <summary>What <see cref="AtmCaptureEncoder.Encode"/> did with a frame.</summary>
public enum AtmEncodeResult
{
    /// <summary>Written as one or more records.</summary>
    Encoded,
    /// <summary>Not written: its encapsulated SDU is longer than AAL5 (65535 octets) or the record format (ERF: 65515 octets of PDU) holds.</summary>
    TooLong,
    /// <summary>Not written: a routed encapsulation cannot carry it (an 802.3 length/LLC frame, or shorter than its Ethernet header).</summary>
    NotRouted,
    /// <summary>Not written: an empty frame (AAL5 would send an abort).</summary>
    Empty,
}
