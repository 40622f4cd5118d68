using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CsCheck;

namespace CoNdis.Translation.Tests;

/// <summary>An NBL sent as N packets completes once, after its last packet, with the first failure.</summary>
public sealed class CompletionTests
{
    private static readonly InfoSpec s_plain = new(0, false, 0, 0, 0, 0, 0, 0, false, NdisStatus.Success);

    [Fact]
    public void Any_completion_order_completes_the_NBL_exactly_once_with_the_first_failure()
    {
        Gen.Select(Gen.Int[1, 12], Gen.Int[0, 3].Array[12], Gen.Int).Sample((n, statusPicks, shuffleSeed) =>
        {
            var f = new Fixture();
            var counts = new TranslationCounts();
            var nbs = Enumerable.Range(0, n).Select(i => new NbSpec([i + 1], 0, i + 1, false)).ToArray();
            var nbl = f.BuildNbl(new NblSpec(nbs, s_plain), 1);
            var cursor = new NblToPacketCursor(nbl);
            var packets = new List<NdisPacket>();
            while (!cursor.IsAtEnd)
            {
                f.ToPackets.TranslateNext(ref cursor, f.Completed, ref counts, out var p);
                packets.Add(p!);
            }
            var rng = new Random(shuffleSeed);
            var order = packets.Select((p, i) => (p, i)).OrderBy(_ => rng.Next()).ToList();
            NdisStatus expected = NdisStatus.Success;
            int completions = 0;
            for (int k = 0; k < order.Count; k++)
            {
                var status = InfoSpec.Statuses[statusPicks[order[k].i]];
                if (expected == NdisStatus.Success && status != NdisStatus.Success)
                    expected = status;
                bool last = f.ToPackets.CompletePacket(order[k].p, status, f.Completed, ref counts);
                Assert.Equal(k == order.Count - 1, last);
                completions += last ? 1 : 0;
            }
            Assert.Equal(1, completions);
            Assert.Equal(1, f.Completed.Count);
            Assert.Equal(expected, nbl.Status);
            f.FreeChain(f.Completed.DequeueAll());
            f.AssertClean();
        }, iter: 200, threads: 1);
    }

    [Fact]
    public void A_completion_arriving_while_the_NBL_is_still_being_split_does_not_complete_it()
    {
        var f = new Fixture();
        var counts = new TranslationCounts();
        var nbl = f.BuildNbl(new NblSpec([new NbSpec([4], 0, 4, false), new NbSpec([5], 0, 5, false)], s_plain), 1);
        var cursor = new NblToPacketCursor(nbl);
        f.ToPackets.TranslateNext(ref cursor, f.Completed, ref counts, out var first);
        // A fast miniport completes the first packet before the second NET_BUFFER is translated.
        Assert.False(f.ToPackets.CompletePacket(first!, NdisStatus.Failure, f.Completed, ref counts));
        Assert.True(f.Completed.IsEmpty);
        Assert.True(cursor.IsInsideNetBufferList);
        f.ToPackets.TranslateNext(ref cursor, f.Completed, ref counts, out var second);
        Assert.True(f.Completed.IsEmpty);
        Assert.True(f.ToPackets.CompletePacket(second!, NdisStatus.Success, f.Completed, ref counts));
        Assert.Same(nbl, f.Completed.Head);
        Assert.Equal(NdisStatus.Failure, nbl.Status);
        f.FreeChain(f.Completed.DequeueAll());
        f.AssertClean();
    }

    [Fact]
    public void Concurrent_completions_complete_each_NBL_exactly_once()
    {
        var f = new Fixture();
        var counts = new TranslationCounts();
        var specs = Enumerable.Range(0, 64).Select(_ => new NblSpec([.. Enumerable.Range(1, 8).Select(i => new NbSpec([i], 0, i, false))], s_plain)).ToArray();
        var chain = f.BuildChain(specs);
        var cursor = new NblToPacketCursor(chain);
        var packets = new List<NdisPacket>();
        while (!cursor.IsAtEnd)
        {
            f.ToPackets.TranslateNext(ref cursor, f.Completed, ref counts, out var p);
            packets.Add(p!);
        }
        var shuffled = packets.OrderBy(_ => Random.Shared.Next()).ToArray();
        var queues = new NetBufferListQueue[4];
        int lasts = 0;
        Parallel.For(0, 4, t =>
        {
            var local = new TranslationCounts();
            queues[t] = new NetBufferListQueue();
            for (int i = t; i < shuffled.Length; i += 4)
            {
                if (f.ToPackets.CompletePacket(shuffled[i], NdisStatus.Success, queues[t], ref local))
                    Interlocked.Increment(ref lasts);
            }
        });
        Assert.Equal(64, lasts);
        Assert.Equal(64, queues.Sum(q => q.Count));
        foreach (var queue in queues)
            f.FreeChain(queue.DequeueAll());
        f.AssertClean();
    }

    [Fact]
    public void A_translated_receive_packet_gives_its_NBL_back_on_its_one_return_and_not_before()
    {
        // The 5.x client's reference count (and its bias against racing returns) is the binding's, not the
        // translator's: the translator holds one reference per packet, dropped when the binding gives the packet back.
        var f = new Fixture();
        var counts = new TranslationCounts();
        var nbl = f.BuildNbl(new NblSpec([new NbSpec([9], 0, 9, false)], s_plain), 1);
        var cursor = new NblToPacketCursor(nbl);
        f.ToPackets.TranslateNext(ref cursor, f.Completed, ref counts, out var packet);
        Assert.True(f.Completed.IsEmpty);
        Assert.True(f.ToPackets.ReturnPacket(packet!, f.Completed, ref counts));
        Assert.Same(nbl, f.Completed.Head);
        Assert.False(f.ToPackets.Built(packet!));
        f.FreeChain(f.Completed.DequeueAll());
        f.AssertClean();
    }

    [Fact]
    public void A_5x_clients_packet_completes_when_its_NBL_does_with_the_NBLs_status()
    {
        var f = new Fixture();
        var counts = new TranslationCounts();
        var packet = f.BuildPacket(new PacketSpec([10, 20], s_plain with { Mss = 1000 }, NdisFlags.None, 0, 0, 0, 0), 1);
        Assert.Equal(TranslationOutcome.Success, f.ToNbls.Wrap(packet, ref counts, out var nbl));
        Assert.Same(packet, f.ToNbls.PacketOf(nbl!));
        nbl!.Status = NdisStatus.Closing;
        var lso = nbl.Info.LargeSend;
        lso.TcpPayload = 30;
        nbl.Info.LargeSend = lso;
        Assert.Same(packet, f.ToNbls.CompleteSend(nbl, ref counts));
        Assert.Equal(NdisStatus.Closing, packet.Status);
        Assert.Equal(30u, packet.Extension.TcpLargeSend);
        Assert.NotNull(packet.FirstBuffer);
        f.FreePacket(packet);
        f.AssertClean();
    }
}
