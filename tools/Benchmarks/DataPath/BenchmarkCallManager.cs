using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Benchmarks.DataPath;

/// <summary>A call manager that connects every call at once (activate, complete): only the data path is measured.</summary>
internal sealed class BenchmarkCallManager : ICoCallManager
{
    public static readonly CoAddressFamily AddressFamily = new(CoAddressFamily.Q2931, 3, 1);

    public NdisStatus CmCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = ndisVcHandle;
        return NdisStatus.Success;
    }

    public NdisStatus CmDeleteVc(object? protocolVcContext) => NdisStatus.Success;

    public NdisStatus CmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext)
    {
        callMgrAfContext = null;
        return NdisStatus.Success;
    }

    public NdisStatus CmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext)
    {
        callMgrSapContext = null;
        return NdisStatus.Success;
    }

    public NdisStatus CmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext)
    {
        callMgrPartyContext = null;
        return Ndis.CmActivateVc((VirtualConnection)callMgrVcContext!, callParameters);
    }

    public NdisStatus CmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, ReadOnlyMemory<byte> closeData) =>
        Ndis.CmDeactivateVc((VirtualConnection)callMgrVcContext!);
}
