namespace CoNdis.NetBufferCore;

/// <summary>The ownership masks of NET_BUFFER_LIST.Flags (NBL_FLAGS_*, NDIS 6.30 values).</summary>
public static class NetBufferListFlagMasks
{
    /// <summary>Bits the protocol that owns the NBL may use.</summary>
    public const uint ProtocolReserved = 0xFFF00003;
    /// <summary>Bits for the current owner (may be overwritten after a hand-off).</summary>
    public const uint Scratch = 0x000F0000;
    /// <summary>Bits the miniport may use.</summary>
    public const uint MiniportReserved = 0x0000F000;
    /// <summary>Bits only NDIS may use.</summary>
    public const uint NdisReserved = 0x00000FFC;
}
