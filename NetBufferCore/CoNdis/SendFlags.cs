namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>NDIS_SEND_FLAGS_* (CoNDIS documents DISPATCH_LEVEL and CHECK_FOR_LOOPBACK).</summary>
[Flags]
public enum SendFlags : uint
{
    None = 0,
    DispatchLevel = 0x01,
    CheckForLoopback = 0x02,
    SingleQueue = 0x04,
    SwitchDestinationGroup = 0x10,
    SwitchSingleSource = 0x20,
}
