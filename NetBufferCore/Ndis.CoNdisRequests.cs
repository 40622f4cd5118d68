using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.NetBufferCore;

// Requests between a CoNDIS client and its call manager (NdisCoOidRequest with an AF handle, NdisMCmOidRequest).
public static partial class Ndis
{
    /// <summary>NdisCoOidRequest(NdisBindingHandle, NdisAfHandle, NdisVcHandle, NdisPartyHandle, OidRequest): to the miniport without an AF, to the peer with one.</summary>
    public static NdisStatus CoOidRequest(CoBinding ndisBindingHandle, CoAfHandle? ndisAfHandle, VirtualConnection? ndisVcHandle, CoParty? ndisPartyHandle,
        NdisOidRequest oidRequest) =>
        RuntimeOf(ndisBindingHandle).CoOidRequest(ndisBindingHandle, ndisAfHandle, ndisVcHandle, ndisPartyHandle, oidRequest);

    /// <summary>NdisCoOidRequestComplete(NdisAfHandle, NdisVcHandle, NdisPartyHandle, OidRequest, Status).</summary>
    public static void CoOidRequestComplete(CoAfHandle ndisAfHandle, VirtualConnection? ndisVcHandle, CoParty? ndisPartyHandle, NdisOidRequest oidRequest, NdisStatus status) =>
        RuntimeOf(ndisAfHandle).CoOidRequestComplete(ndisAfHandle, ndisVcHandle, ndisPartyHandle, oidRequest, status);

    /// <summary>NdisMCmOidRequest(NdisAfHandle, NdisVcHandle, NdisPartyHandle, NdisOidRequest).</summary>
    public static NdisStatus MCmOidRequest(CoAfHandle ndisAfHandle, VirtualConnection? ndisVcHandle, CoParty? ndisPartyHandle, NdisOidRequest ndisOidRequest) =>
        RuntimeOf(ndisAfHandle).MCmOidRequest(ndisAfHandle, ndisVcHandle, ndisPartyHandle, ndisOidRequest);

    /// <summary>NdisMCmOidRequestComplete(NdisAfHandle, NdisVcHandle, NdisPartyHandle, OidRequest, Status).</summary>
    public static void MCmOidRequestComplete(CoAfHandle ndisAfHandle, VirtualConnection? ndisVcHandle, CoParty? ndisPartyHandle, NdisOidRequest oidRequest, NdisStatus status) =>
        CoOidRequestComplete(ndisAfHandle, ndisVcHandle, ndisPartyHandle, oidRequest, status);
}
