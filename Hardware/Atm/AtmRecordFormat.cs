namespace CoNdis.Hardware.Atm;

/// <summary>The capture record kinds <see cref="AtmCaptureEncoder"/> writes a frame as.</summary>
public enum AtmRecordFormat
{
    /// <summary>One LINKTYPE_SUNATM (123) record per frame: pseudo-header and the CPCS-PDU.</summary>
    SunAtm,
    /// <summary>One LINKTYPE_ERF (197) record of type AAL5 per frame: the cell header and the whole CPCS-PDU.</summary>
    ErfAal5,
    /// <summary>LINKTYPE_ERF records of type ATM cell, one per cell of the frame's CPCS-PDU.</summary>
    ErfCell,
}
