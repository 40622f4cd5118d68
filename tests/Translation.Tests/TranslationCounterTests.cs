using CoNdis.NetBufferCore;
using CoNdis.TestDrivers;
using CoNdis.TestDrivers.Legacy;
using CoNdis.TestDrivers.Translated;

namespace CoNdis.Translation.Tests;

/// <summary>The translation counters prove zero copy on sends and copies only on RESOURCES receives.</summary>
public sealed class TranslationCounterTests
{
    private static byte[][] Frames(int count, int length) => Enumerable.Range(0, count).Select(i => TestFrames.Make(i, length)).ToArray();

    [Fact]
    public void A_5x_miniport_sends_without_copying_and_copies_only_resources_receives()
    {
        using var rig = TranslatedDrivers.Rig(new Pairing(DriverKind.Native, DriverKind.Legacy));
        var miniport = (TranslatedTestMiniport)rig.Miniport;
        var vc = rig.MakeCall();
        long copies = CopyCounters.CopiesOnThisThread;
        rig.Client.Send(vc, [Frames(4, 300), Frames(2, 1500)], mdlsPerNb: 3);
        var counts = miniport.Translation.Counters;
        Assert.Equal(6, counts.PacketsBuilt);
        Assert.Equal(0, counts.BytesCopied);
        Assert.Equal(copies, CopyCounters.CopiesOnThisThread);

        rig.Miniport.Indicate(vc, Frames(3, 200), resources: false);
        Assert.Equal(0, miniport.Translation.Counters.BytesCopied);
        rig.Miniport.Indicate(vc, Frames(5, 200), resources: true);
        counts = miniport.Translation.Counters;
        Assert.Equal(5, counts.ResourcesCopies);
        Assert.Equal(5 * 200, counts.BytesCopied);
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Fact]
    public void A_5x_client_sends_and_receives_without_copying()
    {
        using var rig = TranslatedDrivers.Rig(new Pairing(DriverKind.Legacy, DriverKind.Native));
        var client = (TranslatedTestClient)rig.Client;
        rig.Miniport.Loopback = true;
        var vc = rig.MakeCall();
        long copies = CopyCounters.CopiesOnThisThread;
        rig.Client.Send(vc, [Frames(8, 700)], mdlsPerNb: 2);
        var counts = client.Translation.Counters;
        Assert.Equal(8, counts.NetBufferListsBuilt);
        Assert.Equal(8, counts.PacketsBuilt); // the loopback receives, described by packets
        Assert.Equal(0, counts.BytesCopied);
        Assert.Equal(copies, CopyCounters.CopiesOnThisThread);
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Fact]
    public void A_5x_clients_send_completes_with_success_even_when_the_miniport_leaves_the_nbl_status_alone()
    {
        // NDIS 5 marks a packet PENDING while it is in flight; that must not come back as its completion status.
        var runtime = new NetBufferCore.CoNdis.CoNdisRuntime();
        var miniport = new NativeTestMiniport { WritesSendStatus = false, RecordSentFrames = false };
        var adapter = miniport.Register(runtime, "leaves status");
        new TestCallManager().Bind(runtime, adapter);
        var client = new LegacyScriptedClient();
        var translation = new Adapters.LegacyClientAdapter(runtime, adapter, "5.x", client, null);
        runtime.ClOpenAddressFamilyEx(translation.Binding, TestCallManager.AddressFamily, null, out var af);
        Assert.Equal(NdisStatus.Success, translation.CreateVc(af!, null, out var vc));
        Assert.Equal(NdisStatus.Success, runtime.ClMakeCall(vc!.Runtime, ConformanceRig.CallParameters, null, out _));
        LegacyPacket.Ndis5.AllocatePacketPool(out _, out var pool, 1, 16, translation.Binding.Handle);
        LegacyPacket.Ndis5.AllocateBufferPool(out _, out var buffers, 1, translation.Binding.Handle);
        var packet = LegacyFrames.Build(pool!, buffers, TestFrames.Make(1, 60));
        LegacyPacket.Ndis5.CoSendPackets(vc.Legacy, [packet], 1);
        var completion = Assert.Single(client.Completions);
        Assert.Equal(NdisStatus.Success, completion.Status);
        Assert.Same(packet, completion.Packet);
    }
}
