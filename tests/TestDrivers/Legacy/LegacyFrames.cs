using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Memory;

namespace CoNdis.TestDrivers.Legacy;

/// <summary>
/// NDIS_PACKETs over frame bytes for the 5.x test drivers, built and taken apart only with <see cref="Ndis5"/> calls
/// (NdisAllocatePacket, NdisAllocateBuffer, NdisChainBufferAtBack, NdisUnchainBufferAtFront, NdisFreeBuffer…).
/// </summary>
public static class LegacyFrames
{
    /// <summary>A packet from <paramref name="packets"/> holding a copy of <paramref name="frame"/> in <paramref name="buffers"/> buffers.</summary>
    public static NdisPacket Build(NdisPacketPool packets, NdisBufferPool bufferPool, ReadOnlySpan<byte> frame, int buffers = 1)
    {
        Ndis5.AllocatePacket(out var status, out var packet, packets);
        if (packet is null)
            throw new InvalidOperationException($"5.x test driver: packet pool '{packets.Name}' is dry ({status})");
        var memory = NdisMemory.AllocatePinned(frame.Length);
        frame.CopyTo(memory.Span);
        buffers = Math.Clamp(buffers, 1, Math.Max(1, frame.Length));
        int at = 0;
        for (int i = 0; i < buffers; i++)
        {
            int length = i == buffers - 1 ? frame.Length - at : frame.Length / buffers;
            Ndis5.AllocateBuffer(out status, out var buffer, bufferPool, memory.Slice(at, length), (uint)length);
            Ndis5.ChainBufferAtBack(packet, buffer ?? throw new InvalidOperationException($"5.x test driver: buffer pool is dry ({status})"));
            at += length;
        }
        return packet;
    }

    /// <summary>The bytes a packet describes, in buffer order (NdisQueryPacketLength, then each buffer's virtual address and length).</summary>
    public static byte[] Bytes(NdisPacket packet)
    {
        Ndis5.QueryPacketLength(packet, out uint total);
        var bytes = new byte[total];
        int at = 0;
        Ndis5.GetFirstBufferFromPacket(packet, out var buffer, out _, out _, out _);
        for (; buffer is not null; Ndis5.GetNextBuffer(buffer, out buffer))
        {
            var piece = Ndis5.BufferVirtualAddress(buffer).Span[..(int)Ndis5.BufferLength(buffer)];
            piece.CopyTo(bytes.AsSpan(at));
            at += piece.Length;
        }
        return bytes;
    }

    /// <summary>Frees a packet made by <see cref="Build"/> with its buffers.</summary>
    public static void Free(NdisPacket packet)
    {
        Ndis5.UnchainBufferAtFront(packet, out var buffer);
        while (buffer is not null)
        {
            Ndis5.FreeBuffer(buffer);
            Ndis5.UnchainBufferAtFront(packet, out buffer);
        }
        Ndis5.FreePacket(packet);
    }
}
