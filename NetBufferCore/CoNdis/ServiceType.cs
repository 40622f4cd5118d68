namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>SERVICETYPE of a FLOWSPEC (qos.h).</summary>
public enum ServiceType : uint
{
    NoTraffic = 0,
    BestEffort = 1,
    ControlledLoad = 2,
    Guaranteed = 3,
}
