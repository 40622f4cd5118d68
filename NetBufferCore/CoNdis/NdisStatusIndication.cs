namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>NDIS_STATUS_INDICATION: a status code (NDIS_STATUS_MEDIA_CONNECT…) with an optional payload.</summary>
public sealed record NdisStatusIndication(uint StatusCode, object? StatusBuffer)
{
    /// <summary>NDIS_STATUS_MEDIA_CONNECT.</summary>
    public const uint MediaConnect = 0x4001000B;

    /// <summary>NDIS_STATUS_MEDIA_DISCONNECT.</summary>
    public const uint MediaDisconnect = 0x4001000C;

    /// <summary>NDIS_STATUS_LINK_STATE (NDIS 6).</summary>
    public const uint LinkState = 0x40010017;
}
