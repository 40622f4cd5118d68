namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>CO_CALL_PARAMETERS.Flags.</summary>
[Flags]
public enum CallParametersFlags : uint
{
    None = 0,
    PermanentVc = 0x01,
    CallParametersChanged = 0x02,
    QueryCallParameters = 0x04,
    BroadcastVc = 0x08,
    MultipointVc = 0x10,
}
