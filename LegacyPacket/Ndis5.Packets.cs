using System.Runtime.CompilerServices;
using CoNdis.NetBufferCore;

namespace CoNdis.LegacyPacket;

// NDIS_PACKET pools, descriptors, chains and counts (ndis.h; NDIS 5.1 reference: NDIS_PACKET structure,
// NdisAllocatePacketPoolEx, NdisQueryPacket).
public static partial class Ndis5
{
    /// <summary>NdisAllocatePacketPool(&amp;Status, &amp;PoolHandle, NumberOfDescriptors, ProtocolReservedLength): SUCCESS or RESOURCES.</summary>
    public static void AllocatePacketPool(out NdisStatus status, out NdisPacketPool? poolHandle, uint numberOfDescriptors,
        uint protocolReservedLength, NdisHandle? ndisHandle = null) =>
        AllocatePacketPoolEx(out status, out poolHandle, numberOfDescriptors, 0, protocolReservedLength, ndisHandle);

    /// <summary>
    /// NdisAllocatePacketPoolEx(&amp;Status, &amp;PoolHandle, NumberOfDescriptors, NumberOfOverflowDescriptors,
    /// ProtocolReservedLength): more than 0xFFFF static descriptors is RESOURCES; the overflow count is
    /// reduced so the total stays within 0xFFFF. A pool that could never hand out a descriptor (0 + 0), or
    /// whose OOB offset would not fit its USHORT, is also RESOURCES (model choice).
    /// </summary>
    public static void AllocatePacketPoolEx(out NdisStatus status, out NdisPacketPool? poolHandle, uint numberOfDescriptors,
        uint numberOfOverflowDescriptors, uint protocolReservedLength, NdisHandle? ndisHandle = null)
    {
        var handle = ndisHandle ?? new NdisHandle("NDIS 5 driver");
        poolHandle = null;
        ulong total = Math.Min((ulong)numberOfDescriptors + numberOfOverflowDescriptors, NdisPacketPool.MaxDescriptors);
        if (numberOfDescriptors > NdisPacketPool.MaxDescriptors || total == 0
            || protocolReservedLength > ushort.MaxValue || PacketLayout.OobOffset((int)protocolReservedLength) > ushort.MaxValue)
        {
            status = NdisStatus.Resources;
            return;
        }
        int overflow = (int)total - (int)numberOfDescriptors;
        poolHandle = new NdisPacketPool(handle, (int)numberOfDescriptors, overflow, (int)protocolReservedLength,
            $"{handle.Name} packet pool ({numberOfDescriptors}+{overflow})");
        status = NdisStatus.Success;
    }

    /// <summary>NdisFreePacketPool(PoolHandle): every packet must already be freed (a leak finding otherwise).</summary>
    public static void FreePacketPool(NdisPacketPool poolHandle, [CallerMemberName] string caller = "")
    {
        ArgumentNullException.ThrowIfNull(poolHandle);
        poolHandle.FreePool(caller);
    }

    /// <summary>NdisPacketPoolUsage(PoolHandle): descriptors allocated now.</summary>
    public static uint PacketPoolUsage(NdisPacketPool poolHandle)
    {
        ArgumentNullException.ThrowIfNull(poolHandle);
        return (uint)poolHandle.Usage;
    }

    /// <summary>NdisPacketSize(ProtocolReservedSize): bytes of a descriptor (with OOB block and extension) for that reserve.</summary>
    public static uint PacketSize(uint protocolReservedSize)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(protocolReservedSize, (uint)ushort.MaxValue);
        return (uint)PacketLayout.DescriptorSize((int)protocolReservedSize);
    }

    /// <summary>
    /// NdisAllocatePacket(&amp;Status, &amp;Packet, PoolHandle): SUCCESS with a fresh descriptor (no buffers,
    /// counts invalid, OOB block and extension zeroed, fPACKET_ALLOCATED_BY_NDIS), or RESOURCES with NULL.
    /// </summary>
    public static void AllocatePacket(out NdisStatus status, out NdisPacket? packet, NdisPacketPool poolHandle)
    {
        ArgumentNullException.ThrowIfNull(poolHandle);
        packet = poolHandle.Allocate();
        status = packet is null ? NdisStatus.Resources : NdisStatus.Success;
    }

    /// <summary>NdisDprAllocatePacket: AllocatePacket for callers already at DISPATCH_LEVEL.</summary>
    public static void DprAllocatePacket(out NdisStatus status, out NdisPacket? packet, NdisPacketPool poolHandle) =>
        AllocatePacket(out status, out packet, poolHandle);

    /// <summary>NdisDprAllocatePacketNonInterlocked: AllocatePacket for callers that serialize the pool themselves.</summary>
    public static void DprAllocatePacketNonInterlocked(out NdisStatus status, out NdisPacket? packet, NdisPacketPool poolHandle) =>
        AllocatePacket(out status, out packet, poolHandle);

    /// <summary>NdisFreePacket(Packet): back to its pool; a second free is a verifier finding.</summary>
    public static void FreePacket(NdisPacket packet, [CallerMemberName] string caller = "")
    {
        ArgumentNullException.ThrowIfNull(packet);
        packet.Private.Pool.Free(packet, caller);
    }

    /// <summary>NdisDprFreePacket: FreePacket at DISPATCH_LEVEL.</summary>
    public static void DprFreePacket(NdisPacket packet, [CallerMemberName] string caller = "") => FreePacket(packet, caller);

    /// <summary>NdisDprFreePacketNonInterlocked: FreePacket for callers that serialize the pool themselves.</summary>
    public static void DprFreePacketNonInterlocked(NdisPacket packet, [CallerMemberName] string caller = "") => FreePacket(packet, caller);

    /// <summary>
    /// NdisReinitializePacket(Packet): Head = NULL, ValidCounts = FALSE; Tail is left as it was, as the macro
    /// does. Chained buffers are dropped from the packet, not freed: save them first.
    /// </summary>
    public static void ReinitializePacket(NdisPacket packet)
    {
        CheckAllocated(packet, nameof(ReinitializePacket));
        packet.Private.Head = null;
        packet.Private.ValidCounts = false;
    }

    /// <summary>
    /// NdisChainBufferAtFront(Packet, Buffer): <paramref name="buffer"/> may be a chain; its last buffer is
    /// linked to the old head. Invalidates the cached counts.
    /// </summary>
    public static void ChainBufferAtFront(NdisPacket packet, Mdl buffer)
    {
        CheckAllocated(packet, nameof(ChainBufferAtFront));
        ArgumentNullException.ThrowIfNull(buffer);
        var last = LastOf(buffer);
        var p = packet.Private;
        if (p.Head is null)
            p.Tail = last;
        last.Next = p.Head;
        p.Head = buffer;
        p.ValidCounts = false;
    }

    /// <summary>
    /// NdisChainBufferAtBack(Packet, Buffer): <paramref name="buffer"/> may be a chain; it is appended after the
    /// tail. Invalidates the cached counts.
    /// </summary>
    public static void ChainBufferAtBack(NdisPacket packet, Mdl buffer)
    {
        CheckAllocated(packet, nameof(ChainBufferAtBack));
        ArgumentNullException.ThrowIfNull(buffer);
        var last = LastOf(buffer);
        last.Next = null;
        var p = packet.Private;
        if (p.Head is not null)
            p.Tail!.Next = buffer;
        else
            p.Head = buffer;
        p.Tail = last;
        p.ValidCounts = false;
    }

    /// <summary>
    /// NdisUnchainBufferAtFront(Packet, &amp;Buffer): removes the head (NULL when the packet is empty) and
    /// invalidates the cached counts. The removed buffer's Next is cleared and Tail is fixed when the
    /// packet becomes empty (model choice; Microsoft's handling of Next is not documented).
    /// </summary>
    public static void UnchainBufferAtFront(NdisPacket packet, out Mdl? buffer)
    {
        CheckAllocated(packet, nameof(UnchainBufferAtFront));
        var p = packet.Private;
        buffer = p.Head;
        if (buffer is null)
            return;
        p.Head = buffer.Next;
        if (p.Head is null)
            p.Tail = null;
        buffer.Next = null;
        p.ValidCounts = false;
    }

    /// <summary>NdisUnchainBufferAtBack(Packet, &amp;Buffer): removes the tail (NULL when empty); invalidates the cached counts.</summary>
    public static void UnchainBufferAtBack(NdisPacket packet, out Mdl? buffer)
    {
        CheckAllocated(packet, nameof(UnchainBufferAtBack));
        var p = packet.Private;
        var head = p.Head;
        if (head is null)
        {
            buffer = null;
            return;
        }
        if (head.Next is null)
        {
            buffer = head;
            p.Head = null;
            p.Tail = null;
        }
        else
        {
            var beforeLast = head;
            while (beforeLast.Next!.Next is not null)
                beforeLast = beforeLast.Next;
            buffer = beforeLast.Next;
            beforeLast.Next = null;
            p.Tail = beforeLast;
        }
        buffer.Next = null;
        p.ValidCounts = false;
    }

    /// <summary>
    /// NdisQueryPacket(Packet, &amp;PhysicalBufferCount, &amp;BufferCount, &amp;FirstBuffer, &amp;TotalPacketLength):
    /// FirstBuffer is always the head; when the cached counts are invalid they are recomputed (Σ span pages,
    /// number of buffers, Σ ByteCount) and marked valid, then the cached values are returned. Pass
    /// <c>out _</c> for the C NULLs.
    /// </summary>
    public static void QueryPacket(NdisPacket packet, out uint physicalBufferCount, out uint bufferCount, out Mdl? firstBuffer,
        out uint totalPacketLength)
    {
        CheckAllocated(packet, nameof(QueryPacket));
        var p = packet.Private;
        if (!p.ValidCounts)
            Recount(p);
        physicalBufferCount = p.PhysicalCount;
        bufferCount = p.Count;
        firstBuffer = p.Head;
        totalPacketLength = p.TotalLength;
    }

    /// <summary>NdisQueryPacketLength(Packet, &amp;TotalPacketLength): the cached length, recomputed first when invalid.</summary>
    public static void QueryPacketLength(NdisPacket packet, out uint totalPacketLength)
    {
        CheckAllocated(packet, nameof(QueryPacketLength));
        var p = packet.Private;
        if (!p.ValidCounts)
            Recount(p);
        totalPacketLength = p.TotalLength;
    }

    /// <summary>NdisRecalculatePacketCounts(Packet): finds Tail by walking from Head and invalidates the cached counts.</summary>
    public static void RecalculatePacketCounts(NdisPacket packet)
    {
        CheckAllocated(packet, nameof(RecalculatePacketCounts));
        var p = packet.Private;
        p.Tail = p.Head is null ? null : LastOf(p.Head);
        p.ValidCounts = false;
    }

    /// <summary>
    /// NdisCopyFromPacketToPacket(Destination, DestinationOffset, BytesToCopy, Source, SourceOffset, &amp;BytesCopied):
    /// copies data (not OOB) until BytesToCopy bytes, the end of the source or the end of the destination,
    /// across any buffer boundaries; BytesCopied says how many. The copy is counted in <see cref="CopyCounters"/>.
    /// </summary>
    public static void CopyFromPacketToPacket(NdisPacket destination, uint destinationOffset, uint bytesToCopy,
        NdisPacket source, uint sourceOffset, out uint bytesCopied)
    {
        CheckAllocated(destination, nameof(CopyFromPacketToPacket));
        CheckAllocated(source, nameof(CopyFromPacketToPacket));
        bytesCopied = 0;
        if (!Seek(destination.Private.Head, destinationOffset, out var dst, out int dstAt)
            || !Seek(source.Private.Head, sourceOffset, out var src, out int srcAt))
            return;
        uint copied = 0;
        while (copied < bytesToCopy && dst is not null && src is not null)
        {
            int room = dst.ByteCount - dstAt;
            int available = src.ByteCount - srcAt;
            if (room == 0)
            {
                dst = dst.Next;
                dstAt = 0;
                continue;
            }
            if (available == 0)
            {
                src = src.Next;
                srcAt = 0;
                continue;
            }
            int chunk = (int)Math.Min(Math.Min((uint)room, (uint)available), bytesToCopy - copied);
            src.Span.Slice(srcAt, chunk).CopyTo(dst.Span.Slice(dstAt, chunk));
            copied += (uint)chunk;
            dstAt += chunk;
            srcAt += chunk;
        }
        if (copied > 0)
            CopyCounters.Count((int)copied);
        bytesCopied = copied;
    }

    /// <summary>NdisCopyFromPacketToPacketSafe(…, Priority): as CopyFromPacketToPacket (never fails to map in the model).</summary>
    public static void CopyFromPacketToPacketSafe(NdisPacket destination, uint destinationOffset, uint bytesToCopy,
        NdisPacket source, uint sourceOffset, out uint bytesCopied, MmPagePriority priority)
    {
        _ = priority;
        CopyFromPacketToPacket(destination, destinationOffset, bytesToCopy, source, sourceOffset, out bytesCopied);
    }

    /// <summary>NdisGetPoolFromPacket(Packet): Private.Pool.</summary>
    public static NdisPacketPool GetPoolFromPacket(NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return packet.Private.Pool;
    }

    /// <summary>NdisGetPacketCancelId(Packet) / NDIS_GET_PACKET_CANCEL_ID: the PacketCancelId slot.</summary>
    public static nint GetPacketCancelId(NdisPacket packet)
    {
        CheckAllocated(packet, nameof(GetPacketCancelId));
        return packet.Extension.CancelId;
    }

    /// <summary>NdisSetPacketCancelId(Packet, CancelId) / NDIS_SET_PACKET_CANCEL_ID.</summary>
    public static void SetPacketCancelId(NdisPacket packet, nint cancelId)
    {
        CheckAllocated(packet, nameof(SetPacketCancelId));
        packet.Extension.CancelId = cancelId;
    }

    /// <summary>NdisGetPacketFlags(Packet): Private.Flags.</summary>
    public static NdisFlags GetPacketFlags(NdisPacket packet)
    {
        CheckAllocated(packet, nameof(GetPacketFlags));
        return packet.Private.Flags;
    }

    /// <summary>NdisSetPacketFlags(Packet, Flags): ORs the flags in.</summary>
    public static void SetPacketFlags(NdisPacket packet, NdisFlags flags)
    {
        CheckAllocated(packet, nameof(SetPacketFlags));
        packet.Private.Flags |= flags;
    }

    /// <summary>NdisClearPacketFlags(Packet, Flags): clears the flags.</summary>
    public static void ClearPacketFlags(NdisPacket packet, NdisFlags flags)
    {
        CheckAllocated(packet, nameof(ClearPacketFlags));
        packet.Private.Flags &= ~flags;
    }

    /// <summary>NdisSetSendFlags(Packet, Flags): assigns Private.Flags.</summary>
    public static void SetSendFlags(NdisPacket packet, NdisFlags flags)
    {
        CheckAllocated(packet, nameof(SetSendFlags));
        packet.Private.Flags = flags;
    }

    /// <summary>NdisQuerySendFlags(Packet, &amp;Flags): reads Private.Flags.</summary>
    public static void QuerySendFlags(NdisPacket packet, out NdisFlags flags)
    {
        CheckAllocated(packet, nameof(QuerySendFlags));
        flags = packet.Private.Flags;
    }

    private static Mdl LastOf(Mdl buffer)
    {
        var last = buffer;
        while (last.Next is not null)
            last = last.Next;
        return last;
    }

    private static void Recount(NdisPacketPrivate p)
    {
        uint pages = 0, count = 0, length = 0;
        for (var b = p.Head; b is not null; b = b.Next)
        {
            pages += (uint)b.SpanPages;
            count++;
            length += (uint)b.ByteCount;
        }
        p.PhysicalCount = pages;
        p.Count = count;
        p.TotalLength = length;
        p.ValidCounts = true;
    }

    /// <summary>The buffer and offset <paramref name="offset"/> bytes into a chain; false when the chain is shorter.</summary>
    private static bool Seek(Mdl? head, uint offset, out Mdl? buffer, out int at)
    {
        buffer = head;
        ulong remaining = offset;
        while (buffer is not null && remaining >= (ulong)buffer.ByteCount)
        {
            if (remaining == (ulong)buffer.ByteCount && buffer.Next is null)
                break;
            remaining -= (ulong)buffer.ByteCount;
            buffer = buffer.Next;
        }
        at = (int)remaining;
        return buffer is not null && remaining <= (ulong)buffer.ByteCount;
    }
}
