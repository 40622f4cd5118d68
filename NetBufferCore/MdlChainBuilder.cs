using CoNdis.NetBufferCore.Pools;

namespace CoNdis.NetBufferCore;

/// <summary>
/// Builds new MDL chains that describe a byte range of an existing chain without copying it: one
/// partial MDL (IoBuildPartialMdl) per piece, so a range that starts inside an MDL or ends inside one
/// is described exactly. Clones, fragments and reassembly use it, and the NBL → packet translation builds the
/// partial MDLs in front of the MDLs it shares with it.
/// </summary>
public static class MdlChainBuilder
{
    /// <summary>
    /// Describes <paramref name="length"/> bytes starting at <paramref name="start"/> with new partial MDLs
    /// from <paramref name="pool"/>. A zero length gives an empty chain. Returns false (having freed what it
    /// built) when the pool runs out; throws when the range runs past the end of the source chain.
    /// </summary>
    public static bool TryDescribe(MdlPool pool, MdlPosition start, int length, MdlOrigin origin, out Mdl? head, out Mdl? tail) =>
        TryDescribe(pool, start, length, origin, out head, out tail, out _);

    /// <summary>
    /// <see cref="TryDescribe(MdlPool, MdlPosition, int, MdlOrigin, out Mdl?, out Mdl?)"/>, also giving the number of
    /// MDLs built (what <see cref="FreeChain(Mdl?, int)"/> frees when the new chain has more behind it).
    /// </summary>
    public static bool TryDescribe(MdlPool pool, MdlPosition start, int length, MdlOrigin origin, out Mdl? head, out Mdl? tail, out int count)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        head = tail = null;
        count = 0;
        var position = start.Canonical();
        var source = position.Mdl;
        int offset = position.Offset;
        int remaining = length;
        while (remaining > 0)
        {
            if (source is null)
            {
                FreeChain(head);
                head = tail = null;
                count = 0;
                throw new ArgumentOutOfRangeException(nameof(length), $"The range of {length} byte(s) runs past the end of the MDL chain.");
            }
            int piece = Math.Min(source.ByteCount - offset, remaining);
            if (piece > 0)
            {
                var partial = pool.AllocatePartial(source, offset, piece, origin);
                if (partial is null)
                {
                    FreeChain(head);
                    head = tail = null;
                    count = 0;
                    return false;
                }
                if (tail is null)
                    head = partial;
                else
                    tail.Next = partial;
                tail = partial;
                count++;
                remaining -= piece;
            }
            source = source.Next;
            offset = 0;
        }
        return true;
    }

    /// <summary>
    /// Frees the first <paramref name="count"/> MDLs of a chain (the ones a describe built; what follows them is
    /// someone else's and is not touched) to the pools they came from.
    /// </summary>
    public static void FreeChain(Mdl? head, int count)
    {
        for (int i = 0; i < count && head is not null; i++)
        {
            var next = head.Next;
            head.Next = null;
            if (head.OwningPool is MdlPool pool)
                pool.Free(head);
            head = next;
        }
    }

    /// <summary>Frees every MDL of a chain to the pool it came from.</summary>
    public static void FreeChain(Mdl? head)
    {
        while (head is not null)
        {
            var next = head.Next;
            head.Next = null;
            if (head.OwningPool is MdlPool pool)
                pool.Free(head);
            head = next;
        }
    }
}
