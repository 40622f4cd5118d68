namespace CoNdis.NetBufferCore;

/// <summary>
/// Process-wide counts of the data copies NDIS makes (GetDataBuffer across MDLs, CopyFromNetBufferToNetBuffer,
/// resources receives, bounce buffers…): data moves only where NDIS copies, and every copy is counted here. Each
/// thread counts into its own slot with plain adds (no interlocked operation on the data path); the totals are the
/// sum of the slots when read.
/// </summary>
public static class CopyCounters
{
    private static readonly List<Slot> s_slots = [];
    [ThreadStatic] private static Slot? t_slot;

    /// <summary>Copies made.</summary>
    public static long Copies => Sum(static s => Volatile.Read(ref s.Copies));

    /// <summary>Bytes copied.</summary>
    public static long BytesCopied => Sum(static s => Volatile.Read(ref s.Bytes));

    /// <summary>Copies made by the calling thread (to tell what one operation copied while others run).</summary>
    public static long CopiesOnThisThread => t_slot?.Copies ?? 0;

    /// <summary>Bytes copied by the calling thread.</summary>
    public static long BytesCopiedOnThisThread => t_slot?.Bytes ?? 0;

    /// <summary>Counts one copy of <paramref name="bytes"/> bytes.</summary>
    public static void Count(int bytes)
    {
        var slot = t_slot ?? CreateSlot();
        Volatile.Write(ref slot.Copies, slot.Copies + 1);
        Volatile.Write(ref slot.Bytes, slot.Bytes + bytes);
    }

    private static Slot CreateSlot()
    {
        var slot = new Slot();
        lock (s_slots)
            s_slots.Add(slot);
        t_slot = slot;
        return slot;
    }

    private static long Sum(Func<Slot, long> read)
    {
        long total = 0;
        lock (s_slots)
        {
            foreach (var slot in s_slots)
                total += read(slot);
        }
        return total;
    }

    /// <summary>One thread's counts (written by that thread only).</summary>
    private sealed class Slot
    {
        public long Copies;
        public long Bytes;
    }
}
