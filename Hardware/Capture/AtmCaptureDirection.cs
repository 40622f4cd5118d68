namespace CoNdis.Hardware.Capture;

/// <summary>Which way an ATM record went across the UNI, as the SunATM flags and the ERF interface number carry it.</summary>
public enum AtmCaptureDirection
{
    /// <summary>Sent by the host (DTE→DCE): SunATM flags bit 0x80, ERF interface 0.</summary>
    Transmitted = 0,
    /// <summary>Received by the host (DCE→DTE): SunATM flags bit clear, ERF interface 1.</summary>
    Received = 1,
}
