using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;

namespace CoNdis.Translation.Tests;

/// <summary>The pure per-NET_BUFFER step: its four outcomes, the cursor, and the chain it builds.</summary>
public sealed class TranslationStepTests
{
    private static readonly InfoSpec s_plain = new(0, false, 0, 0, 0, 0, 0, 0, false, NdisStatus.Success);

    private static NblSpec Nbl(params NbSpec[] nbs) => new(nbs, s_plain);

    private static NbSpec Nb(int offset, int length, params int[] sizes) => new(sizes, offset, length, false);

    private static NdisPacket Step(Fixture f, ref NblToPacketCursor cursor, ref TranslationCounts counts, TranslationOutcome expected = TranslationOutcome.Success)
    {
        Assert.Equal(expected, f.ToPackets.TranslateNext(ref cursor, f.Completed, ref counts, out var packet));
        return packet!;
    }

    private static void CompleteAll(Fixture f, IEnumerable<NdisPacket> packets, ref TranslationCounts counts)
    {
        foreach (var packet in packets)
            f.ToPackets.CompletePacket(packet, NdisStatus.Success, f.Completed, ref counts);
    }

    [Fact]
    public void Data_ending_at_the_chain_end_shares_the_original_MDLs_after_one_leading_partial()
    {
        var f = new Fixture();
        var counts = new TranslationCounts();
        var nbl = f.BuildNbl(Nbl(Nb(3, 10 + 20 + 30 - 3, 10, 20, 30)), 1);
        var nb = nbl.FirstNetBuffer!;
        var cursor = new NblToPacketCursor(nbl);
        var packet = Step(f, ref cursor, ref counts);
        var buffers = new List<Mdl>();
        foreach (var buffer in packet.Buffers)
            buffers.Add(buffer);
        Assert.Equal(3, buffers.Count);
        Assert.True(buffers[0].Flags.HasFlag(MdlFlags.Partial));
        Assert.Equal(MdlOrigin.Translation, buffers[0].Origin);
        Assert.Equal(7, buffers[0].ByteCount);
        Assert.Same(nb.MdlChain!.Next, buffers[1]);
        Assert.Same(nb.MdlChain.Next!.Next, buffers[2]);
        Assert.Equal(1, counts.PartialMdls);
        Assert.Equal(2, counts.SharedMdls);
        Assert.Equal(nb.ToArray(), Fixture.Bytes(packet));
        Ndis5.QueryPacketLength(packet, out uint total);
        Assert.Equal((uint)nb.DataLength, total);
        CompleteAll(f, [packet], ref counts);
        f.FreeChain(f.Completed.DequeueAll());
        f.AssertClean();
    }

    [Fact]
    public void Data_starting_at_an_MDL_start_and_ending_at_the_chain_end_is_the_original_chain_itself()
    {
        var f = new Fixture();
        var counts = new TranslationCounts();
        var nbl = f.BuildNbl(Nbl(Nb(10, 50, 10, 20, 30)), 1);
        var cursor = new NblToPacketCursor(nbl);
        var packet = Step(f, ref cursor, ref counts);
        Assert.Same(nbl.FirstNetBuffer!.MdlChain!.Next, packet.FirstBuffer);
        Assert.Equal(0, counts.PartialMdls);
        CompleteAll(f, [packet], ref counts);
        f.FreeChain(f.Completed.DequeueAll());
        f.AssertClean();
    }

    [Fact]
    public void Data_ending_inside_an_MDL_is_described_only_by_partials_so_no_shared_Next_leads_past_the_tail()
    {
        var f = new Fixture();
        var counts = new TranslationCounts();
        var nbl = f.BuildNbl(Nbl(Nb(5, 30, 10, 20, 30)), 1);
        var nb = nbl.FirstNetBuffer!;
        var cursor = new NblToPacketCursor(nbl);
        var packet = Step(f, ref cursor, ref counts);
        int count = 0;
        foreach (var buffer in packet.Buffers)
        {
            Assert.Equal(MdlOrigin.Translation, buffer.Origin);
            count++;
        }
        Assert.Equal(3, count);
        Assert.Equal(3, counts.PartialMdls);
        Assert.Null(packet.LastBuffer!.Next);
        Assert.Equal(nb.ToArray(), Fixture.Bytes(packet));
        CompleteAll(f, [packet], ref counts);
        f.FreeChain(f.Completed.DequeueAll());
        f.AssertClean();
    }

    [Fact]
    public void Out_of_resources_leaves_the_cursor_on_the_same_NET_BUFFER_and_a_retry_resumes_there()
    {
        var f = new Fixture(new TranslatorOptions { Capacity = 2 });
        var counts = new TranslationCounts();
        var nbl = f.BuildNbl(Nbl(Nb(0, 4, 4), Nb(0, 5, 5), Nb(0, 6, 6)), 1);
        var cursor = new NblToPacketCursor(nbl);
        var first = Step(f, ref cursor, ref counts);
        var second = Step(f, ref cursor, ref counts);
        var third = nbl.FirstNetBuffer!.Next!.Next;
        Assert.Same(third, cursor.CurrentNetBuffer);
        Assert.Equal(TranslationOutcome.OutOfResources, f.ToPackets.TranslateNext(ref cursor, f.Completed, ref counts, out var none));
        Assert.Null(none);
        Assert.Same(third, cursor.CurrentNetBuffer);
        Assert.Equal(1, counts.Failures(TranslationFailure.PacketPoolEmpty));
        Assert.Equal(1, counts.OutOfResources);

        // The first two complete while the NBL is still being split: the bias keeps it from completing.
        CompleteAll(f, [first, second], ref counts);
        Assert.True(f.Completed.IsEmpty);

        var last = Step(f, ref cursor, ref counts);
        Assert.True(cursor.IsAtEnd);
        Assert.Equal(third!.ToArray(), Fixture.Bytes(last));
        Assert.True(f.Completed.IsEmpty);
        CompleteAll(f, [last], ref counts);
        Assert.Same(nbl, f.Completed.Head);
        Assert.Equal(NdisStatus.Success, nbl.Status);
        f.FreeChain(f.Completed.DequeueAll());
        f.AssertClean();
    }

    [Fact]
    public void Out_of_MDLs_frees_what_the_step_built_and_keeps_the_cursor()
    {
        var f = new Fixture(new TranslatorOptions { MdlCapacity = 2 });
        var counts = new TranslationCounts();
        var nbl = f.BuildNbl(Nbl(Nb(1, 20, 8, 8, 8)), 1);
        var cursor = new NblToPacketCursor(nbl);
        Assert.Equal(TranslationOutcome.OutOfResources, f.ToPackets.TranslateNext(ref cursor, f.Completed, ref counts, out _));
        Assert.Equal(1, counts.Failures(TranslationFailure.MdlPoolEmpty));
        Assert.Equal(0, f.ToPackets.MdlPool.Counters.Outstanding);
        Assert.Equal(0, f.ToPackets.PacketPool.Usage);
        Assert.Same(nbl.FirstNetBuffer, cursor.CurrentNetBuffer);
        var aborted = new TranslationCounts();
        f.ToPackets.AbortRemaining(ref cursor, NdisStatus.Resources, f.Completed, ref aborted);
        Assert.Equal(NdisStatus.Resources, f.Completed.Head!.Status);
        f.FreeChain(f.Completed.DequeueAll());
        f.AssertClean();
    }

    [Fact]
    public void Too_many_MDLs_for_the_target_bounces_into_one_counted_copy()
    {
        var f = new Fixture(new TranslatorOptions { MaxBuffersPerPacket = 2 });
        var counts = new TranslationCounts();
        long copies = CopyCounters.CopiesOnThisThread;
        var nbl = f.BuildNbl(Nbl(Nb(3, 20, 8, 8, 8)), 1);
        var cursor = new NblToPacketCursor(nbl);
        var packet = Step(f, ref cursor, ref counts, TranslationOutcome.BounceRequired);
        Assert.Same(packet.FirstBuffer, packet.LastBuffer);
        Assert.Equal(nbl.FirstNetBuffer!.ToArray(), Fixture.Bytes(packet));
        Assert.Equal(1, counts.BounceCopies);
        Assert.Equal(20, counts.BytesCopied);
        Assert.Equal(copies + 1, CopyCounters.CopiesOnThisThread);
        CompleteAll(f, [packet], ref counts);
        f.FreeChain(f.Completed.DequeueAll());
        f.AssertClean();
    }

    [Fact]
    public void Cannot_translate_drops_the_NET_BUFFER_keeps_the_order_fails_the_NBL_and_is_counted()
    {
        var f = new Fixture();
        var counts = new TranslationCounts();
        var lsoV2 = f.BuildNbl(Nbl(Nb(0, 4, 4)), 1);
        lsoV2.Info.LargeSend = new LargeSendOffloadInfo { Mss = 1000, Type = LargeSendOffloadInfo.V2Type };
        var mixed = f.BuildNbl(Nbl(Nb(0, 4, 4), Nb(0, 5, 5), Nb(0, 6, 6)), 10);
        var broken = mixed.FirstNetBuffer!.Next!;
        broken.DataLength = 0;
        var empty = f.Nbls.AllocateNetBufferList()!;
        var good = f.BuildNbl(Nbl(Nb(0, 7, 7)), 20);
        lsoV2.Next = mixed;
        mixed.Next = empty;
        empty.Next = good;

        var cursor = new NblToPacketCursor(lsoV2);
        var outcomes = new List<TranslationOutcome>();
        var packets = new List<NdisPacket>();
        while (!cursor.IsAtEnd)
        {
            outcomes.Add(f.ToPackets.TranslateNext(ref cursor, f.Completed, ref counts, out var packet));
            if (packet is not null)
                packets.Add(packet);
        }
        Assert.Equal([TranslationOutcome.CannotTranslate, TranslationOutcome.Success, TranslationOutcome.CannotTranslate,
            TranslationOutcome.Success, TranslationOutcome.CannotTranslate, TranslationOutcome.Success], outcomes);
        Assert.Equal([4, 6, 7], packets.Select(p => Fixture.Bytes(p).Length));
        Assert.Equal(3, counts.CannotTranslate);
        Assert.Equal(1, counts.Failures(TranslationFailure.UnsupportedOffload));
        Assert.Equal(1, counts.Failures(TranslationFailure.EmptyNetBuffer));
        Assert.Equal(1, counts.Failures(TranslationFailure.EmptyNetBufferList));

        // NBLs with nothing in flight completed at once, in order; the rest complete with their packets.
        Assert.Equal(2, f.Completed.Count);
        Assert.Same(lsoV2, f.Completed.Head);
        Assert.Equal(NdisStatus.NotSupported, lsoV2.Status);
        Assert.Equal(NdisStatus.InvalidPacket, empty.Status);
        CompleteAll(f, packets, ref counts);
        Assert.Equal(NdisStatus.InvalidLength, mixed.Status);
        Assert.Equal(NdisStatus.Success, good.Status);
        broken.DataLength = 5;
        f.FreeChain(f.Completed.DequeueAll());
        f.AssertClean();
    }

    [Fact]
    public void Per_NBL_info_goes_to_every_packet_of_the_NBL_and_LSO_bytes_sent_come_back()
    {
        var f = new Fixture();
        var counts = new TranslationCounts();
        var info = new InfoSpec(0x15, true, 1460, 9, 0x5123, 77, 12, 3, true, NdisStatus.Success);
        var nbl = f.BuildNbl(new NblSpec([Nb(0, 4, 4), Nb(0, 5, 5)], info), 1);
        nbl.Info.Checksum = new TcpIpChecksumInfo(0x15 | (40u << 16)); // TcpHeaderOffset has no 5.x field
        var cursor = new NblToPacketCursor(nbl);
        var packets = new[] { Step(f, ref cursor, ref counts), Step(f, ref cursor, ref counts) };
        foreach (var packet in packets)
        {
            Assert.Equal(0x15u, packet.Extension.Checksum.Value);
            Assert.Same(Fixture.IpSecInfo, packet.Extension.IpSec);
            Assert.Equal(1460u, packet.Extension.TcpLargeSend);
            Assert.Equal(9, packet.Extension.ClassificationHandle);
            Assert.Equal(0x5123u, packet.Extension.Ieee8021Q.Value);
            Assert.Equal(3, packet.Extension.Ieee8021Q.UserPriority);
            Assert.Equal(77, Ndis5.GetPacketCancelId(packet));
            packet.GetMediaSpecificInfo(out var msi, out uint size);
            Assert.Same(nbl.Info.MediaSpecificInformation, msi);
            Assert.Equal(12u, size);
            Assert.Equal(3u, packet.ProtocolType);
            Assert.Equal(NdisFlags.IsLoopbackPacket | (NdisFlags)3, packet.Private.Flags);
            Assert.Equal(0u, packet.HeaderSize);
        }
        packets[0].Extension.TcpLargeSend = 4;
        packets[1].Extension.TcpLargeSend = 5;
        f.ToPackets.CompletePacket(packets[1], NdisStatus.Success, f.Completed, ref counts);
        f.ToPackets.CompletePacket(packets[0], NdisStatus.Success, f.Completed, ref counts);
        Assert.Equal(9, nbl.Info.LargeSend.TcpPayload);
        f.FreeChain(f.Completed.DequeueAll());
        f.AssertClean();
    }

    [Fact]
    public void The_packet_back_pointer_and_completion_record_live_in_NDIS_areas_not_the_miniports_or_protocols()
    {
        var f = new Fixture();
        var counts = new TranslationCounts();
        var nbl = f.BuildNbl(Nbl(Nb(0, 4, 4)), 1);
        var cursor = new NblToPacketCursor(nbl);
        var packet = Step(f, ref cursor, ref counts);
        Assert.Same(nbl, NblToPacketTranslator.NetBufferListOf(packet));
        Assert.True(f.ToPackets.Built(packet));
        for (int i = 0; i < packet.MiniportReservedEx.Length; i++)
            Assert.Null(packet.MiniportReservedEx[i]);
        for (int i = 0; i < packet.ProtocolReserved.Length; i++)
            Assert.Null(packet.ProtocolReserved[i]);
        for (int i = 0; i < nbl.MiniportReserved.Length; i++)
            Assert.Null(nbl.MiniportReserved[i]);
        Assert.Null(nbl.Scratch);
        CompleteAll(f, [packet], ref counts);
        f.FreeChain(f.Completed.DequeueAll());
        f.AssertClean();
    }
}
