using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.TestDrivers;

/// <summary>
/// An NDIS 6 client for steady-state tests and the benchmarks: ProtocolCoSendNetBufferListsComplete counts the NBLs
/// (and, when asked, checks each completes once and with SUCCESS, and frees it to its pool);
/// ProtocolCoReceiveNetBufferLists counts and returns every chain at once, as one chain. Nothing is allocated and no
/// lock is taken per NBL, and the counts are kept without atomics: one completing (and one receiving) thread at a
/// time, as every test miniport here completes from one thread.
/// </summary>
public sealed class CountingClient : QuietCoClient
{
    private long _completed;
    private long _received;

    public CoBinding Binding { get; private set; } = null!;

    /// <summary>NBLs completed so far.</summary>
    public long Completed => Volatile.Read(ref _completed);

    /// <summary>NBLs indicated so far.</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>Throw when an NBL completes with anything but SUCCESS.</summary>
    public bool RequireSuccess { get; set; }

    /// <summary>When set, each completed NBL is freed to this pool (NdisFreeNetBufferList); otherwise the sender keeps it.</summary>
    public NetBufferListPool? FreeTo { get; set; }

    /// <summary>
    /// When set, completions are checked off by sequence number (the NBL's Info.HashValue indexes this array): a
    /// second completion of one NBL throws.
    /// </summary>
    public int[]? CompletionsBySequence { get; set; }

    /// <summary>Binds to <paramref name="adapter"/> (NdisOpenAdapterEx) as <paramref name="name"/>.</summary>
    public CoBinding Bind(CoNdisRuntime runtime, CoMiniportAdapter adapter, string name = "counting client")
    {
        ArgumentNullException.ThrowIfNull(runtime);
        Binding = runtime.OpenAdapter(adapter, name, this, protocolBindingContext: this);
        return Binding;
    }

    public override void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        long count = 0;
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            if (RequireSuccess && nbl.Status != NdisStatus.Success)
                throw new InvalidOperationException($"{nbl} completed with {nbl.Status}");
            if (CompletionsBySequence is { } once && Interlocked.Increment(ref once[(int)nbl.Info.HashValue]) != 1)
                throw new InvalidOperationException($"send {nbl.Info.HashValue} completed twice");
            if (FreeTo is { } pool)
            {
                nbl.Next = null;
                pool.FreeNetBufferList(nbl);
            }
            count++;
            nbl = next;
        }
        Volatile.Write(ref _completed, _completed + count);
    }

    public override void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        Volatile.Write(ref _received, _received + numberOfNetBufferLists);
        if ((receiveFlags & ReceiveFlags.Resources) == 0)
            Ndis.ReturnNetBufferLists(Binding, netBufferLists, ReturnFlags.None);
    }
}
