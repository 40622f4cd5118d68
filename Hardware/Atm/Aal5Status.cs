namespace CoNdis.Hardware.Atm;

/// <summary>What a received AAL5 CPCS-PDU turned out to be (ITU-T I.363.5 §10.3: the checks of the CPCS receiver).</summary>
public enum Aal5Status
{
    /// <summary>Length and CRC-32 correct: the CPCS-SDU is delivered.</summary>
    Valid,
    /// <summary>The CRC-32 over the PDU does not leave the residue: discarded.</summary>
    CrcError,
    /// <summary>The Length field does not fit the PDU (more than the PDU holds, or 48 or more octets of pad): discarded.</summary>
    LengthError,
    /// <summary>Length 0: the transmitter aborted the PDU (I.363.5's abort function): discarded.</summary>
    Aborted,
    /// <summary>Not a whole number of 48-octet cell payloads, or shorter than one: no PDU.</summary>
    NotCellAligned,
    /// <summary>More cells than the VC's maximum SDU allows arrived before the last one: discarded.</summary>
    Oversize,
    /// <summary>The reassembly timer ran out before the last cell came: the partial PDU was discarded.</summary>
    TimedOut,
}
