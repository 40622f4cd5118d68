using CoNdis.NetBufferCore.Pools;

namespace CoNdis.NetBufferCore;

/// <summary>
/// Builds new MDL chains that describe a byte range of an existing chain without copying it: one
/// partial MDL (IoBuildPartialMdl) per piece, so a range that starts inside an MDL or ends inside one
/// is described exactly. Clones, fragments, reassembly and the NBL ⇄ packet translation use it.
/// </summary>
public static class MdlChainBuilder
{
    /// <summary>
    /// Describes <paramref name="length"/> bytes starting at <paramref name="start"/> with new partial MDLs
    /// from <paramref name="pool"/>. A zero length gives an empty chain. Returns false (having freed what it
    /// built) when the pool runs out; throws when the range runs past the end of the source chain.
    /// </summary>
    public static bool TryDescribe(MdlPool pool, MdlPosition start, int length, MdlOrigin origin, out Mdl? head, out Mdl? tail)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        head = tail = null;
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
                    return false;
                }
                if (tail is null)
                    head = partial;
                else
                    tail.Next = partial;
                tail = partial;
                remaining -= piece;
            }
            source = source.Next;
            offset = 0;
        }
        return true;
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
