using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.LegacyPacket.Tests;

public sealed class PacketPoolTests
{
    [Fact]
    public void AllocatePacketPool_succeeds_with_the_requested_descriptors_and_reserve()
    {
        Ndis5.AllocatePacketPool(out var status, out var pool, 10, 24, Strict.Handle());
        Assert.Equal(NdisStatus.Success, status);
        Assert.Equal(10, pool!.NumberOfDescriptors);
        Assert.Equal(0, pool.NumberOfOverflowDescriptors);
        Assert.Equal(24, pool.ProtocolReservedLength);
    }

    [Fact]
    public void AllocatePacket_from_an_exhausted_pool_returns_RESOURCES_and_null()
    {
        var pool = Strict.PacketPool(Strict.Handle(), 2);
        Strict.Packet(pool);
        Strict.Packet(pool);
        Ndis5.AllocatePacket(out var status, out var packet, pool);
        Assert.Equal(NdisStatus.Resources, status);
        Assert.Null(packet);
    }

    [Fact]
    public void AllocatePacketPoolEx_uses_overflow_descriptors_only_when_the_static_ones_are_out()
    {
        Ndis5.AllocatePacketPoolEx(out var status, out var pool, 2, 3, 0, Strict.Handle());
        Assert.Equal(NdisStatus.Success, status);
        var first = Strict.Packet(pool!);
        Strict.Packet(pool!);
        Assert.Equal(0, pool!.OverflowInUse);
        var overflow = Strict.Packet(pool);
        Strict.Packet(pool);
        Strict.Packet(pool);
        Assert.Equal(3, pool.OverflowInUse);
        Ndis5.AllocatePacket(out status, out var none, pool);
        Assert.Equal(NdisStatus.Resources, status);
        Assert.Null(none);
        Ndis5.FreePacket(overflow);
        Assert.Equal(2, pool.OverflowInUse);
        Ndis5.FreePacket(first);
        Assert.Equal(3u, Ndis5.PacketPoolUsage(pool));
    }

    [Fact]
    public void AllocatePacketPoolEx_above_0xFFFF_static_descriptors_is_RESOURCES()
    {
        Ndis5.AllocatePacketPoolEx(out var status, out var pool, 0x10000, 0, 0, Strict.Handle());
        Assert.Equal(NdisStatus.Resources, status);
        Assert.Null(pool);
    }

    [Fact]
    public void AllocatePacketPoolEx_reduces_the_overflow_so_the_total_stays_within_0xFFFF()
    {
        Ndis5.AllocatePacketPoolEx(out var status, out var pool, 0xFFF0, 100, 0, Strict.Handle());
        Assert.Equal(NdisStatus.Success, status);
        Assert.Equal(0xF, pool!.NumberOfOverflowDescriptors);
        Assert.Equal(0xFFFF, pool.Capacity);
    }

    [Fact]
    public void PacketPoolUsage_counts_the_descriptors_allocated_now()
    {
        var pool = Strict.PacketPool(Strict.Handle(), 4);
        var a = Strict.Packet(pool);
        Strict.Packet(pool);
        Assert.Equal(2u, Ndis5.PacketPoolUsage(pool));
        Ndis5.FreePacket(a);
        Assert.Equal(1u, Ndis5.PacketPoolUsage(pool));
    }

    [Fact]
    public void FreePacketPool_with_packets_outstanding_is_a_leak_finding()
    {
        var pool = Strict.PacketPool(Strict.Handle());
        Strict.Packet(pool);
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.FreePacketPool(pool));
        Assert.Equal(VerifierRule.LeakAtPoolFree, error.Rule);
    }

    [Fact]
    public void FreePacketPool_after_every_packet_came_back_is_clean()
    {
        var handle = Strict.Handle();
        var pool = Strict.PacketPool(handle);
        Ndis5.FreePacket(Strict.Packet(pool));
        Ndis5.FreePacketPool(pool);
        Assert.True(pool.IsFreed);
        Assert.Equal(0, handle.Verifier.FindingCount);
    }

    [Fact]
    public void PacketSize_grows_with_the_protocol_reserve_and_covers_OOB_and_extension()
    {
        uint small = Ndis5.PacketSize(0);
        uint large = Ndis5.PacketSize(64);
        Assert.Equal(small + 64, large); // 64 bytes of ProtocolReserved, already 8-byte aligned
        Assert.True(small > (uint)(6 * IntPtr.Size + 12 * IntPtr.Size));
    }

    [Fact]
    public void AllocatePacket_hands_out_a_fresh_descriptor()
    {
        var pool = Strict.PacketPool(Strict.Handle(), 1, 16);
        var packet = Strict.Packet(pool);
        Assert.Null(packet.Private.Head);
        Assert.False(packet.Private.ValidCounts);
        Assert.Equal(NdisPacketFlags.AllocatedByNdis, packet.Private.NdisPacketFlags);
        Assert.Equal(NdisFlags.None, packet.Private.Flags);
        Assert.Same(pool, packet.Private.Pool);
        Assert.Equal(NdisStatus.Success, packet.Status);
        Assert.Equal(16, packet.ProtocolReservedLength);
        packet.Status = NdisStatus.Resources;
        packet.Extension.CancelId = 5;
        Ndis5.FreePacket(packet);
        var again = Strict.Packet(pool);
        Assert.Same(packet, again);
        Assert.Equal(NdisStatus.Success, again.Status);
        Assert.Equal(0, again.Extension.CancelId);
    }

    [Fact]
    public void DprAllocatePacket_and_DprFreePacket_behave_as_the_plain_forms()
    {
        var pool = Strict.PacketPool(Strict.Handle(), 1);
        Ndis5.DprAllocatePacket(out var status, out var packet, pool);
        Assert.Equal(NdisStatus.Success, status);
        Ndis5.DprAllocatePacket(out status, out _, pool);
        Assert.Equal(NdisStatus.Resources, status);
        Ndis5.DprFreePacket(packet!);
        Ndis5.DprAllocatePacketNonInterlocked(out status, out packet, pool);
        Assert.Equal(NdisStatus.Success, status);
        Ndis5.DprFreePacketNonInterlocked(packet!);
        Assert.Equal(0u, Ndis5.PacketPoolUsage(pool));
    }

    [Fact]
    public void FreePacket_twice_is_a_double_free_finding()
    {
        var pool = Strict.PacketPool(Strict.Handle());
        var packet = Strict.Packet(pool);
        Ndis5.FreePacket(packet);
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.FreePacket(packet));
        Assert.Equal(VerifierRule.DoubleFree, error.Rule);
    }

    [Fact]
    public void DprFreePacket_twice_is_a_double_free_finding_in_lenient_mode_too()
    {
        var handle = Strict.Lenient();
        var pool = Strict.PacketPool(handle);
        var packet = Strict.Packet(pool);
        Ndis5.DprFreePacket(packet);
        Ndis5.DprFreePacket(packet);
        Assert.Equal(1, handle.Verifier.CountOf(VerifierRule.DoubleFree));
        Assert.Equal(0u, Ndis5.PacketPoolUsage(pool));
    }

    [Fact]
    public void Using_a_freed_packet_is_a_use_after_free_finding()
    {
        var pool = Strict.PacketPool(Strict.Handle());
        var packet = Strict.Packet(pool);
        Ndis5.FreePacket(packet);
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.QueryPacket(packet, out _, out _, out _, out _));
        Assert.Equal(VerifierRule.UseAfterFree, error.Rule);
    }

    [Fact]
    public void GetPoolFromPacket_is_the_owning_pool()
    {
        var pool = Strict.PacketPool(Strict.Handle());
        Assert.Same(pool, Ndis5.GetPoolFromPacket(Strict.Packet(pool)));
    }
}
