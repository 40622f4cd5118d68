using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.NetBufferCore;

/// <summary>The CoNDIS DDIs: each resolves the runtime from the handle it is given.</summary>
public static partial class Ndis
{
    private static CoNdisRuntime RuntimeOf(VirtualConnection vc) => (vc ?? throw new ArgumentNullException(nameof(vc))).Adapter.Runtime;

    private static CoNdisRuntime RuntimeOf(CoBinding binding) => (binding ?? throw new ArgumentNullException(nameof(binding))).Adapter.Runtime;

    private static CoNdisRuntime RuntimeOf(CoAfHandle af) => RuntimeOf((af ?? throw new ArgumentNullException(nameof(af))).ClientBinding);

    private static CoNdisRuntime RuntimeOf(CoSapHandle sap) => RuntimeOf((sap ?? throw new ArgumentNullException(nameof(sap))).AddressFamily);

    private static CoNdisRuntime RuntimeOf(CoParty party) => RuntimeOf((party ?? throw new ArgumentNullException(nameof(party))).Vc);

    private static CoNdisRuntime RuntimeOf(CoMiniportAdapter adapter) => (adapter ?? throw new ArgumentNullException(nameof(adapter))).Runtime;

    // ---- Address families and SAPs -----------------------------------------------------------------

    /// <summary>NdisCmRegisterAddressFamilyEx.</summary>
    public static NdisStatus CmRegisterAddressFamilyEx(CoBinding ndisBindingHandle, CoAddressFamily addressFamily) =>
        RuntimeOf(ndisBindingHandle).CmRegisterAddressFamilyEx(ndisBindingHandle, addressFamily);

    /// <summary>NdisMCmRegisterAddressFamilyEx.</summary>
    public static NdisStatus MCmRegisterAddressFamilyEx(CoMiniportAdapter miniportAdapterHandle, CoAddressFamily addressFamily) =>
        RuntimeOf(miniportAdapterHandle).MCmRegisterAddressFamilyEx(miniportAdapterHandle, addressFamily);

    /// <summary>NdisClOpenAddressFamilyEx.</summary>
    public static NdisStatus ClOpenAddressFamilyEx(CoBinding ndisBindingHandle, CoAddressFamily addressFamily, object? clientAfContext, out CoAfHandle? ndisAfHandle) =>
        RuntimeOf(ndisBindingHandle).ClOpenAddressFamilyEx(ndisBindingHandle, addressFamily, clientAfContext, out ndisAfHandle);

    /// <summary>NdisCmOpenAddressFamilyComplete.</summary>
    public static void CmOpenAddressFamilyComplete(NdisStatus status, CoAfHandle ndisAfHandle, object? callMgrAfContext) =>
        RuntimeOf(ndisAfHandle).CmOpenAddressFamilyComplete(status, ndisAfHandle, callMgrAfContext);

    /// <summary>NdisMCmOpenAddressFamilyComplete.</summary>
    public static void MCmOpenAddressFamilyComplete(NdisStatus status, CoAfHandle ndisAfHandle, object? callMgrAfContext) =>
        CmOpenAddressFamilyComplete(status, ndisAfHandle, callMgrAfContext);

    /// <summary>NdisClCloseAddressFamily.</summary>
    public static NdisStatus ClCloseAddressFamily(CoAfHandle ndisAfHandle) => RuntimeOf(ndisAfHandle).ClCloseAddressFamily(ndisAfHandle);

    /// <summary>NdisCmCloseAddressFamilyComplete.</summary>
    public static void CmCloseAddressFamilyComplete(NdisStatus status, CoAfHandle ndisAfHandle) =>
        RuntimeOf(ndisAfHandle).CmCloseAddressFamilyComplete(status, ndisAfHandle);

    /// <summary>NdisClRegisterSap.</summary>
    public static NdisStatus ClRegisterSap(CoAfHandle ndisAfHandle, object? protocolSapContext, CoSap sap, out CoSapHandle ndisSapHandle) =>
        RuntimeOf(ndisAfHandle).ClRegisterSap(ndisAfHandle, protocolSapContext, sap, out ndisSapHandle);

    /// <summary>NdisCmRegisterSapComplete.</summary>
    public static void CmRegisterSapComplete(NdisStatus status, CoSapHandle ndisSapHandle, object? callMgrSapContext) =>
        RuntimeOf(ndisSapHandle).CmRegisterSapComplete(status, ndisSapHandle, callMgrSapContext);

    /// <summary>NdisMCmRegisterSapComplete.</summary>
    public static void MCmRegisterSapComplete(NdisStatus status, CoSapHandle ndisSapHandle, object? callMgrSapContext) =>
        CmRegisterSapComplete(status, ndisSapHandle, callMgrSapContext);

    /// <summary>NdisClDeregisterSap.</summary>
    public static NdisStatus ClDeregisterSap(CoSapHandle ndisSapHandle) => RuntimeOf(ndisSapHandle).ClDeregisterSap(ndisSapHandle);

    /// <summary>NdisCmDeregisterSapComplete.</summary>
    public static void CmDeregisterSapComplete(NdisStatus status, CoSapHandle ndisSapHandle) =>
        RuntimeOf(ndisSapHandle).CmDeregisterSapComplete(status, ndisSapHandle);

    // ---- VCs ---------------------------------------------------------------------------------------

    /// <summary>NdisCoCreateVc.</summary>
    public static NdisStatus CoCreateVc(CoBinding ndisBindingHandle, CoAfHandle? ndisAfHandle, object? protocolVcContext, out VirtualConnection? ndisVcHandle) =>
        RuntimeOf(ndisBindingHandle).CoCreateVc(ndisBindingHandle, ndisAfHandle, protocolVcContext, out ndisVcHandle);

    /// <summary>NdisCoDeleteVc.</summary>
    public static NdisStatus CoDeleteVc(VirtualConnection ndisVcHandle) => RuntimeOf(ndisVcHandle).CoDeleteVc(ndisVcHandle);

    /// <summary>NdisMCmCreateVc.</summary>
    public static NdisStatus MCmCreateVc(CoMiniportAdapter miniportAdapterHandle, CoAfHandle ndisAfHandle, object? miniportVcContext, out VirtualConnection? ndisVcHandle) =>
        RuntimeOf(miniportAdapterHandle).MCmCreateVc(miniportAdapterHandle, ndisAfHandle, miniportVcContext, out ndisVcHandle);

    /// <summary>NdisMCmDeleteVc.</summary>
    public static NdisStatus MCmDeleteVc(VirtualConnection ndisVcHandle) => CoDeleteVc(ndisVcHandle);

    /// <summary>NdisCmActivateVc.</summary>
    public static NdisStatus CmActivateVc(VirtualConnection ndisVcHandle, CoCallParameters callParameters) =>
        RuntimeOf(ndisVcHandle).CmActivateVc(ndisVcHandle, callParameters);

    /// <summary>NdisMCmActivateVc.</summary>
    public static NdisStatus MCmActivateVc(VirtualConnection ndisVcHandle, CoCallParameters callParameters) => CmActivateVc(ndisVcHandle, callParameters);

    /// <summary>NdisCmDeactivateVc.</summary>
    public static NdisStatus CmDeactivateVc(VirtualConnection ndisVcHandle) => RuntimeOf(ndisVcHandle).CmDeactivateVc(ndisVcHandle);

    /// <summary>NdisMCmDeactivateVc.</summary>
    public static NdisStatus MCmDeactivateVc(VirtualConnection ndisVcHandle) => CmDeactivateVc(ndisVcHandle);

    /// <summary>NdisMCoActivateVcComplete.</summary>
    public static void MCoActivateVcComplete(NdisStatus status, VirtualConnection ndisVcHandle, CoCallParameters callParameters) =>
        RuntimeOf(ndisVcHandle).MCoActivateVcComplete(status, ndisVcHandle, callParameters);

    /// <summary>NdisMCoDeactivateVcComplete.</summary>
    public static void MCoDeactivateVcComplete(NdisStatus status, VirtualConnection ndisVcHandle) =>
        RuntimeOf(ndisVcHandle).MCoDeactivateVcComplete(status, ndisVcHandle);

    // ---- Calls -------------------------------------------------------------------------------------

    /// <summary>NdisClMakeCall.</summary>
    public static NdisStatus ClMakeCall(VirtualConnection ndisVcHandle, CoCallParameters callParameters, object? protocolPartyContext, out CoParty? ndisPartyHandle) =>
        RuntimeOf(ndisVcHandle).ClMakeCall(ndisVcHandle, callParameters, protocolPartyContext, out ndisPartyHandle);

    /// <summary>NdisCmMakeCallComplete.</summary>
    public static void CmMakeCallComplete(NdisStatus status, VirtualConnection ndisVcHandle, CoParty? ndisPartyHandle, object? callMgrPartyContext, CoCallParameters callParameters) =>
        RuntimeOf(ndisVcHandle).CmMakeCallComplete(status, ndisVcHandle, ndisPartyHandle, callMgrPartyContext, callParameters);

    /// <summary>NdisMCmMakeCallComplete.</summary>
    public static void MCmMakeCallComplete(NdisStatus status, VirtualConnection ndisVcHandle, CoParty? ndisPartyHandle, object? callMgrPartyContext, CoCallParameters callParameters) =>
        CmMakeCallComplete(status, ndisVcHandle, ndisPartyHandle, callMgrPartyContext, callParameters);

    /// <summary>NdisClCloseCall.</summary>
    public static NdisStatus ClCloseCall(VirtualConnection ndisVcHandle, CoParty? ndisPartyHandle, ReadOnlyMemory<byte> buffer) =>
        RuntimeOf(ndisVcHandle).ClCloseCall(ndisVcHandle, ndisPartyHandle, buffer);

    /// <summary>NdisCmCloseCallComplete.</summary>
    public static void CmCloseCallComplete(NdisStatus status, VirtualConnection ndisVcHandle, CoParty? ndisPartyHandle) =>
        RuntimeOf(ndisVcHandle).CmCloseCallComplete(status, ndisVcHandle, ndisPartyHandle);

    /// <summary>NdisMCmCloseCallComplete.</summary>
    public static void MCmCloseCallComplete(NdisStatus status, VirtualConnection ndisVcHandle, CoParty? ndisPartyHandle) =>
        CmCloseCallComplete(status, ndisVcHandle, ndisPartyHandle);

    /// <summary>NdisCmDispatchIncomingCall.</summary>
    public static NdisStatus CmDispatchIncomingCall(CoSapHandle ndisSapHandle, VirtualConnection ndisVcHandle, CoCallParameters callParameters) =>
        RuntimeOf(ndisVcHandle).CmDispatchIncomingCall(ndisSapHandle, ndisVcHandle, callParameters);

    /// <summary>NdisMCmDispatchIncomingCall.</summary>
    public static NdisStatus MCmDispatchIncomingCall(CoSapHandle ndisSapHandle, VirtualConnection ndisVcHandle, CoCallParameters callParameters) =>
        CmDispatchIncomingCall(ndisSapHandle, ndisVcHandle, callParameters);

    /// <summary>NdisClIncomingCallComplete.</summary>
    public static void ClIncomingCallComplete(NdisStatus status, VirtualConnection ndisVcHandle, CoCallParameters callParameters) =>
        RuntimeOf(ndisVcHandle).ClIncomingCallComplete(status, ndisVcHandle, callParameters);

    /// <summary>NdisCmDispatchCallConnected.</summary>
    public static void CmDispatchCallConnected(VirtualConnection ndisVcHandle) => RuntimeOf(ndisVcHandle).CmDispatchCallConnected(ndisVcHandle);

    /// <summary>NdisMCmDispatchCallConnected.</summary>
    public static void MCmDispatchCallConnected(VirtualConnection ndisVcHandle) => CmDispatchCallConnected(ndisVcHandle);

    /// <summary>NdisCmDispatchIncomingCloseCall.</summary>
    public static void CmDispatchIncomingCloseCall(NdisStatus closeStatus, VirtualConnection ndisVcHandle, ReadOnlyMemory<byte> buffer) =>
        RuntimeOf(ndisVcHandle).CmDispatchIncomingCloseCall(closeStatus, ndisVcHandle, buffer);

    /// <summary>NdisMCmDispatchIncomingCloseCall.</summary>
    public static void MCmDispatchIncomingCloseCall(NdisStatus closeStatus, VirtualConnection ndisVcHandle, ReadOnlyMemory<byte> buffer) =>
        CmDispatchIncomingCloseCall(closeStatus, ndisVcHandle, buffer);

    /// <summary>NdisClModifyCallQoS.</summary>
    public static NdisStatus ClModifyCallQoS(VirtualConnection ndisVcHandle, CoCallParameters callParameters) =>
        RuntimeOf(ndisVcHandle).ClModifyCallQoS(ndisVcHandle, callParameters);

    /// <summary>NdisCmModifyCallQoSComplete.</summary>
    public static void CmModifyCallQoSComplete(NdisStatus status, VirtualConnection ndisVcHandle, CoCallParameters callParameters) =>
        RuntimeOf(ndisVcHandle).CmModifyCallQoSComplete(status, ndisVcHandle, callParameters);

    /// <summary>NdisCmDispatchIncomingCallQoSChange.</summary>
    public static void CmDispatchIncomingCallQoSChange(VirtualConnection ndisVcHandle, CoCallParameters callParameters) =>
        RuntimeOf(ndisVcHandle).CmDispatchIncomingCallQoSChange(ndisVcHandle, callParameters);

    // ---- Parties -----------------------------------------------------------------------------------

    /// <summary>NdisClAddParty.</summary>
    public static NdisStatus ClAddParty(VirtualConnection ndisVcHandle, object? protocolPartyContext, CoCallParameters callParameters, out CoParty ndisPartyHandle) =>
        RuntimeOf(ndisVcHandle).ClAddParty(ndisVcHandle, protocolPartyContext, callParameters, out ndisPartyHandle);

    /// <summary>NdisCmAddPartyComplete.</summary>
    public static void CmAddPartyComplete(NdisStatus status, CoParty ndisPartyHandle, object? callMgrPartyContext, CoCallParameters callParameters) =>
        RuntimeOf(ndisPartyHandle).CmAddPartyComplete(status, ndisPartyHandle, callMgrPartyContext, callParameters);

    /// <summary>NdisMCmAddPartyComplete.</summary>
    public static void MCmAddPartyComplete(NdisStatus status, CoParty ndisPartyHandle, object? callMgrPartyContext, CoCallParameters callParameters) =>
        CmAddPartyComplete(status, ndisPartyHandle, callMgrPartyContext, callParameters);

    /// <summary>NdisClDropParty.</summary>
    public static NdisStatus ClDropParty(CoParty ndisPartyHandle, ReadOnlyMemory<byte> buffer) => RuntimeOf(ndisPartyHandle).ClDropParty(ndisPartyHandle, buffer);

    /// <summary>NdisCmDropPartyComplete.</summary>
    public static void CmDropPartyComplete(NdisStatus status, CoParty ndisPartyHandle) => RuntimeOf(ndisPartyHandle).CmDropPartyComplete(status, ndisPartyHandle);

    /// <summary>NdisMCmDropPartyComplete.</summary>
    public static void MCmDropPartyComplete(NdisStatus status, CoParty ndisPartyHandle) => CmDropPartyComplete(status, ndisPartyHandle);

    /// <summary>NdisCmDispatchIncomingDropParty.</summary>
    public static void CmDispatchIncomingDropParty(NdisStatus dropStatus, CoParty ndisPartyHandle, ReadOnlyMemory<byte> buffer) =>
        RuntimeOf(ndisPartyHandle).CmDispatchIncomingDropParty(dropStatus, ndisPartyHandle, buffer);

    // ---- Data path ---------------------------------------------------------------------------------

    /// <summary>NdisCoSendNetBufferLists.</summary>
    public static void CoSendNetBufferLists(VirtualConnection ndisVcHandle, NetBufferList? netBufferLists, SendFlags sendFlags) =>
        RuntimeOf(ndisVcHandle).CoSendNetBufferLists(ndisVcHandle, netBufferLists, sendFlags);

    /// <summary>NdisMCoSendNetBufferListsComplete (first argument: the NdisVcHandle).</summary>
    public static void MCoSendNetBufferListsComplete(VirtualConnection ndisVcHandle, NetBufferList? netBufferLists, SendCompleteFlags sendCompleteFlags) =>
        RuntimeOf(ndisVcHandle).MCoSendNetBufferListsComplete(ndisVcHandle, netBufferLists, sendCompleteFlags);

    /// <summary>NdisMCoIndicateReceiveNetBufferLists.</summary>
    public static void MCoIndicateReceiveNetBufferLists(VirtualConnection ndisVcHandle, NetBufferList? netBufferLists, int numberOfNetBufferLists, ReceiveFlags coReceiveFlags) =>
        RuntimeOf(ndisVcHandle).MCoIndicateReceiveNetBufferLists(ndisVcHandle, netBufferLists, numberOfNetBufferLists, coReceiveFlags);

    /// <summary>NdisReturnNetBufferLists.</summary>
    public static void ReturnNetBufferLists(CoBinding ndisBindingHandle, NetBufferList? netBufferLists, ReturnFlags returnFlags) =>
        RuntimeOf(ndisBindingHandle).ReturnNetBufferLists(ndisBindingHandle, netBufferLists, returnFlags);

    /// <summary>NdisCancelSendNetBufferLists.</summary>
    public static void CancelSendNetBufferLists(CoBinding ndisBindingHandle, nint cancelId) =>
        RuntimeOf(ndisBindingHandle).CancelSendNetBufferLists(ndisBindingHandle, cancelId);

    // ---- Requests and status -----------------------------------------------------------------------

    /// <summary>NdisCoOidRequest.</summary>
    public static NdisStatus CoOidRequest(CoBinding ndisBindingHandle, VirtualConnection? ndisVcHandle, NdisOidRequest oidRequest) =>
        RuntimeOf(ndisBindingHandle).CoOidRequest(ndisBindingHandle, ndisVcHandle, oidRequest);

    /// <summary>NdisMCoOidRequestComplete.</summary>
    public static void MCoOidRequestComplete(CoMiniportAdapter miniportAdapterHandle, VirtualConnection? ndisVcHandle, NdisOidRequest oidRequest, NdisStatus status) =>
        RuntimeOf(miniportAdapterHandle).MCoOidRequestComplete(miniportAdapterHandle, ndisVcHandle, oidRequest, status);

    /// <summary>NdisMCoIndicateStatusEx.</summary>
    public static void MCoIndicateStatusEx(CoMiniportAdapter miniportAdapterHandle, VirtualConnection? ndisVcHandle, NdisStatusIndication statusIndication) =>
        RuntimeOf(miniportAdapterHandle).MCoIndicateStatusEx(miniportAdapterHandle, ndisVcHandle, statusIndication);
}
