using CoNdis.NetBufferCore;

namespace CoNdis.Translation.Tests;

/// <summary>The steady state allocates nothing; counters fold once per batch and prove where copies happen.</summary>
public sealed class SteadyStateTests
{
    private static readonly InfoSpec s_info = new(0x11, false, 1460, 0, 0x0035, 9, 0, 6, false, NdisStatus.Success);

    [Fact]
    public void A_translated_send_complete_loop_allocates_nothing_after_warm_up()
    {
        var f = new Fixture();
        var shared = new TranslationCounters();
        // Four NBLs of four NET_BUFFERs each, with offsets and trimmed tails (partials) and shared suffixes.
        var specs = Enumerable.Range(0, 4).Select(i => new NblSpec(
            [new NbSpec([14, 100, 60], 6, 150, false), new NbSpec([20, 20], 0, 40, false),
             new NbSpec([30, 30, 30], 31, 40, false), new NbSpec([64], 2, 62, false)], s_info)).ToArray();
        var chain = f.BuildChain(specs);
        var head = chain;
        var packets = new CoNdis.LegacyPacket.NdisPacket[16];
        var completed = new NetBufferListQueue();
        long copies = CopyCounters.CopiesOnThisThread;

        void Loop()
        {
            var counts = new TranslationCounts();
            var cursor = new NblToPacketCursor(head);
            int n = 0;
            while (!cursor.IsAtEnd)
            {
                f.ToPackets.TranslateNext(ref cursor, completed, ref counts, out var packet);
                packets[n++] = packet!;
            }
            for (int i = n - 1; i >= 0; i--)
                f.ToPackets.CompletePacket(packets[i], NdisStatus.Success, completed, ref counts);
            // Completion relinked the NBLs in completion order; the queue hands the chain back for the next send.
            head = completed.DequeueAll()!;
            shared.Fold(ref counts);
        }

        for (int i = 0; i < 100; i++)
            Loop();
        const int rounds = 10_000;
        int windows = 0;
        long allocated = CoNdis.TestDrivers.Allocations.Minimum(() =>
        {
            windows++;
            for (int i = 0; i < rounds; i++)
                Loop();
        });
        Assert.Equal(0, allocated);

        var total = shared.Snapshot();
        long loops = rounds * (long)windows + 100;
        Assert.Equal(loops * 16L, total.PacketsBuilt);
        Assert.Equal(loops * 4L, total.NetBufferListsCompleted);
        Assert.Equal(loops * 4L * (3 + 0 + 2 + 1), total.PartialMdls);
        Assert.Equal(0, total.BytesCopied);
        Assert.Equal(copies, CopyCounters.CopiesOnThisThread);
        f.FreeChain(head);
        f.AssertClean();
    }

    [Fact]
    public void A_wrapped_receive_return_loop_allocates_nothing_after_warm_up()
    {
        var f = new Fixture();
        var packet = f.BuildPacket(new PacketSpec([14, 100], s_info, CoNdis.LegacyPacket.NdisFlags.None, 14, 0, 5, 0), 1);
        var completed = new NetBufferListQueue();
        var shared = new TranslationCounters();
        long returned = 0;

        void Loop()
        {
            var counts = new TranslationCounts();
            f.ToNbls.TranslateReceived(packet, ref counts, out var nbl);
            var cursor = new NblToPacketCursor(nbl);
            f.ToPackets.TranslateNext(ref cursor, completed, ref counts, out var up);
            f.ToPackets.ReturnPacket(up!, completed, ref counts);
            if (ReferenceEquals(f.ToNbls.Return(completed.Dequeue()!, ref counts), packet))
                returned++;
            shared.Fold(ref counts);
        }

        for (int i = 0; i < 100; i++)
            Loop();
        int windows = 0;
        Assert.Equal(0, CoNdis.TestDrivers.Allocations.Minimum(() =>
        {
            windows++;
            for (int i = 0; i < 10_000; i++)
                Loop();
        }));
        // Every round wrapped the packet in an NBL, described it up by a packet and gave the same packet back.
        long loops = 100 + (10_000L * windows);
        Assert.Equal(loops, returned);
        var total = shared.Snapshot();
        Assert.Equal(loops, total.NetBufferListsBuilt);
        Assert.Equal(loops, total.PacketsBuilt);
        Assert.Equal(0, total.BytesCopied);
        f.FreePacket(packet);
        f.AssertClean();
    }

    [Fact]
    public void Counters_show_zero_copy_on_sends_and_copies_only_on_resources_receives()
    {
        var f = new Fixture();
        var shared = new TranslationCounters();
        var batch = new TranslationCounts();
        var nbl = f.BuildNbl(new NblSpec([new NbSpec([10, 10], 3, 15, false), new NbSpec([8], 0, 8, false)], s_info), 1);
        var cursor = new NblToPacketCursor(nbl);
        var sent = new List<CoNdis.LegacyPacket.NdisPacket>();
        while (!cursor.IsAtEnd)
        {
            f.ToPackets.TranslateNext(ref cursor, f.Completed, ref batch, out var p);
            sent.Add(p!);
        }
        foreach (var p in sent)
            f.ToPackets.CompletePacket(p, NdisStatus.Success, f.Completed, ref batch);
        shared.Fold(ref batch);
        Assert.True(batch.IsEmpty);
        var afterSends = shared.Snapshot();
        Assert.Equal(2, afterSends.PacketsBuilt);
        Assert.Equal(2, afterSends.PartialMdls);
        Assert.Equal(0, afterSends.BytesCopied);
        Assert.Equal(0, afterSends.ResourcesCopies);

        var normal = f.BuildPacket(new PacketSpec([20], s_info, CoNdis.LegacyPacket.NdisFlags.None, 0, 0, 0, 0), 2);
        var resources = f.BuildPacket(new PacketSpec([25], s_info with { Status = NdisStatus.Resources }, CoNdis.LegacyPacket.NdisFlags.None, 0, 0, 0, 0), 3);
        f.ToNbls.TranslateReceived(normal, ref batch, out var wrapped);
        f.ToNbls.TranslateReceived(resources, ref batch, out var copied);
        f.ToNbls.Return(wrapped!, ref batch);
        f.ToNbls.Return(copied!, ref batch);
        shared.Fold(ref batch);
        var total = shared.Snapshot();
        Assert.Equal(2, total.NetBufferListsBuilt);
        Assert.Equal(1, total.ResourcesCopies);
        Assert.Equal(25, total.BytesCopied);
        Assert.Equal(0, total.BounceCopies);
        f.FreePacket(normal);
        f.FreePacket(resources);
        f.FreeChain(f.Completed.DequeueAll());
        f.AssertClean();
    }
}
