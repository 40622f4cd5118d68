namespace CoNdis.Hardware.Nic;

/// <summary>
/// The statistics and moderation OIDs the device's miniports answer, with ntddndis.h's values (the CoNDIS names
/// OID_GEN_CO_XMIT_PDUS_OK… alias the general ones; the byte counts are NDIS 6's OID_GEN_BYTES_XMIT/RCV).
/// </summary>
public static class NicOid
{
    /// <summary>OID_GEN_XMIT_OK = OID_GEN_CO_XMIT_PDUS_OK.</summary>
    public const uint GenXmitOk = 0x00020101;
    /// <summary>OID_GEN_RCV_OK = OID_GEN_CO_RCV_PDUS_OK.</summary>
    public const uint GenRcvOk = 0x00020102;
    /// <summary>OID_GEN_XMIT_ERROR = OID_GEN_CO_XMIT_PDUS_ERROR.</summary>
    public const uint GenXmitError = 0x00020103;
    /// <summary>OID_GEN_RCV_ERROR = OID_GEN_CO_RCV_PDUS_ERROR.</summary>
    public const uint GenRcvError = 0x00020104;
    /// <summary>OID_GEN_RCV_NO_BUFFER = OID_GEN_CO_RCV_PDUS_NO_BUFFER.</summary>
    public const uint GenRcvNoBuffer = 0x00020105;
    /// <summary>OID_GEN_BYTES_RCV.</summary>
    public const uint GenBytesRcv = 0x00020219;
    /// <summary>OID_GEN_BYTES_XMIT.</summary>
    public const uint GenBytesXmit = 0x0002021A;
    /// <summary>OID_GEN_RCV_DISCARDS: frames the miniport threw away (no VC on their channel).</summary>
    public const uint GenRcvDiscards = 0x0002021B;
    /// <summary>OID_GEN_INTERRUPT_MODERATION.</summary>
    public const uint GenInterruptModeration = 0x0001020C;
}
