using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.LegacyPacket.Tests;

/// <summary>Test helpers: a strict verifier per test, pinned memory with a byte pattern.</summary>
internal static class Strict
{
    public static NdisHandle Handle(string name = "test") => new(name, new NdisVerifier(VerifierMode.Strict));

    public static NdisHandle Lenient(string name = "test") => new(name, new NdisVerifier(VerifierMode.Lenient));

    /// <summary>Pinned memory holding first, first+1, … (mod 256).</summary>
    public static NdisMemory Pattern(int length, byte first = 0)
    {
        var memory = NdisMemory.AllocatePinned(length);
        for (int i = 0; i < length; i++)
            memory.Span[i] = (byte)(first + i);
        return memory;
    }

    public static NdisPacketPool PacketPool(NdisHandle handle, uint descriptors = 8, uint protocolReserved = 16)
    {
        Ndis5.AllocatePacketPool(out var status, out var pool, descriptors, protocolReserved, handle);
        Assert.Equal(NdisStatus.Success, status);
        return pool!;
    }

    public static NdisBufferPool BufferPool(NdisHandle handle, uint descriptors = 16)
    {
        Ndis5.AllocateBufferPool(out var status, out var pool, descriptors, handle);
        Assert.Equal(NdisStatus.Success, status);
        return pool;
    }

    public static NdisPacket Packet(NdisPacketPool pool)
    {
        Ndis5.AllocatePacket(out var status, out var packet, pool);
        Assert.Equal(NdisStatus.Success, status);
        return packet!;
    }

    public static Mdl Buffer(NdisBufferPool pool, NdisMemory memory)
    {
        Ndis5.AllocateBuffer(out var status, out var buffer, pool, memory, (uint)memory.Length);
        Assert.Equal(NdisStatus.Success, status);
        return buffer!;
    }

    /// <summary>A packet whose chain is one buffer per length, over consecutive pattern bytes.</summary>
    public static NdisPacket PacketWithBuffers(NdisPacketPool packets, NdisBufferPool buffers, byte first, params int[] lengths)
    {
        var packet = Packet(packets);
        var memory = Pattern(lengths.Sum(), first);
        int at = 0;
        foreach (int length in lengths)
        {
            Ndis5.ChainBufferAtBack(packet, Buffer(buffers, memory.Slice(at, length)));
            at += length;
        }
        return packet;
    }

    public static byte[] Bytes(NdisPacket packet)
    {
        var bytes = new List<byte>();
        foreach (var buffer in packet.Buffers)
            bytes.AddRange(buffer.Span.ToArray());
        return [.. bytes];
    }
}
