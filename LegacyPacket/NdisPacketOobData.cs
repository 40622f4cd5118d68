using CoNdis.NetBufferCore;

namespace CoNdis.LegacyPacket;

/// <summary>
/// NDIS_PACKET_OOB_DATA (ndis.h; NDIS_PACKET_OOB_DATA structure, NDIS 5.1 reference), the block
/// NDIS_OOB_DATA_FROM_PACKET(p) points at.
/// TimeToSend and TimeSent share storage (a C union). Times are 100-ns units since 1601-01-01.
/// Drivers normally use the NDIS_GET/SET_PACKET_* members of <see cref="NdisPacket"/> instead.
/// </summary>
public sealed class NdisPacketOobData
{
    internal NdisPacketOobData()
    {
    }

    /// <summary>Union member TimeToSend (shares storage with <see cref="TimeSent"/>).</summary>
    public ulong TimeToSend { get; set; }

    /// <summary>Union member TimeSent (shares storage with <see cref="TimeToSend"/>).</summary>
    public ulong TimeSent
    {
        get => TimeToSend;
        set => TimeToSend = value;
    }

    /// <summary>TimeReceived.</summary>
    public ulong TimeReceived { get; set; }

    /// <summary>Bytes of media header in the first buffer.</summary>
    public uint HeaderSize { get; set; }

    /// <summary>Size of the media-specific information.</summary>
    public uint SizeMediaSpecificInfo { get; set; }

    /// <summary>The media-specific information (a PVOID in C).</summary>
    public object? MediaSpecificInformation { get; set; }

    /// <summary>Status: receive ownership (RESOURCES: the miniport keeps the packet; NDIS_SET_PACKET_STATUS) or,
    /// while in flight, NDIS's own use.</summary>
    public NdisStatus Status { get; set; }

    /// <summary>NdisZeroMemory(NDIS_OOB_DATA_FROM_PACKET(p), sizeof(NDIS_PACKET_OOB_DATA)).</summary>
    public void Clear()
    {
        TimeToSend = 0;
        TimeReceived = 0;
        HeaderSize = 0;
        SizeMediaSpecificInfo = 0;
        MediaSpecificInformation = null;
        Status = NdisStatus.Success;
    }
}
