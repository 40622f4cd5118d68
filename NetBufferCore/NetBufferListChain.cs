namespace CoNdis.NetBufferCore;

/// <summary>
/// Helpers over NBL chains linked through Next: count, tail, append, and splits that keep order and
/// allocate nothing (by predicate, or the leading run that shares a value such as a SourceHandle).
/// </summary>
public static class NetBufferListChain
{
    /// <summary>Number of NBLs in the chain.</summary>
    public static int Count(NetBufferList? head)
    {
        int count = 0;
        for (; head is not null; head = head.Next)
            count++;
        return count;
    }

    /// <summary>The last NBL of the chain, or null.</summary>
    public static NetBufferList? Tail(NetBufferList? head)
    {
        if (head is null)
            return null;
        while (head.Next is not null)
            head = head.Next;
        return head;
    }

    /// <summary>Joins two chains; returns the head of the result.</summary>
    public static NetBufferList? Append(NetBufferList? first, NetBufferList? second)
    {
        if (first is null)
            return second;
        Tail(first)!.Next = second;
        return first;
    }

    /// <summary>
    /// Splits a chain in two, keeping order: NBLs for which <paramref name="predicate"/> holds go to
    /// <paramref name="matched"/>, the others to <paramref name="rest"/>. The state argument lets callers pass
    /// context without a closure.
    /// </summary>
    public static void Partition<TState>(NetBufferList? head, TState state, Func<NetBufferList, TState, bool> predicate,
        out NetBufferList? matched, out NetBufferList? rest)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        NetBufferList? matchedTail = null, restTail = null;
        matched = rest = null;
        while (head is not null)
        {
            var next = head.Next;
            head.Next = null;
            if (predicate(head, state))
            {
                if (matchedTail is null)
                    matched = head;
                else
                    matchedTail.Next = head;
                matchedTail = head;
            }
            else
            {
                if (restTail is null)
                    rest = head;
                else
                    restTail.Next = head;
                restTail = head;
            }
            head = next;
        }
    }

    /// <summary>
    /// Detaches the leading run of NBLs whose <paramref name="key"/> equals the first one's (for example all
    /// NBLs of one SourceHandle or one VC) and returns it; <paramref name="rest"/> receives what follows.
    /// </summary>
    public static NetBufferList? TakeRun<TKey>(NetBufferList? head, Func<NetBufferList, TKey> key, out NetBufferList? rest, out int count)
    {
        ArgumentNullException.ThrowIfNull(key);
        count = 0;
        rest = null;
        if (head is null)
            return null;
        var comparer = EqualityComparer<TKey>.Default;
        var first = key(head);
        var last = head;
        count = 1;
        while (last.Next is not null && comparer.Equals(key(last.Next), first))
        {
            last = last.Next;
            count++;
        }
        rest = last.Next;
        last.Next = null;
        return head;
    }
}
