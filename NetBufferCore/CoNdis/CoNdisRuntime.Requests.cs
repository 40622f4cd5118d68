namespace CoNdis.NetBufferCore.CoNdis;

public sealed partial class CoNdisRuntime
{
    /// <summary>
    /// NdisCoOidRequest: a query or set on the adapter (no VC) or on one VC, answered by MiniportCoOidRequest;
    /// a pended request completes with <see cref="MCoOidRequestComplete"/> and reaches the protocol's
    /// ProtocolCoOidRequestComplete.
    /// </summary>
    public NdisStatus CoOidRequest(CoBinding ndisBindingHandle, VirtualConnection? ndisVcHandle, NdisOidRequest oidRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisBindingHandle);
        ArgumentNullException.ThrowIfNull(oidRequest);
        oidRequest.Binding = ndisBindingHandle;
        oidRequest.Vc = ndisVcHandle;
        var adapter = ndisBindingHandle.Adapter;
        return adapter.Miniport.MiniportCoOidRequest(adapter.AdapterContext, ndisVcHandle?.MiniportContext, oidRequest);
    }

    /// <summary>NdisMCoOidRequestComplete.</summary>
    public void MCoOidRequestComplete(CoMiniportAdapter miniportAdapterHandle, VirtualConnection? ndisVcHandle, NdisOidRequest oidRequest, NdisStatus status)
    {
        ArgumentNullException.ThrowIfNull(miniportAdapterHandle);
        ArgumentNullException.ThrowIfNull(oidRequest);
        var binding = oidRequest.Binding ?? throw new InvalidOperationException("NdisMCoOidRequestComplete for a request NDIS did not pass down.");
        (binding.Protocol as ICoProtocol)?.ProtocolCoOidRequestComplete(ndisVcHandle?.DataProtocolContext, oidRequest, status);
    }

    /// <summary>
    /// NdisMCoIndicateStatusEx: a status on one VC goes to that VC's protocol; a status on the adapter (no VC) to
    /// every protocol bound to it.
    /// </summary>
    public void MCoIndicateStatusEx(CoMiniportAdapter miniportAdapterHandle, VirtualConnection? ndisVcHandle, NdisStatusIndication statusIndication)
    {
        ArgumentNullException.ThrowIfNull(miniportAdapterHandle);
        ArgumentNullException.ThrowIfNull(statusIndication);
        if (ndisVcHandle is not null)
        {
            ndisVcHandle.DataProtocol?.ProtocolCoStatusEx(ndisVcHandle.DataBindingContext, ndisVcHandle.DataProtocolContext, statusIndication);
            return;
        }
        CoBinding[] bindings;
        lock (_registrationLock)
            bindings = [.. miniportAdapterHandle.Bindings];
        foreach (var binding in bindings)
            (binding.Protocol as ICoProtocol)?.ProtocolCoStatusEx(binding.ProtocolBindingContext, null, statusIndication);
    }

    /// <summary>
    /// NdisCancelSendNetBufferLists: asks the binding's miniport to cancel queued sends that carry
    /// <paramref name="cancelId"/> (MiniportCancelSend); they complete with NDIS_STATUS_SEND_ABORTED. Nothing is
    /// guaranteed to be cancelled, and every send still completes exactly once.
    /// </summary>
    public void CancelSendNetBufferLists(CoBinding ndisBindingHandle, nint cancelId)
    {
        ArgumentNullException.ThrowIfNull(ndisBindingHandle);
        ndisBindingHandle.Adapter.Miniport.MiniportCancelSend(ndisBindingHandle.Adapter.AdapterContext, cancelId);
    }
}
