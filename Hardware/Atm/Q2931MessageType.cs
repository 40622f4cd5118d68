namespace CoNdis.Hardware.Atm;

/// <summary>The Q.2931 messages of the UNI 3.1 point-to-point subset the device's call managers speak (Q.2931 Table 4-2).</summary>
public enum Q2931MessageType : byte
{
    CallProceeding = 0x02,
    Setup = 0x05,
    Connect = 0x07,
    ConnectAcknowledge = 0x0F,
    Release = 0x4D,
    ReleaseComplete = 0x5A,
}
