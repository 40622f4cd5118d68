using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;

namespace CoNdis.TestDrivers.Legacy;

/// <summary>
/// A 5.x test driver's packet and buffer pools, allocated with the handle NDIS gave the driver (its
/// MiniportAdapterHandle or NdisBindingHandle), and the packets it makes from them. Tests reach through it to make a
/// driver break a rule with its own packets (free one twice, leak one at pool free…).
/// </summary>
public sealed class LegacyPacketPools
{
    private NdisHandle _handle = null!;
    private NdisPacketPool _packets = null!;
    private NdisBufferPool _buffers = null!;

    /// <summary>NdisAllocatePacketPool + NdisAllocateBufferPool on <paramref name="ndisHandle"/> (64 descriptors each).</summary>
    public void Allocate(NdisHandle ndisHandle)
    {
        _handle = ndisHandle;
        Ndis5.AllocatePacketPool(out _, out var packets, 64, 16, _handle);
        Ndis5.AllocateBufferPool(out _, out _buffers, 64, _handle);
        _packets = packets!;
    }

    /// <summary>A descriptor with no buffers.</summary>
    public NdisPacket NewBarePacket()
    {
        Ndis5.AllocatePacket(out _, out var packet, _packets);
        return packet!;
    }

    /// <summary>A packet holding a copy of <paramref name="frame"/> in one buffer.</summary>
    public NdisPacket NewPacket(byte[] frame) => LegacyFrames.Build(_packets, _buffers, frame);

    /// <summary>Frees a packet made here, with its buffers.</summary>
    public static void FreePacket(NdisPacket packet) => LegacyFrames.Free(packet);

    /// <summary>NdisFreePacketPool + NdisFreeBufferPool (leaks are findings), then fresh pools so traffic can go on.</summary>
    public void FreeAndReallocate()
    {
        Ndis5.FreePacketPool(_packets);
        Ndis5.FreeBufferPool(_buffers);
        Allocate(_handle);
    }
}
