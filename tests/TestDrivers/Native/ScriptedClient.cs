using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers;

/// <summary>
/// An NDIS 6 client that keeps every NBL it gets back (ProtocolCoSendNetBufferListsComplete) and every NBL indicated
/// to it (ProtocolCoReceiveNetBufferLists), and returns nothing on its own, so the test can misuse them. It rejects
/// incoming calls (the ICoClient default).
/// </summary>
public sealed class ScriptedClient : QuietCoClient
{
    public List<NetBufferList> Completed { get; } = [];

    public List<NetBufferList> Received { get; } = [];

    /// <summary>Runs at the start of each send completion, before the NBLs are kept (a test's look from inside the handler).</summary>
    public Action<NetBufferList>? WhileCompleting { get; set; }

    public override void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        WhileCompleting?.Invoke(netBufferLists);
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            nbl.Next = null;
            Completed.Add(nbl);
            nbl = next;
        }
    }

    public override void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        foreach (var nbl in netBufferLists.Chain)
            Received.Add(nbl);
    }
}
