using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;

namespace CoNdis.Translation.Adapters;

/// <summary>
/// Per-thread scratch for the adapters' hot paths: the packet arrays the NDIS 5 calls take and the NBL queues
/// completions are gathered in. A call may re-enter on the same thread (a miniport that completes inline makes the
/// sender send again), so each nesting level has its own array and its own queue: nothing is allocated per call.
/// </summary>
internal static class PacketArrays
{
    public const int Size = 64;

    [ThreadStatic] private static NdisPacket[][]? t_arrays;
    [ThreadStatic] private static int t_depth;
    [ThreadStatic] private static NetBufferListQueue[]? t_queues;
    [ThreadStatic] private static int t_queueDepth;

    /// <summary>Takes this thread's empty queue for the current nesting level; give it back with <see cref="ReleaseQueue"/>.</summary>
    public static NetBufferListQueue RentQueue()
    {
        var queues = t_queues ??= new NetBufferListQueue[8];
        int depth = t_queueDepth++;
        if (depth >= queues.Length)
        {
            Array.Resize(ref queues, queues.Length * 2);
            t_queues = queues;
        }
        return queues[depth] ??= new NetBufferListQueue();
    }

    /// <summary>Gives back the queue of the current nesting level (it must be empty again).</summary>
    public static void ReleaseQueue(NetBufferListQueue queue)
    {
        if (!queue.IsEmpty)
            throw new InvalidOperationException("A scratch NBL queue was given back with NBLs still in it.");
        t_queueDepth--;
    }

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
