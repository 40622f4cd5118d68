namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>NDIS_SEND_COMPLETE_FLAGS_*.</summary>
[Flags]
public enum SendCompleteFlags : uint
{
    None = 0,
    DispatchLevel = 0x01,
    SingleQueue = 0x02,
    SwitchSingleSource = 0x04,
}
