using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CsCheck;

namespace CoNdis.Translation.Tests;

/// <summary>Issue 6 "must show": random NBL chains and random packets survive a round trip byte for byte, info for info, with no copy.</summary>
public sealed class RoundTripPropertyTests
{
    [Fact]
    public void Random_NBL_chains_to_packets_to_NBLs_keep_bytes_and_info_without_copying()
    {
        Generators.Chain.Sample(specs =>
        {
            var f = new Fixture();
            long copies = CopyCounters.CopiesOnThisThread;
            var counts = new TranslationCounts();
            var chain = f.BuildChain(specs);
            var originals = Fixture.List(chain);
            var expected = new List<(NetBufferList Nbl, byte[] Bytes)>();
            foreach (var nbl in originals)
            {
                foreach (var nb in nbl.NetBuffers)
                    expected.Add((nbl, nb.ToArray()));
            }

            var cursor = new NblToPacketCursor(chain);
            var packets = new List<NdisPacket>();
            while (!cursor.IsAtEnd)
            {
                Assert.Equal(TranslationOutcome.Success, f.ToPackets.TranslateNext(ref cursor, f.Completed, ref counts, out var packet));
                packets.Add(packet!);
            }
            Assert.Equal(expected.Count, packets.Count);
            Assert.True(f.Completed.IsEmpty);

            for (int i = 0; i < packets.Count; i++)
            {
                var (nbl, bytes) = expected[i];
                Assert.Same(nbl, NblToPacketTranslator.NetBufferListOf(packets[i]));
                Assert.Equal(bytes, Fixture.Bytes(packets[i]));
                Assert.Equal(TranslationOutcome.Success, f.ToNbls.Wrap(packets[i], ref counts, out var back));
                Assert.Equal(1, back!.NetBufferCount);
                Assert.Equal(0, back.FirstNetBuffer!.DataOffset);
                Assert.Equal(bytes, back.FirstNetBuffer.ToArray());
                Assert.True(back.Info.SlotsEqual(nbl.Info), "the NBL info came back different");
                Assert.Equal(nbl.NblFlags, back.NblFlags);
                Assert.Equal(nbl.Status, back.Status);
                Assert.Same(packets[i], f.ToNbls.Return(back, ref counts));
            }

            foreach (var packet in packets)
                f.ToPackets.CompletePacket(packet, NdisStatus.Success, f.Completed, ref counts);
            Assert.Equal(originals.Count, f.Completed.Count);
            Assert.Equal(packets.Count, counts.PacketsBuilt);
            Assert.Equal(packets.Count, counts.NetBufferListsBuilt);
            Assert.Equal(0, counts.BytesCopied);
            Assert.Equal(copies, CopyCounters.CopiesOnThisThread);
            f.FreeChain(f.Completed.DequeueAll());
            f.AssertClean();
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void Random_packets_to_NBLs_to_packets_keep_bytes_info_and_OOB_without_copying()
    {
        Generators.Packets.Sample(specs =>
        {
            var f = new Fixture();
            long copies = CopyCounters.CopiesOnThisThread;
            var counts = new TranslationCounts();
            var originals = specs.Select((spec, i) => f.BuildPacket(spec, i)).ToList();
            var nbls = new List<NetBufferList>();
            foreach (var packet in originals)
            {
                Assert.Equal(TranslationOutcome.Success, f.ToNbls.Wrap(packet, ref counts, out var nbl));
                Assert.Same(packet.FirstBuffer, nbl!.FirstNetBuffer!.MdlChain);
                nbls.Add(nbl);
            }
            for (int i = 0; i + 1 < nbls.Count; i++)
                nbls[i].Next = nbls[i + 1];

            var cursor = new NblToPacketCursor(nbls[0]);
            for (int i = 0; i < originals.Count; i++)
            {
                Assert.Equal(TranslationOutcome.Success, f.ToPackets.TranslateNext(ref cursor, f.Completed, ref counts, out var copy));
                AssertSamePacket(originals[i], copy!);
                f.ToPackets.CompletePacket(copy!, NdisStatus.Success, f.Completed, ref counts);
            }
            Assert.True(cursor.IsAtEnd);
            Assert.Equal(originals.Count, f.Completed.Count);
            while (f.Completed.Dequeue() is { } done)
                Assert.Contains(f.ToNbls.CompleteSend(done, ref counts), originals);

            Assert.Equal(0, counts.BytesCopied);
            Assert.Equal(0, counts.PartialMdls);
            Assert.Equal(copies, CopyCounters.CopiesOnThisThread);
            foreach (var packet in originals)
                f.FreePacket(packet);
            f.AssertClean();
        }, iter: 300, threads: 1);
    }

    internal static void AssertSamePacket(NdisPacket expected, NdisPacket actual)
    {
        Assert.Equal(Fixture.Bytes(expected), Fixture.Bytes(actual));
        var e = expected.Extension;
        var a = actual.Extension;
        Assert.Equal(e.Checksum, a.Checksum);
        Assert.Same(e.IpSec, a.IpSec);
        Assert.Equal(e.TcpLargeSend, a.TcpLargeSend);
        Assert.Equal(e.ClassificationHandle, a.ClassificationHandle);
        Assert.Equal(e.Ieee8021Q, a.Ieee8021Q);
        Assert.Equal(e.CancelId, a.CancelId);
        expected.GetMediaSpecificInfo(out var expectedMsi, out uint expectedSize);
        actual.GetMediaSpecificInfo(out var actualMsi, out uint actualSize);
        Assert.Same(expectedMsi, actualMsi);
        Assert.Equal(expectedSize, actualSize);
        Assert.Equal(expected.Private.Flags, actual.Private.Flags);
        Assert.Equal(expected.HeaderSize, actual.HeaderSize);
        Assert.Equal(expected.TimeSent, actual.TimeSent);
        Assert.Equal(expected.TimeReceived, actual.TimeReceived);
        Assert.Equal(expected.Status, actual.Status);
    }
}
