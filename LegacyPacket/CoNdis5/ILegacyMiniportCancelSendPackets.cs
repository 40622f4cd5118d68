namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// The optional MiniportCancelSendPackets handler (W_CANCEL_SEND_PACKETS_HANDLER). A miniport that
/// does not implement it makes NdisCancelSendPackets a no-op. Cancelled packets complete through
/// NdisMCoSendComplete with NDIS_STATUS_SEND_ABORTED (spec §9 item 16).
/// </summary>
public interface ILegacyMiniportCancelSendPackets
{
    /// <summary>MiniportCancelSendPackets(MiniportAdapterContext, CancelId).</summary>
    void MiniportCancelSendPackets(object? miniportAdapterContext, nint cancelId);
}
