using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Benchmarks.DataPath;

/// <summary>An NDIS 6 client that counts completions and returns every receive chain at once, as one chain.</summary>
internal sealed class CountingNativeClient : ICoClient
{
    public CoBinding Binding { get; set; } = null!;

    public long Completed;

    public long Received;

    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = null;
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext) => NdisStatus.Success;

    public void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle)
    {
    }

    public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
    }

    public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext)
    {
    }

    public void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
            Completed++;
    }

    public void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        Received += numberOfNetBufferLists;
        if ((receiveFlags & ReceiveFlags.Resources) == 0)
            Ndis.ReturnNetBufferLists(Binding, netBufferLists, ReturnFlags.None);
    }
}

/// <summary>An NDIS 5.x client (Ndis5 only) that counts completions and releases every receive at once (count 0).</summary>
internal sealed class CountingLegacyClient : ILegacyCoClient
{
    public long Completed;

    public long Received;

    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet) => Completed++;

    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
    {
        Received++;
        return 0;
    }

    public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
    {
    }

    public void ProtocolReceiveComplete(object? protocolBindingContext)
    {
    }
}
