namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>OIDs the model's miniports answer (ntddndis.h values; the OID_GEN_CO_* names alias the general ones).</summary>
public static class NdisOid
{
    public const uint GenSupportedList = 0x00010101;
    public const uint GenHardwareStatus = 0x00010102;
    public const uint GenMediaSupported = 0x00010103;
    public const uint GenMediaInUse = 0x00010104;
    public const uint GenMaximumFrameSize = 0x00010106;
    /// <summary>OID_GEN_LINK_SPEED = OID_GEN_CO_LINK_SPEED.</summary>
    public const uint GenLinkSpeed = 0x00010107;
    public const uint GenVendorDescription = 0x0001010D;
    public const uint GenMaximumTotalSize = 0x00010111;
    /// <summary>OID_GEN_MEDIA_CONNECT_STATUS = OID_GEN_CO_MEDIA_CONNECT_STATUS.</summary>
    public const uint GenMediaConnectStatus = 0x00010114;
    public const uint CoLinkSpeed = GenLinkSpeed;
    public const uint CoMediaConnectStatus = GenMediaConnectStatus;
}
