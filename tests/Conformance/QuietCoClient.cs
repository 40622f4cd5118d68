using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Conformance;

/// <summary>
/// A CoNDIS client whose call-control handlers accept and do nothing, for tests that only care about the data path:
/// derive and override the data-path handlers.
/// </summary>
public abstract class QuietCoClient : ICoClient
{
    public virtual NdisStatus ClCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = ndisVcHandle;
        return NdisStatus.Success;
    }

    public virtual NdisStatus ClDeleteVc(object? protocolVcContext) => NdisStatus.Success;

    public virtual void ClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle)
    {
    }

    public virtual void ClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
    }

    public virtual void ClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext)
    {
    }

    public abstract void CoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags);

    public virtual void CoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
    }
}
