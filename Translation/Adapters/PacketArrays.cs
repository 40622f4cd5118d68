using CoNdis.LegacyPacket;

namespace CoNdis.Translation.Adapters;

/// <summary>
/// Per-thread scratch arrays for the packet arrays the NDIS 5 calls take. A call may re-enter on the same thread
/// (a miniport that completes inline makes the sender send again), so each nesting level has its own array.
/// </summary>
internal static class PacketArrays
{
    public const int Size = 64;

    [ThreadStatic] private static NdisPacket[][]? t_arrays;
    [ThreadStatic] private static int t_depth;

    /// <summary>Takes this thread's array for the current nesting level; give it back with <see cref="Release"/>.</summary>
    public static NdisPacket[] Rent()
    {
        var arrays = t_arrays ??= new NdisPacket[8][];
        int depth = t_depth++;
        if (depth >= arrays.Length)
        {
            Array.Resize(ref arrays, arrays.Length * 2);
            t_arrays = arrays;
        }
        return arrays[depth] ??= new NdisPacket[Size];
    }

    /// <summary>Gives back the array of the current nesting level (its slots are cleared).</summary>
    public static void Release(NdisPacket[] array, int used)
    {
        Array.Clear(array, 0, used);
        t_depth--;
    }
}
