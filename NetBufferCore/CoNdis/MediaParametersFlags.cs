namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>CO_MEDIA_PARAMETERS.Flags.</summary>
[Flags]
public enum MediaParametersFlags : uint
{
    None = 0,
    ReceiveTimeIndication = 0x001,
    UseTimeStamps = 0x002,
    TransmitVc = 0x004,
    ReceiveVc = 0x008,
    IndicateErredPackets = 0x010,
    IndicateEndOfTx = 0x020,
    ReserveResourcesVc = 0x040,
    RoundDownFlow = 0x080,
    RoundUpFlow = 0x100,
}
