namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// The optional MiniportCancelSendPackets handler (W_CANCEL_SEND_PACKETS_HANDLER). A miniport that
/// does not implement it makes NdisCancelSendPackets a no-op. Cancelled packets complete through
/// NdisMCoSendComplete with NDIS_STATUS_SEND_ABORTED (the NdisCancelSendPackets page names an NDIS_STATUS_ABORTED
/// that ndis.h lacks; the model's choice, docs/model-choices.md).
/// </summary>
public interface ILegacyMiniportCancelSendPackets
{
    /// <summary>MiniportCancelSendPackets(MiniportAdapterContext, CancelId).</summary>
    void MiniportCancelSendPackets(object? miniportAdapterContext, nint cancelId);
}
