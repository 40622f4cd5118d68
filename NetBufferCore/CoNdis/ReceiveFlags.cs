namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>NDIS_RECEIVE_FLAGS_* (CoNDIS documents DISPATCH_LEVEL and RESOURCES).</summary>
[Flags]
public enum ReceiveFlags : uint
{
    None = 0,
    DispatchLevel = 0x0001,
    /// <summary>The indicating driver reclaims the NBLs when the call returns: the receiver must copy.</summary>
    Resources = 0x0002,
    SingleEtherType = 0x0100,
    SingleVlan = 0x0200,
    PerfectFiltered = 0x0400,
    SingleQueue = 0x0800,
    SharedMemoryInfoValid = 0x1000,
    MoreNbls = 0x2000,
    SwitchDestinationGroup = 0x4000,
    SwitchSingleSource = 0x8000,
}
