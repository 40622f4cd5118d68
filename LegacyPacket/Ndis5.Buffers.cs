using System.Runtime.CompilerServices;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.LegacyPacket;

// NDIS_BUFFER (= MDL) functions (ndis.h; NdisAllocateBuffer, NdisAllocateBufferPool, NdisCopyBuffer pages).
public static partial class Ndis5
{
    /// <summary>
    /// NdisAllocateBufferPool(&amp;Status, &amp;PoolHandle, NumberOfDescriptors): always SUCCESS;
    /// NumberOfDescriptors bounds the buffers outstanding at once.
    /// </summary>
    public static void AllocateBufferPool(out NdisStatus status, out NdisBufferPool poolHandle, uint numberOfDescriptors, NdisHandle? ndisHandle = null)
    {
        var handle = ndisHandle ?? new NdisHandle("NDIS 5 driver");
        if (numberOfDescriptors > int.MaxValue / 2)
            throw new ArgumentOutOfRangeException(nameof(numberOfDescriptors), "NumberOfDescriptors is implausibly large.");
        poolHandle = new NdisBufferPool(handle, (int)numberOfDescriptors, $"{handle.Name} buffer pool");
        status = NdisStatus.Success;
    }

    /// <summary>NdisFreeBufferPool(PoolHandle): every buffer must already be freed (a leak otherwise).</summary>
    public static void FreeBufferPool(NdisBufferPool poolHandle, [CallerMemberName] string caller = "")
    {
        ArgumentNullException.ThrowIfNull(poolHandle);
        poolHandle.FreePool(caller);
    }

    /// <summary>
    /// NdisAllocateBuffer(&amp;Status, &amp;Buffer, PoolHandle, VirtualAddress, Length): a descriptor mapping the
    /// first <paramref name="length"/> bytes at <paramref name="virtualAddress"/>; SUCCESS, or FAILURE
    /// (buffer null) when the pool has no free descriptor.
    /// </summary>
    public static void AllocateBuffer(out NdisStatus status, out Mdl? buffer, NdisBufferPool poolHandle, NdisMemory virtualAddress, uint length)
    {
        ArgumentNullException.ThrowIfNull(poolHandle);
        if (virtualAddress.IsNull)
            throw new ArgumentException("NdisAllocateBuffer needs a virtual address; NULL was passed.", nameof(virtualAddress));
        if (length > (uint)virtualAddress.Length)
            throw new ArgumentOutOfRangeException(nameof(length), $"Length {length} runs past the {virtualAddress.Length}-byte range at {virtualAddress}.");
        buffer = poolHandle.Allocate(virtualAddress.Slice(0, (int)length));
        status = buffer is null ? NdisStatus.Failure : NdisStatus.Success;
    }

    /// <summary>NdisFreeBuffer(Buffer): back to the pool it came from.</summary>
    public static void FreeBuffer(Mdl buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var pool = NdisBufferPool.PoolOf(buffer);
        if (pool is null)
        {
            (buffer.Pool?.Verifier ?? DefaultHandle.Verifier).Report(VerifierRule.ForeignFree, $"{buffer} freed with NdisFreeBuffer but no buffer pool allocated it", buffer);
            return;
        }
        pool.Free(buffer);
    }

    /// <summary>
    /// NdisCopyBuffer(&amp;Status, &amp;Buffer, PoolHandle, MemoryDescriptor, Offset, Length): a new descriptor for
    /// bytes [Offset, Offset + Length) of an existing one (no data copy); FAILURE when the range lies
    /// outside it or the pool has no free descriptor.
    /// </summary>
    public static void CopyBuffer(out NdisStatus status, out Mdl? buffer, NdisBufferPool poolHandle, Mdl memoryDescriptor, uint offset, uint length)
    {
        ArgumentNullException.ThrowIfNull(poolHandle);
        ArgumentNullException.ThrowIfNull(memoryDescriptor);
        if ((ulong)offset + length > (ulong)memoryDescriptor.ByteCount)
        {
            buffer = null;
            status = NdisStatus.Failure;
            return;
        }
        // A zero length would mean "to the end" to IoBuildPartialMdl; NdisCopyBuffer means zero bytes.
        buffer = length == 0
            ? poolHandle.Allocate(memoryDescriptor.Memory.Slice((int)offset, 0))
            : poolHandle.AllocatePartial(memoryDescriptor, (int)offset, (int)length);
        status = buffer is null ? NdisStatus.Failure : NdisStatus.Success;
    }

    /// <summary>NdisQueryBuffer(Buffer, &amp;VirtualAddress, &amp;Length): the mapped range and ByteCount.</summary>
    public static void QueryBuffer(Mdl buffer, out NdisMemory virtualAddress, out uint length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        virtualAddress = buffer.Memory;
        length = (uint)buffer.ByteCount;
    }

    /// <summary>
    /// NdisQueryBufferSafe(Buffer, &amp;VirtualAddress, &amp;Length, Priority): as QueryBuffer; the address may be
    /// NULL under low resources in NDIS, never in the model (buffers are always mapped).
    /// </summary>
    public static void QueryBufferSafe(Mdl buffer, out NdisMemory virtualAddress, out uint length, MmPagePriority priority)
    {
        _ = priority;
        QueryBuffer(buffer, out virtualAddress, out length);
    }

    /// <summary>NdisQueryBufferOffset(Buffer, &amp;Offset, &amp;Length): the in-page byte offset and ByteCount.</summary>
    public static void QueryBufferOffset(Mdl buffer, out uint offset, out uint length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        offset = (uint)buffer.ByteOffset;
        length = (uint)buffer.ByteCount;
    }

    /// <summary>
    /// NdisGetFirstBufferFromPacket(Packet, &amp;FirstBuffer, &amp;FirstBufferVA, &amp;FirstBufferLength, &amp;TotalBufferLength):
    /// the head, its mapping and length, and Σ ByteCount over the chain; an empty packet gives NULL/0/0.
    /// It neither uses nor updates the cached counts.
    /// </summary>
    public static void GetFirstBufferFromPacket(NdisPacket packet, out Mdl? firstBuffer, out NdisMemory firstBufferVa,
        out uint firstBufferLength, out uint totalBufferLength)
    {
        CheckAllocated(packet, nameof(GetFirstBufferFromPacket));
        firstBuffer = packet.Private.Head;
        if (firstBuffer is null)
        {
            firstBufferVa = default;
            firstBufferLength = 0;
            totalBufferLength = 0;
            return;
        }
        firstBufferVa = firstBuffer.Memory;
        firstBufferLength = (uint)firstBuffer.ByteCount;
        uint total = 0;
        for (var b = firstBuffer; b is not null; b = b.Next)
            total += (uint)b.ByteCount;
        totalBufferLength = total;
    }

    /// <summary>NdisGetFirstBufferFromPacketSafe(…, Priority): as GetFirstBufferFromPacket (the model never fails to map).</summary>
    public static void GetFirstBufferFromPacketSafe(NdisPacket packet, out Mdl? firstBuffer, out NdisMemory firstBufferVa,
        out uint firstBufferLength, out uint totalBufferLength, MmPagePriority priority)
    {
        _ = priority;
        GetFirstBufferFromPacket(packet, out firstBuffer, out firstBufferVa, out firstBufferLength, out totalBufferLength);
    }

    /// <summary>NdisGetNextBuffer(CurrentBuffer, &amp;NextBuffer) (NDIS_BUFFER_LINKAGE).</summary>
    public static void GetNextBuffer(Mdl currentBuffer, out Mdl? nextBuffer)
    {
        ArgumentNullException.ThrowIfNull(currentBuffer);
        nextBuffer = currentBuffer.Next;
    }

    /// <summary>NdisBufferLength(Buffer): ByteCount.</summary>
    public static uint BufferLength(Mdl buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        return (uint)buffer.ByteCount;
    }

    /// <summary>NdisBufferVirtualAddress(Buffer): the system mapping of the buffer.</summary>
    public static NdisMemory BufferVirtualAddress(Mdl buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        return buffer.Memory;
    }

    /// <summary>NdisBufferVirtualAddressSafe(Buffer, Priority): as BufferVirtualAddress (never NULL in the model).</summary>
    public static NdisMemory BufferVirtualAddressSafe(Mdl buffer, MmPagePriority priority)
    {
        _ = priority;
        return BufferVirtualAddress(buffer);
    }

    /// <summary>
    /// NdisAdjustBufferLength(Buffer, Length): sets ByteCount (within the originally mapped length). A driver
    /// that shortens a buffer chained to a packet must clear NDIS_PACKET_VALID_COUNTS, and restore the
    /// length before NdisFreeBuffer.
    /// </summary>
    public static void AdjustBufferLength(Mdl buffer, uint length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, (uint)int.MaxValue);
        buffer.AdjustLength((int)length);
    }

    /// <summary>NdisGetBufferPhysicalArraySize(Buffer, &amp;ArraySize): NDIS_BUFFER_TO_SPAN_PAGES.</summary>
    public static void GetBufferPhysicalArraySize(Mdl buffer, out uint arraySize)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        arraySize = (uint)buffer.SpanPages;
    }
}
