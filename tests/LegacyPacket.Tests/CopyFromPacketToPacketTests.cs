using CoNdis.NetBufferCore;
using CoNdis.TestDrivers.Legacy;
using CsCheck;

namespace CoNdis.LegacyPacket.Tests;

public sealed class CopyFromPacketToPacketTests
{
    private readonly NdisPacketPool _packets;
    private readonly NdisBufferPool _buffers;

    public CopyFromPacketToPacketTests()
    {
        var handle = Strict.Handle();
        _packets = Strict.PacketPool(handle, 64);
        _buffers = Strict.BufferPool(handle, 1024);
    }

    private NdisPacket Zeroed(params int[] lengths)
    {
        var packet = Strict.PacketWithBuffers(_packets, _buffers, 0, lengths);
        foreach (var buffer in packet.Buffers)
            buffer.Span.Clear();
        return packet;
    }

    [Fact]
    public void Copy_from_the_middle_of_a_source_buffer_to_the_middle_of_a_destination_buffer()
    {
        var source = Strict.PacketWithBuffers(_packets, _buffers, 100, 20);
        var destination = Zeroed(20);
        Ndis5.CopyFromPacketToPacket(destination, 5, 8, source, 3, out uint copied);
        Assert.Equal(8u, copied);
        var bytes = Strict.Bytes(destination);
        Assert.Equal(Enumerable.Range(103, 8).Select(i => (byte)i), bytes.Skip(5).Take(8));
        Assert.All(bytes.Take(5), b => Assert.Equal(0, b));
        Assert.All(bytes.Skip(13), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Copy_across_several_buffers_on_both_sides()
    {
        var source = Strict.PacketWithBuffers(_packets, _buffers, 0, 3, 1, 5, 2, 9);
        var destination = Zeroed(4, 4, 2, 10);
        Ndis5.CopyFromPacketToPacket(destination, 2, 15, source, 1, out uint copied);
        Assert.Equal(15u, copied);
        Assert.Equal(Enumerable.Range(1, 15).Select(i => (byte)i), Strict.Bytes(destination).Skip(2).Take(15));
    }

    [Fact]
    public void Copy_stops_when_the_source_is_exhausted()
    {
        var source = Strict.PacketWithBuffers(_packets, _buffers, 0, 4, 4);
        var destination = Zeroed(32);
        Ndis5.CopyFromPacketToPacket(destination, 0, 100, source, 6, out uint copied);
        Assert.Equal(2u, copied);
    }

    [Fact]
    public void Copy_stops_when_the_destination_space_is_exhausted()
    {
        var source = Strict.PacketWithBuffers(_packets, _buffers, 0, 32);
        var destination = Zeroed(3, 3);
        Ndis5.CopyFromPacketToPacket(destination, 4, 100, source, 0, out uint copied);
        Assert.Equal(2u, copied);
    }

    [Fact]
    public void Copy_with_an_offset_at_or_past_the_end_copies_nothing()
    {
        var source = Strict.PacketWithBuffers(_packets, _buffers, 0, 8);
        var destination = Zeroed(8);
        Ndis5.CopyFromPacketToPacket(destination, 0, 4, source, 8, out uint copied);
        Assert.Equal(0u, copied);
        Ndis5.CopyFromPacketToPacket(destination, 9, 4, source, 0, out copied);
        Assert.Equal(0u, copied);
    }

    [Fact]
    public void Copy_skips_zero_length_buffers()
    {
        var source = Strict.PacketWithBuffers(_packets, _buffers, 50, 2, 0, 3);
        var destination = Zeroed(1, 0, 4);
        Ndis5.CopyFromPacketToPacket(destination, 0, 5, source, 0, out uint copied);
        Assert.Equal(5u, copied);
        Assert.Equal(new byte[] { 50, 51, 52, 53, 54 }, Strict.Bytes(destination));
    }

    [Fact]
    public void Every_copy_is_counted()
    {
        var source = Strict.PacketWithBuffers(_packets, _buffers, 0, 16);
        var destination = Zeroed(16);
        long before = CopyCounters.BytesCopiedOnThisThread;
        Ndis5.CopyFromPacketToPacketSafe(destination, 0, 16, source, 0, out uint copied, MmPagePriority.NormalPagePriority);
        Assert.Equal(16u, copied);
        Assert.Equal(before + 16, CopyCounters.BytesCopiedOnThisThread);
    }

    [Fact]
    public void Copy_matches_a_flat_byte_model_for_any_chains_and_offsets()
    {
        var lengths = Gen.Int[0, 12].Array[1, 6];
        Gen.Select(lengths, lengths, Gen.Int[0, 40], Gen.Int[0, 40], Gen.Int[0, 60])
            .Sample((srcLengths, dstLengths, srcOffset, dstOffset, count) =>
            {
                var source = Strict.PacketWithBuffers(_packets, _buffers, 1, srcLengths);
                var destination = Zeroed(dstLengths);
                var expected = Strict.Bytes(destination);
                var flatSource = Strict.Bytes(source);
                int srcLength = flatSource.Length, dstLength = expected.Length;
                int n = srcOffset >= srcLength || dstOffset >= dstLength
                    ? 0
                    : Math.Min(count, Math.Min(srcLength - srcOffset, dstLength - dstOffset));
                if (n > 0)
                    Array.Copy(flatSource, srcOffset, expected, dstOffset, n);

                Ndis5.CopyFromPacketToPacket(destination, (uint)dstOffset, (uint)count, source, (uint)srcOffset, out uint copied);
                bool ok = copied == (uint)n && expected.AsSpan().SequenceEqual(Strict.Bytes(destination));
                LegacyFrames.Free(source);
                LegacyFrames.Free(destination);
                return ok;
            }, iter: 300);
    }
}
