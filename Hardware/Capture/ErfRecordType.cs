namespace CoNdis.Hardware.Capture;

/// <summary>The ERF record types the ATM writers produce (Endace ERF; values as Wireshark's erf.h defines them).</summary>
public enum ErfRecordType : byte
{
    /// <summary>ERF_TYPE_ATM: one cell, its 4-octet header without the HEC and its 48-octet payload.</summary>
    AtmCell = 3,
    /// <summary>ERF_TYPE_AAL5: a reassembled AAL5 CPCS-PDU after the 4-octet header of its cells.</summary>
    Aal5 = 4,
}
