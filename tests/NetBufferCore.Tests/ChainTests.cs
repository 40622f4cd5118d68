namespace CoNdis.NetBufferCore.Tests;

public sealed class ChainTests
{
    private static (TestNdis Ndis, NetBufferList[] Nbls) Make(int count)
    {
        var ndis = new TestNdis();
        var nbls = Enumerable.Range(0, count).Select(_ => ndis.NetBufferLists.AllocateNetBufferList()!).ToArray();
        for (int i = 0; i < count; i++)
            nbls[i].SourceHandle = i % 3 == 0 ? "a" : "b";
        return (ndis, nbls);
    }

    private static NetBufferList? Link(NetBufferList[] nbls)
    {
        for (int i = 0; i < nbls.Length; i++)
            nbls[i].Next = i + 1 < nbls.Length ? nbls[i + 1] : null;
        return nbls.Length == 0 ? null : nbls[0];
    }

    [Fact]
    public void Queue_is_fifo_and_keeps_batches_as_chains()
    {
        var (_, nbls) = Make(10);
        var queue = new NetBufferListQueue();
        queue.Enqueue(nbls[0]);
        queue.EnqueueChain(Link(nbls[1..6]));
        queue.EnqueueChain(nbls[6], nbls[6], 1);
        Assert.Equal(7, queue.Count);
        Assert.Same(nbls[0], queue.Dequeue());
        var batch = queue.DequeueChain(3)!;
        Assert.Equal([nbls[1], nbls[2], nbls[3]], batch.Chain.ToList());
        Assert.Equal(3, queue.Count);
        var rest = queue.DequeueAll();
        Assert.Equal([nbls[4], nbls[5], nbls[6]], rest!.Chain.ToList());
        Assert.True(queue.IsEmpty);
        Assert.Null(queue.Dequeue());
    }

    [Fact]
    public void Partition_keeps_order_on_both_sides()
    {
        var (_, nbls) = Make(9);
        NetBufferListChain.Partition(Link(nbls), "a", (nbl, key) => Equals(nbl.SourceHandle, key), out var matched, out var rest);
        Assert.Equal([nbls[0], nbls[3], nbls[6]], matched!.Chain.ToList());
        Assert.Equal(6, NetBufferListChain.Count(rest));
        Assert.Equal(nbls.Where(n => Equals(n.SourceHandle, "b")), rest!.Chain.ToList());
    }

    [Fact]
    public void TakeRun_detaches_the_leading_run_that_shares_a_value()
    {
        var (_, nbls) = Make(5);
        nbls[1].SourceHandle = "a";
        var run = NetBufferListChain.TakeRun(Link(nbls), n => n.SourceHandle, out var rest, out int count);
        Assert.Equal(2, count);
        Assert.Equal([nbls[0], nbls[1]], run!.Chain.ToList());
        Assert.Same(nbls[2], rest);
        Assert.Same(nbls[4], NetBufferListChain.Tail(rest));
        Assert.Equal(5, NetBufferListChain.Count(NetBufferListChain.Append(run, rest)));
    }
}
