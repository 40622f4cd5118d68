using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;

namespace CoNdis.Translation.Tests;

/// <summary>Receives from a 5.x miniport: wrapped without copying, except packets indicated with NDIS_STATUS_RESOURCES.</summary>
public sealed class ReceiveCopyTests
{
    private static readonly InfoSpec s_plain = new(0, false, 0, 0, 0x0020, 5, 0, 2, false, NdisStatus.Success);

    [Fact]
    public void Resources_receive_is_copied_into_a_runtime_owned_NBL_and_counted()
    {
        var f = new Fixture();
        var counts = new TranslationCounts();
        long copies = CopyCounters.CopiesOnThisThread;
        var packet = f.BuildPacket(new PacketSpec([10, 0, 33], s_plain with { Status = NdisStatus.Resources }, NdisFlags.None, 14, 0, 123456, 0), 3);
        Assert.Equal(TranslationOutcome.BounceRequired, f.ToNbls.TranslateReceived(packet, ref counts, out var nbl));
        Assert.Null(f.ToNbls.PacketOf(nbl!));
        var nb = nbl!.FirstNetBuffer!;
        Assert.NotSame(packet.FirstBuffer, nb.MdlChain);
        Assert.Equal(Fixture.Bytes(packet), nb.ToArray());
        Assert.Equal(NdisStatus.Success, nbl.Status);
        Assert.Equal(0x20u, nbl.Info.Ieee8021Q.Value);
        Assert.Equal(1, counts.ResourcesCopies);
        Assert.Equal(43, counts.BytesCopied);
        Assert.Equal(copies + 1, CopyCounters.CopiesOnThisThread);

        // The packet is the miniport's again at once; the copy survives it, OOB included.
        f.FreePacket(packet);
        var cursor = new NblToPacketCursor(nbl);
        f.ToPackets.TranslateNext(ref cursor, f.Completed, ref counts, out var up);
        Assert.Equal(14u, up!.HeaderSize);
        Assert.Equal(123456ul, up.TimeReceived);
        f.ToPackets.CompletePacket(up, NdisStatus.Success, f.Completed, ref counts);
        Assert.Null(f.ToNbls.Return(f.Completed.Dequeue()!, ref counts));
        f.AssertClean();
    }

    [Fact]
    public void Normal_receive_wraps_the_packet_and_the_packet_goes_back_when_the_NBL_returns()
    {
        var f = new Fixture();
        var counts = new TranslationCounts();
        long copies = CopyCounters.CopiesOnThisThread;
        var packet = f.BuildPacket(new PacketSpec([10, 33], s_plain, NdisFlags.None, 14, 0, 99, 0), 3);
        Assert.Equal(TranslationOutcome.Success, f.ToNbls.TranslateReceived(packet, ref counts, out var nbl));
        Assert.Same(packet.FirstBuffer, nbl!.FirstNetBuffer!.MdlChain);
        Assert.Equal(0, counts.BytesCopied);
        Assert.Equal(copies, CopyCounters.CopiesOnThisThread);
        Assert.Same(packet, f.ToNbls.Return(nbl, ref counts));
        Assert.Equal(1u, Ndis5.PacketPoolUsage(f.Packets));
        f.FreePacket(packet);
        f.AssertClean();
    }

    [Fact]
    public void A_resources_packet_larger_than_the_copy_buffers_cannot_be_translated_and_is_counted()
    {
        var f = new Fixture(new TranslatorOptions { CopyDataSize = 32 });
        var counts = new TranslationCounts();
        var packet = f.BuildPacket(new PacketSpec([40], s_plain with { Status = NdisStatus.Resources }, NdisFlags.None, 0, 0, 0, 0), 3);
        Assert.Equal(TranslationOutcome.CannotTranslate, f.ToNbls.TranslateReceived(packet, ref counts, out var nbl));
        Assert.Null(nbl);
        Assert.Equal(1, counts.Failures(TranslationFailure.PacketTooLarge));
        f.FreePacket(packet);
        f.AssertClean();
    }

    [Fact]
    public void An_empty_packet_cannot_be_translated_and_a_dry_NBL_pool_leaves_the_packet_with_the_caller()
    {
        var f = new Fixture(new TranslatorOptions { Capacity = 1 });
        var counts = new TranslationCounts();
        Ndis5.AllocatePacket(out _, out var empty, f.Packets);
        Assert.Equal(TranslationOutcome.CannotTranslate, f.ToNbls.Wrap(empty!, ref counts, out _));
        Assert.Equal(1, counts.Failures(TranslationFailure.EmptyPacket));
        var a = f.BuildPacket(new PacketSpec([4], s_plain, NdisFlags.None, 0, 0, 0, 0), 1);
        var b = f.BuildPacket(new PacketSpec([4], s_plain, NdisFlags.None, 0, 0, 0, 0), 2);
        Assert.Equal(TranslationOutcome.Success, f.ToNbls.Wrap(a, ref counts, out var nbl));
        Assert.Equal(TranslationOutcome.OutOfResources, f.ToNbls.Wrap(b, ref counts, out _));
        Assert.Equal(1, counts.Failures(TranslationFailure.NetBufferListPoolEmpty));
        f.ToNbls.Return(nbl!, ref counts);
        Assert.Equal(TranslationOutcome.Success, f.ToNbls.Wrap(b, ref counts, out nbl));
        f.ToNbls.Return(nbl!, ref counts);
        f.FreePacket(empty!);
        f.FreePacket(a);
        f.FreePacket(b);
        f.AssertClean();
    }
}
