using System.Diagnostics;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;

namespace CoNdis.Translation.Adapters;

/// <summary>
/// Per-thread scratch for the adapters' hot paths: the packet arrays the NDIS 5 calls take, and the record of a
/// RESOURCES chain's order (which has to be given back linked as it came). A call may re-enter on the same thread (a
/// miniport that completes inline makes the sender send again), so each nesting level has its own array and its own
/// record: nothing is allocated per call.
/// </summary>
internal static class PacketArrays
{
    public const int Size = 64;

    [ThreadStatic] private static NdisPacket[][]? t_arrays;
    [ThreadStatic] private static int t_depth;
    [ThreadStatic] private static List<NetBufferList>[]? t_orders;
    [ThreadStatic] private static int t_orderDepth;

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

    /// <summary>Records the order of <paramref name="chain"/>'s NBLs; give it back with <see cref="RestoreChainOrder"/>.</summary>
    public static List<NetBufferList> RentChainOrder(NetBufferList chain)
    {
        var orders = t_orders ??= new List<NetBufferList>[4];
        int depth = t_orderDepth++;
        if (depth >= orders.Length)
        {
            Array.Resize(ref orders, orders.Length * 2);
            t_orders = orders;
        }
        var order = orders[depth] ??= new List<NetBufferList>(64);
        Debug.Assert(order.Count == 0, "an order record is reused only once restored");
        for (var nbl = chain; nbl is not null; nbl = nbl.Next)
            order.Add(nbl);
        return order;
    }

    /// <summary>Links the recorded NBLs again in their recorded order (the last one's Next null) and gives the record back.</summary>
    public static void RestoreChainOrder(List<NetBufferList> order)
    {
        for (int i = 0; i < order.Count; i++)
            order[i].Next = i + 1 < order.Count ? order[i + 1] : null;
        order.Clear();
        t_orderDepth--;
    }
}
