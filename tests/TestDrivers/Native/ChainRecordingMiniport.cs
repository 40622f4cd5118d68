using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.TestDrivers;

/// <summary>A native miniport that indicates chains of one-NB NBLs and records the length of every chain returned to it.</summary>
public sealed class ChainRecordingMiniport : ICoMiniport
{
    private readonly NetBufferListPool _nbls;

    public ChainRecordingMiniport(CoNdisRuntime runtime)
    {
        Adapter = runtime.RegisterMiniport("chain spy miniport", this, this);
        _nbls = new NetBufferListPool(Adapter.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 256 }, 256, "spy receive NBLs");
    }

    public CoMiniportAdapter Adapter { get; }

    public List<int> ReturnChains { get; } = [];

    public void Indicate(VirtualConnection vc, int count)
    {
        NetBufferList? head = null;
        for (int i = count - 1; i >= 0; i--)
        {
            var nbl = _nbls.AllocateNetBufferList()!;
            var frame = TestFrames.Make(i, 64 + i % 100);
            var mdl = nbl.FirstNetBuffer!.MdlChain!;
            frame.CopyTo(mdl.Span);
            mdl.AdjustLength(frame.Length);
            nbl.FirstNetBuffer.Initialize(mdl, 0, frame.Length);
            nbl.Next = head;
            head = nbl;
        }
        Ndis.MCoIndicateReceiveNetBufferLists(vc, head!, count, ReceiveFlags.None);
    }

    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, VirtualConnection ndisVcHandle, out object? miniportVcContext)
    {
        miniportVcContext = ndisVcHandle;
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => NdisStatus.Success;

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, CoCallParameters callParameters) => NdisStatus.Success;

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => NdisStatus.Success;

    public void MiniportCoSendNetBufferLists(object? miniportVcContext, NetBufferList netBufferLists, SendFlags sendFlags) =>
        Ndis.MCoSendNetBufferListsComplete((VirtualConnection)miniportVcContext!, netBufferLists, SendCompleteFlags.None);

    public void MiniportReturnNetBufferLists(object? miniportAdapterContext, NetBufferList netBufferLists, ReturnFlags returnFlags)
    {
        int count = 0;
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            nbl.Next = null;
            var mdl = nbl.FirstNetBuffer!.MdlChain!;
            mdl.AdjustLength(256);
            Ndis.FreeNetBufferList(nbl);
            count++;
            nbl = next;
        }
        ReturnChains.Add(count);
    }
}
