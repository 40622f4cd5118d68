namespace CoNdis.NetBufferCore;

/// <summary>NET_BUFFER_LIST.NblFlags (NDIS_NBL_FLAGS_*), public attributes of an NBL.</summary>
[Flags]
public enum NblFlags : uint
{
    None = 0,
    SendReadOnly = 0x00000001,
    ReceiveReadOnly = 0x00000002,
    HeaderDataSplit = 0x00000100,
    IsIPv4 = 0x00000200,
    IsIPv6 = 0x00000400,
    IsTcp = 0x00000800,
    IsUdp = 0x00001000,
    SplitAtUpperLayerProtocolHeader = 0x00002000,
    SplitAtUpperLayerProtocolPayload = 0x00004000,
    IsLoopbackPacket = 0x00008000,
    CaptureTimestampOnTransmit = 0x00010000,
}
