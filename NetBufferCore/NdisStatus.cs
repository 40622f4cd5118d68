namespace CoNdis.NetBufferCore;

/// <summary>
/// NDIS_STATUS with NDIS's own numeric values (ndis.h). Severity lives in the top two bits:
/// 0xC… is an error, 0x8… a warning, 0x4… informational, 0x0… success. NOT_ACCEPTED (0x00010003) is
/// success-severity although some DDIs use it as a refusal (NdisCoDeleteVc function: the VC is still
/// active), so test with
/// <see cref="NdisStatusExtensions.IsError"/> or compare with the exact value, never by sign.
/// </summary>
public enum NdisStatus : uint
{
    Success = 0x00000000,
    Pending = 0x00000103,
    NotRecognized = 0x00010001,
    NotCopied = 0x00010002,
    NotAccepted = 0x00010003,
    CallActive = 0x00010007,
    IndicationRequired = 0x40230001,
    BufferOverflow = 0x80000005,
    Failure = 0xC0000001,
    InvalidParameter = 0xC000000D,
    InvalidDeviceRequest = 0xC0000010,
    Resources = 0xC000009A,
    NotSupported = 0xC00000BB,
    InvalidState = 0xC0000184,
    NetworkUnreachable = 0xC000023C,
    Closing = 0xC0010002,
    RequestAborted = 0xC001000C,
    ResetInProgress = 0xC001000D,
    ClosingIndicating = 0xC001000E,
    InvalidPacket = 0xC001000F,
    AdapterNotReady = 0xC0010011,
    InvalidLength = 0xC0010014,
    InvalidData = 0xC0010015,
    BufferTooShort = 0xC0010016,
    InvalidSap = 0xC0010020,
    SapInUse = 0xC0010021,
    InvalidAddress = 0xC0010022,
    VcNotActivated = 0xC0010023,
    DestOutOfOrder = 0xC0010024,
    VcNotAvailable = 0xC0010025,
    CellRateNotAvailable = 0xC0010026,
    IncompatableQos = 0xC0010027,
    AalParamsUnsupported = 0xC0010028,
    NoRouteToDestination = 0xC0010029,
    SendAborted = 0xC023000C,
    MediaDisconnected = 0xC023001F,
    Paused = 0xC023002A,
    LowPowerState = 0xC023002F,
}
