namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>NDIS_REQUEST_TYPE of an OID request.</summary>
public enum NdisRequestType
{
    SetInformation = 1,
    QueryInformation = 2,
    QueryStatistics = 3,
    Method = 12,
}
