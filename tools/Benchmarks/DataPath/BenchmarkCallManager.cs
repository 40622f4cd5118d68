using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Benchmarks.DataPath;

/// <summary>A call manager that connects every call at once (activate, complete): only the data path is measured.</summary>
internal sealed class BenchmarkCallManager : ICoCallManager
{
    public static readonly CoAddressFamily AddressFamily = new(CoAddressFamily.Q2931, 3, 1);

    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = ndisVcHandle;
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext) => NdisStatus.Success;

    public NdisStatus ProtocolCmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext)
    {
        callMgrAfContext = null;
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext)
    {
        callMgrSapContext = null;
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext)
    {
        callMgrPartyContext = null;
        return Ndis.CmActivateVc((VirtualConnection)callMgrVcContext!, callParameters);
    }

    public NdisStatus ProtocolCmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, ReadOnlyMemory<byte> closeData) =>
        Ndis.CmDeactivateVc((VirtualConnection)callMgrVcContext!);
}
