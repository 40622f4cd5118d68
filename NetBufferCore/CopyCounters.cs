namespace CoNdis.NetBufferCore;

/// <summary>
/// Process-wide counts of the data copies NDIS makes (GetDataBuffer across MDLs,
/// CopyFromNetBufferToNetBuffer, resources receives…): data moves only where NDIS copies, and every
/// copy is counted here.
/// </summary>
public static class CopyCounters
{
    private static long s_copies;
    private static long s_bytes;
    [ThreadStatic] private static long t_copies;
    [ThreadStatic] private static long t_bytes;

    /// <summary>Copies made.</summary>
    public static long Copies => Interlocked.Read(ref s_copies);

    /// <summary>Bytes copied.</summary>
    public static long BytesCopied => Interlocked.Read(ref s_bytes);

    /// <summary>Copies made by the calling thread (to tell what one operation copied while others run).</summary>
    public static long CopiesOnThisThread => t_copies;

    /// <summary>Bytes copied by the calling thread.</summary>
    public static long BytesCopiedOnThisThread => t_bytes;

    /// <summary>Counts one copy of <paramref name="bytes"/> bytes.</summary>
    public static void Count(int bytes)
    {
        Interlocked.Increment(ref s_copies);
        Interlocked.Add(ref s_bytes, bytes);
        t_copies++;
        t_bytes += bytes;
    }
}
