namespace CoNdis.NetBufferCore;

/// <summary>
/// An O(1) FIFO of NBLs linked through their own Next fields (NBL_QUEUE in public NDIS samples): no
/// allocation, no per-node storage. Not thread-safe; guard it with the owner's lock or keep it per thread.
/// </summary>
public sealed class NetBufferListQueue
{
    private NetBufferList? _head;
    private NetBufferList? _tail;

    /// <summary>NBLs queued.</summary>
    public int Count { get; private set; }

    /// <summary>True when nothing is queued.</summary>
    public bool IsEmpty => _head is null;

    /// <summary>The first NBL (not removed).</summary>
    public NetBufferList? Head => _head;

    /// <summary>Appends one NBL (its Next is overwritten).</summary>
    public void Enqueue(NetBufferList netBufferList)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        netBufferList.Next = null;
        if (_tail is null)
            _head = netBufferList;
        else
            _tail.Next = netBufferList;
        _tail = netBufferList;
        Count++;
    }

    /// <summary>Appends a whole chain; O(chain length) to find its tail and count it.</summary>
    public void EnqueueChain(NetBufferList? chain)
    {
        if (chain is null)
            return;
        var tail = chain;
        int count = 1;
        while (tail.Next is not null)
        {
            tail = tail.Next;
            count++;
        }
        EnqueueChain(chain, tail, count);
    }

    /// <summary>Appends a chain whose tail and length the caller already knows: O(1).</summary>
    public void EnqueueChain(NetBufferList chain, NetBufferList tail, int count)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(tail);
        tail.Next = null;
        if (_tail is null)
            _head = chain;
        else
            _tail.Next = chain;
        _tail = tail;
        Count += count;
    }

    /// <summary>Removes and returns the first NBL (unlinked), or null.</summary>
    public NetBufferList? Dequeue()
    {
        var head = _head;
        if (head is null)
            return null;
        _head = head.Next;
        if (_head is null)
            _tail = null;
        head.Next = null;
        Count--;
        return head;
    }

    /// <summary>Removes everything and returns it as one chain (a batch stays a batch).</summary>
    public NetBufferList? DequeueAll()
    {
        var head = _head;
        _head = _tail = null;
        Count = 0;
        return head;
    }

    /// <summary>Removes up to <paramref name="most"/> NBLs from the front as one chain.</summary>
    public NetBufferList? DequeueChain(int most)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(most, 1);
        var head = _head;
        if (head is null)
            return null;
        var last = head;
        int taken = 1;
        while (taken < most && last.Next is not null)
        {
            last = last.Next;
            taken++;
        }
        _head = last.Next;
        if (_head is null)
            _tail = null;
        last.Next = null;
        Count -= taken;
        return head;
    }
}
