namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// The data-path and binding-level handlers of a CoNDIS protocol (NDIS_PROTOCOL_CO_CHARACTERISTICS):
/// what a client, or a call manager sending on its own VCs, receives from NDIS.
/// </summary>
public interface ICoProtocol
{
    /// <summary>ProtocolCoSendNetBufferListsComplete: each NBL comes back exactly once, with its status.</summary>
    void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags);

    /// <summary>
    /// ProtocolCoReceiveNetBufferLists. Without <see cref="ReceiveFlags.Resources"/> the protocol owns the
    /// NBLs and returns each with <c>Ndis.ReturnNetBufferLists</c>; with it, it must copy before returning.
    /// </summary>
    void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags);

    /// <summary>ProtocolCoStatusEx: a status indication on the binding or a VC.</summary>
    void ProtocolCoStatusEx(object? protocolBindingContext, object? protocolVcContext, NdisStatusIndication statusIndication)
    {
    }

    /// <summary>ProtocolCoAfRegisterNotify: a call manager registered an address family on the adapter.</summary>
    void ProtocolCoAfRegisterNotify(object? protocolBindingContext, CoAddressFamily addressFamily)
    {
    }

    /// <summary>ProtocolCoOidRequestComplete: a pended OID request finished.</summary>
    void ProtocolCoOidRequestComplete(object? protocolVcContext, NdisOidRequest oidRequest, NdisStatus status)
    {
    }
}
