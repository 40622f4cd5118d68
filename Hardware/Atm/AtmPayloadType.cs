namespace CoNdis.Hardware.Atm;

/// <summary>The PTI field of an ATM cell header (ITU-T I.361 Table 4): user data with congestion and SDU-type bits, OAM F5 and resource management.</summary>
public enum AtmPayloadType
{
    /// <summary>000: user data, no congestion experienced, SDU-type 0 (not the last cell of an AAL5 PDU).</summary>
    UserData = 0,
    /// <summary>001: user data, no congestion, SDU-type 1 (the last cell of an AAL5 CPCS-PDU).</summary>
    UserDataEndOfPdu = 1,
    /// <summary>010: user data, congestion experienced (EFCI), SDU-type 0.</summary>
    UserDataCongested = 2,
    /// <summary>011: user data, congestion experienced, SDU-type 1.</summary>
    UserDataCongestedEndOfPdu = 3,
    /// <summary>100: segment OAM F5 cell.</summary>
    SegmentOam = 4,
    /// <summary>101: end-to-end OAM F5 cell.</summary>
    EndToEndOam = 5,
    /// <summary>110: resource management cell.</summary>
    ResourceManagement = 6,
    /// <summary>111: reserved.</summary>
    Reserved = 7,
}
