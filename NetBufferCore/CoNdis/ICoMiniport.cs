namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// A CoNDIS miniport's handlers (NDIS_MINIPORT_CO_CHARACTERISTICS plus the adapter's return and cancel
/// handlers). Create/delete are synchronous; activate and deactivate may pend and finish with
/// <c>Ndis.MCoActivateVcComplete</c>/<c>Ndis.MCoDeactivateVcComplete</c>. Sends must always be accepted;
/// every NBL is completed exactly once with <c>Ndis.MCoSendNetBufferListsComplete</c>.
/// </summary>
public interface ICoMiniport
{
    /// <summary>MiniportCoCreateVc: sets up per-VC state; never pends.</summary>
    NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, VirtualConnection ndisVcHandle, out object? miniportVcContext);

    /// <summary>MiniportCoDeleteVc: releases per-VC state; never pends.</summary>
    NdisStatus MiniportCoDeleteVc(object? miniportVcContext);

    /// <summary>MiniportCoActivateVc: validates and applies the call parameters; may pend.</summary>
    NdisStatus MiniportCoActivateVc(object? miniportVcContext, CoCallParameters callParameters);

    /// <summary>
    /// MiniportCoDeactivateVc: completes every send still queued on the VC and waits for every indicated NBL
    /// to come back before the deactivation completes; may pend.
    /// </summary>
    NdisStatus MiniportCoDeactivateVc(object? miniportVcContext);

    /// <summary>MiniportCoSendNetBufferLists: takes ownership of the chain until it completes each NBL.</summary>
    void MiniportCoSendNetBufferLists(object? miniportVcContext, NetBufferList netBufferLists, SendFlags sendFlags);

    /// <summary>MiniportReturnNetBufferLists: receive NBLs coming back, in any grouping.</summary>
    void MiniportReturnNetBufferLists(object? miniportAdapterContext, NetBufferList netBufferLists, ReturnFlags returnFlags);

    /// <summary>MiniportCancelSend: completes queued NBLs carrying <paramref name="cancelId"/> with SEND_ABORTED (optional).</summary>
    void MiniportCancelSend(object? miniportAdapterContext, nint cancelId)
    {
    }

    /// <summary>MiniportCoOidRequest: answers an OID on the adapter or a VC; may pend.</summary>
    NdisStatus MiniportCoOidRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest oidRequest) => NdisStatus.NotSupported;
}
