using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers;

/// <summary>
/// A CoNDIS client whose call-control handlers accept and do nothing, for tests that only care about the data path:
/// derive and override the data-path handlers.
/// </summary>
public abstract class QuietCoClient : ICoClient
{
    public virtual NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = ndisVcHandle;
        return NdisStatus.Success;
    }

    public virtual NdisStatus ProtocolCoDeleteVc(object? protocolVcContext) => NdisStatus.Success;

    public virtual void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle)
    {
    }

    public virtual void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
    }

    public virtual void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext)
    {
    }

    public abstract void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags);

    public virtual void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
    }
}
