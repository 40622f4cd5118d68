using CoNdis.Conformance;
using CoNdis.NetBufferCore;
using CoNdis.Translation.Tests.Legacy;

namespace CoNdis.Translation.Tests;

/// <summary>The translation counters prove zero copy on sends and copies only on RESOURCES receives.</summary>
public sealed class TranslationCounterTests
{
    private static byte[][] Frames(int count, int length) => Enumerable.Range(0, count).Select(i => Conformance.Frames.Make(i, length)).ToArray();

    [Fact]
    public void A_5x_miniport_sends_without_copying_and_copies_only_resources_receives()
    {
        using var rig = new ConformanceRig(new Pairing(DriverKind.Native, DriverKind.Legacy));
        var miniport = (LegacyConformanceMiniport)rig.Miniport;
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
        using var rig = new ConformanceRig(new Pairing(DriverKind.Legacy, DriverKind.Native));
        var client = (LegacyConformanceClient)rig.Client;
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
}
