namespace CoNdis.NetBufferCore.Info;

#pragma warning disable CA1069 // Aliases share a slot in nblinfo.h; the duplicates are the point.

/// <summary>
/// NDIS_NET_BUFFER_LIST_INFO: the slots of NET_BUFFER_LIST.NetBufferListInfo, with the 64-bit indices
/// of the current WDK (aliases share a slot). Use the names, not the numbers.
/// </summary>
public enum NetBufferListInfoId
{
    TcpIpChecksumNetBufferListInfo = 0,
    TcpOffloadBytesTransferred = 0,
    IPsecOffloadV1NetBufferListInfo = 1,
    IPsecOffloadV2NetBufferListInfo = 1,
    TcpLargeSendNetBufferListInfo = 2,
    TcpReceiveNoPush = 2,
    ClassificationHandleNetBufferListInfo = 3,
    Ieee8021QNetBufferListInfo = 4,
    NetBufferListCancelId = 5,
    MediaSpecificInformation = 6,
    NetBufferListFrameType = 7,
    NetBufferListProtocolId = 7,
    NetBufferListHashValue = 8,
    NetBufferListHashInfo = 9,
    WfpNetBufferListInfo = 10,
    IPsecOffloadV2TunnelNetBufferListInfo = 11,
    IPsecOffloadV2HeaderNetBufferListInfo = 12,
    NetBufferListCorrelationId = 13,
    NetBufferListFilteringInfo = 14,
    MediaSpecificInformationEx = 15,
    NblOriginalInterfaceIfIndex = 16,
    TcpReceiveBytesTransferred = 17,
    SwitchForwardingReserved = 18,
    SwitchForwardingDetail = 19,
    VirtualSubnetInfo = 20,
    IMReserved = 21,
    TcpRecvSegCoalesceInfo = 22,
    RscTcpTimestampDelta = 23,
    GftOffloadInformation = 24,
    GftFlowEntryId = 25,
    NetBufferListInfoReserved3 = 26,
    /// <summary>MaxNetBufferListInfo: the array length (64-bit, NDIS 6.80+).</summary>
    MaxNetBufferListInfo = 27,
}
