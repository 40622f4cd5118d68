namespace CoNdis.Hardware.Nic;

/// <summary>What the NIC wrote back into a transmit descriptor when it was done with it (the STA field).</summary>
public enum NicTxStatus : byte
{
    /// <summary>Still owned by the device (not written back yet).</summary>
    Pending = 0,
    /// <summary>DD: transmitted.</summary>
    Done = 1,
    /// <summary>Not transmitted: the link had no carrier.</summary>
    NoCarrier = 2,
    /// <summary>Not transmitted: longer than the NIC's maximum frame.</summary>
    FrameTooLong = 3,
    /// <summary>Not transmitted: malformed descriptor chain (no end of packet within the ring).</summary>
    Malformed = 4,
}
