using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Benchmarks.DataPath;

/// <summary>An NDIS 6 miniport that completes every send inside the send call and keeps its receive NBLs: nothing to hide the runtime's cost.</summary>
internal sealed class InlineNativeMiniport : ICoMiniport
{
    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, VirtualConnection ndisVcHandle, out object? miniportVcContext)
    {
        miniportVcContext = ndisVcHandle;
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => NdisStatus.Success;

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, CoCallParameters callParameters) => NdisStatus.Success;

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => NdisStatus.Success;

    public void MiniportCoSendNetBufferLists(object? miniportVcContext, NetBufferList netBufferLists, SendFlags sendFlags)
    {
        for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
            nbl.Status = NdisStatus.Success;
        Ndis.MCoSendNetBufferListsComplete((VirtualConnection)miniportVcContext!, netBufferLists, SendCompleteFlags.None);
    }

    public void MiniportReturnNetBufferLists(object? miniportAdapterContext, NetBufferList netBufferLists, ReturnFlags returnFlags)
    {
    }
}

/// <summary>An NDIS 5.x miniport (Ndis5 only) that completes every packet inside MiniportCoSendPackets and keeps its receive packets.</summary>
internal sealed class InlineLegacyMiniport : ILegacyCoMiniport
{
    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, LegacyCoVc ndisVcHandle, out object? miniportVcContext)
    {
        miniportVcContext = ndisVcHandle;
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => NdisStatus.Success;

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, object? callParameters) => NdisStatus.Success;

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => NdisStatus.Success;

    public void MiniportCoSendPackets(object? miniportVcContext, NdisPacket[] packetArray, uint numberOfPackets)
    {
        var vc = (LegacyCoVc)miniportVcContext!;
        for (int i = 0; i < numberOfPackets; i++)
            Ndis5.MCoSendComplete(NdisStatus.Success, vc, packetArray[i]);
    }

    public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet)
    {
    }
}
