using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.TestDrivers;

/// <summary>A native client that sends chains of NBLs and records the length of every chain it gets back or up.</summary>
public sealed class ChainRecordingClient : QuietCoClient
{
    private readonly NetBufferListPool _nbls;
    private readonly NetBufferPool _nbs;

    public ChainRecordingClient(CoNdisRuntime runtime, CoMiniportAdapter adapter)
    {
        Binding = runtime.OpenAdapter(adapter, "chain spy client", this, this);
        _nbls = new NetBufferListPool(Binding.Handle, new NetBufferListPoolParameters(), 256, "spy NBLs");
        _nbs = new NetBufferPool(Binding.Handle, new NetBufferPoolParameters(), 1024, "spy NBs");
    }

    public CoBinding Binding { get; }

    public List<int> CompletionChains { get; } = [];

    public List<int> ReceiveChains { get; } = [];

    public void Send(VirtualConnection vc, int nbls, int nbsPerNbl)
    {
        NetBufferList? head = null;
        for (int i = nbls - 1; i >= 0; i--)
        {
            var nbl = _nbls.AllocateNetBufferList()!;
            NetBuffer? first = null;
            for (int j = nbsPerNbl - 1; j >= 0; j--)
            {
                var nb = TestFrames.Build(Binding.Handle, _nbs, TestFrames.Make(i * 10 + j, 80), 1);
                nb.Next = first;
                first = nb;
            }
            nbl.FirstNetBuffer = first;
            nbl.Next = head;
            head = nbl;
        }
        Ndis.CoSendNetBufferLists(vc, head, SendFlags.None);
    }

    public override void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        int count = 0;
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            if (nbl.Status != NdisStatus.Success)
                throw new InvalidOperationException($"{nbl} completed with {nbl.Status}");
            for (var nb = nbl.FirstNetBuffer; nb is not null;)
            {
                var nextNb = nb.Next;
                nb.Next = null;
                TestFrames.Free(nb);
                nb = nextNb;
            }
            nbl.FirstNetBuffer = null;
            nbl.Next = null;
            Ndis.FreeNetBufferList(nbl);
            count++;
            nbl = next;
        }
        CompletionChains.Add(count);
    }

    public override void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        ReceiveChains.Add(numberOfNetBufferLists);
        Ndis.ReturnNetBufferLists(Binding, netBufferLists, ReturnFlags.None);
    }
}
