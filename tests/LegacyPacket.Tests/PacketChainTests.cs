using CoNdis.NetBufferCore;

namespace CoNdis.LegacyPacket.Tests;

public sealed class PacketChainTests
{
    private readonly NdisPacketPool _packets;
    private readonly NdisBufferPool _buffers;

    public PacketChainTests()
    {
        var handle = Strict.Handle();
        _packets = Strict.PacketPool(handle, 8);
        _buffers = Strict.BufferPool(handle, 64);
    }

    private Mdl Buffer(int length) => Strict.Buffer(_buffers, Strict.Pattern(length));

    [Fact]
    public void ChainBufferAtFront_on_an_empty_packet_sets_head_and_tail()
    {
        var packet = Strict.Packet(_packets);
        var buffer = Buffer(10);
        Ndis5.ChainBufferAtFront(packet, buffer);
        Assert.Same(buffer, packet.Private.Head);
        Assert.Same(buffer, packet.Private.Tail);
    }

    [Fact]
    public void ChainBufferAtFront_of_a_chain_links_its_last_buffer_to_the_old_head()
    {
        var packet = Strict.Packet(_packets);
        var old = Buffer(1);
        Ndis5.ChainBufferAtFront(packet, old);
        var a = Buffer(2);
        var b = Buffer(3);
        a.Next = b;
        Ndis5.ChainBufferAtFront(packet, a);
        Assert.Same(a, packet.Private.Head);
        Assert.Same(old, b.Next);
        Assert.Same(old, packet.Private.Tail);
        Ndis5.QueryPacket(packet, out _, out uint count, out _, out uint length);
        Assert.Equal(3u, count);
        Assert.Equal(6u, length);
    }

    [Fact]
    public void ChainBufferAtBack_of_a_chain_appends_it_and_moves_the_tail_to_its_last_buffer()
    {
        var packet = Strict.Packet(_packets);
        var first = Buffer(1);
        Ndis5.ChainBufferAtBack(packet, first);
        var a = Buffer(2);
        var b = Buffer(3);
        a.Next = b;
        Ndis5.ChainBufferAtBack(packet, a);
        Assert.Same(first, packet.Private.Head);
        Assert.Same(a, first.Next);
        Assert.Same(b, packet.Private.Tail);
        Assert.Null(b.Next);
    }

    [Fact]
    public void UnchainBufferAtFront_removes_the_head_and_clears_its_link()
    {
        var packet = Strict.Packet(_packets);
        var a = Buffer(1);
        var b = Buffer(2);
        Ndis5.ChainBufferAtBack(packet, a);
        Ndis5.ChainBufferAtBack(packet, b);
        Ndis5.UnchainBufferAtFront(packet, out var removed);
        Assert.Same(a, removed);
        Assert.Null(a.Next);
        Assert.Same(b, packet.Private.Head);
        Ndis5.UnchainBufferAtFront(packet, out removed);
        Assert.Same(b, removed);
        Assert.Null(packet.Private.Head);
        Assert.Null(packet.Private.Tail);
    }

    [Fact]
    public void Unchain_from_an_empty_packet_gives_null()
    {
        var packet = Strict.Packet(_packets);
        Ndis5.UnchainBufferAtFront(packet, out var front);
        Ndis5.UnchainBufferAtBack(packet, out var back);
        Assert.Null(front);
        Assert.Null(back);
    }

    [Fact]
    public void UnchainBufferAtBack_removes_the_tail_and_moves_the_tail_back()
    {
        var packet = Strict.Packet(_packets);
        var a = Buffer(1);
        var b = Buffer(2);
        var c = Buffer(3);
        Ndis5.ChainBufferAtBack(packet, a);
        Ndis5.ChainBufferAtBack(packet, b);
        Ndis5.ChainBufferAtBack(packet, c);
        Ndis5.UnchainBufferAtBack(packet, out var removed);
        Assert.Same(c, removed);
        Assert.Same(b, packet.Private.Tail);
        Assert.Null(b.Next);
        Ndis5.UnchainBufferAtBack(packet, out removed);
        Ndis5.UnchainBufferAtBack(packet, out var last);
        Assert.Same(b, removed);
        Assert.Same(a, last);
        Assert.Null(packet.Private.Head);
    }

    [Fact]
    public void QueryPacket_computes_and_caches_page_count_buffer_count_and_length()
    {
        var packet = Strict.Packet(_packets);
        var memory = Strict.Pattern(3 * Mdl.PageSize);
        int toPageEnd = Mdl.PageSize - (int)(memory.Address & (Mdl.PageSize - 1));
        Ndis5.ChainBufferAtBack(packet, Strict.Buffer(_buffers, memory.Slice(toPageEnd - 2, 4)));
        Ndis5.ChainBufferAtBack(packet, Buffer(10));
        Ndis5.QueryPacket(packet, out uint pages, out uint count, out var first, out uint length);
        Assert.Equal(3u, pages);
        Assert.Equal(2u, count);
        Assert.Same(packet.Private.Head, first);
        Assert.Equal(14u, length);
        Assert.True(packet.Private.ValidCounts);
        Assert.Equal(14u, packet.Private.TotalLength);
    }

    [Fact]
    public void QueryPacket_after_unchain_recomputes_because_every_chain_edit_invalidates_the_counts()
    {
        var packet = Strict.Packet(_packets);
        Ndis5.ChainBufferAtBack(packet, Buffer(10));
        Ndis5.ChainBufferAtBack(packet, Buffer(20));
        Ndis5.QueryPacket(packet, out _, out uint count, out _, out uint length);
        Assert.Equal((2u, 30u), (count, length));

        Ndis5.UnchainBufferAtFront(packet, out _);
        Assert.False(packet.Private.ValidCounts);
        Ndis5.QueryPacket(packet, out _, out count, out _, out length);
        Assert.Equal((1u, 20u), (count, length));

        Ndis5.ChainBufferAtFront(packet, Buffer(5));
        Assert.False(packet.Private.ValidCounts);
        Ndis5.UnchainBufferAtBack(packet, out _);
        Assert.False(packet.Private.ValidCounts);
        Ndis5.QueryPacket(packet, out _, out count, out _, out length);
        Assert.Equal((1u, 5u), (count, length));
    }

    [Fact]
    public void QueryPacket_returns_stale_cached_counts_after_a_length_change_until_ValidCounts_is_cleared()
    {
        var packet = Strict.Packet(_packets);
        var buffer = Buffer(10);
        Ndis5.ChainBufferAtBack(packet, buffer);
        Ndis5.QueryPacketLength(packet, out uint length);
        Assert.Equal(10u, length);
        Ndis5.AdjustBufferLength(buffer, 4);
        Ndis5.QueryPacketLength(packet, out length);
        Assert.Equal(10u, length);
        packet.Private.ValidCounts = false; // NDIS_PACKET_VALID_COUNTS(p) = FALSE;
        Ndis5.QueryPacketLength(packet, out length);
        Assert.Equal(4u, length);
        Ndis5.AdjustBufferLength(buffer, 10);
    }

    [Fact]
    public void QueryPacketLength_recomputes_invalid_counts()
    {
        var packet = Strict.Packet(_packets);
        Ndis5.ChainBufferAtBack(packet, Buffer(7));
        Ndis5.QueryPacketLength(packet, out uint length);
        Assert.Equal(7u, length);
        Assert.True(packet.Private.ValidCounts);
    }

    [Fact]
    public void ReinitializePacket_drops_the_head_and_invalidates_but_leaves_the_tail()
    {
        var packet = Strict.Packet(_packets);
        var buffer = Buffer(7);
        Ndis5.ChainBufferAtBack(packet, buffer);
        Ndis5.QueryPacketLength(packet, out _);
        Ndis5.ReinitializePacket(packet);
        Assert.Null(packet.Private.Head);
        Assert.Same(buffer, packet.Private.Tail);
        Assert.False(packet.Private.ValidCounts);
        Ndis5.QueryPacket(packet, out _, out uint count, out var first, out uint length);
        Assert.Equal((0u, 0u), (count, length));
        Assert.Null(first);
        var next = Buffer(3);
        Ndis5.ChainBufferAtBack(packet, next);
        Assert.Same(next, packet.Private.Head);
    }

    [Fact]
    public void RecalculatePacketCounts_finds_the_tail_and_invalidates_the_counts()
    {
        var packet = Strict.Packet(_packets);
        var a = Buffer(1);
        Ndis5.ChainBufferAtBack(packet, a);
        Ndis5.QueryPacketLength(packet, out _);
        var b = Buffer(2);
        a.Next = b; // a driver linked a buffer by hand (NDIS_BUFFER_LINKAGE(a) = b)
        Ndis5.RecalculatePacketCounts(packet);
        Assert.Same(b, packet.Private.Tail);
        Assert.False(packet.Private.ValidCounts);
        Ndis5.QueryPacketLength(packet, out uint length);
        Assert.Equal(3u, length);
    }
}
