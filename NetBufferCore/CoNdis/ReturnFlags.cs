namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>NDIS_RETURN_FLAGS_*.</summary>
[Flags]
public enum ReturnFlags : uint
{
    None = 0,
    DispatchLevel = 0x01,
    SingleQueue = 0x02,
    SwitchSingleSource = 0x04,
}
