using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// The two orderings the soaks found broken, each on its own and deterministic (an inline NIC, one thread): a call's
/// close completes only after every send on it has completed to the protocol, and only after every receive
/// indicated on it came back, including the runtime-owned copies the translation makes of a 5.x miniport's
/// RESOURCES packets.
/// </summary>
public sealed class CloseOrderingTests
{
    private static readonly SoakHostOptions Inline = new() { Nic = new NicOptions { CompletionMode = NicCompletionMode.Inline } };

    [Fact]
    public void Sends_being_completed_to_the_protocol_still_count_as_outstanding_on_the_vc_until_its_handler_returns()
    {
        // If the count dropped before the handler ran, a close waiting on it (a miniport's drain check, on any
        // thread) could complete the call while the protocol has not got its NBLs back yet: a 5.x client over the
        // translation then deletes its VC with packets outstanding (the soak's LeakAtVcDelete on legacy/native).
        using var rig = new SoakRig("native/native", "loopback", Inline);
        var client = (NativeSoakClient)rig.A.Client;
        var seen = new List<(long Outstanding, int Completing)>();
        client.SendCompleting = (vc, count) => seen.Add((vc.Runtime.OutstandingSends, count));
        var vc = rig.A.OfferPermanentVc(ChannelBinding.Both(9));
        var random = new Random(1);
        for (int i = 0; i < 5; i++)
            Assert.Equal(4, client.Send(vc, 4, random));

        Assert.Equal(20, seen.Sum(s => s.Completing));
        Assert.All(seen, s => Assert.True(s.Outstanding >= s.Completing,
            $"{s.Completing} NBLs were being completed to the protocol while the VC counted only {s.Outstanding} sends outstanding"));
        Assert.Equal(0, vc.Runtime.OutstandingSends);
        rig.A.RemoteClose(vc);
        client.Janitor();
        Assert.True(vc.Deleted);
        Assert.Equal(0, rig.A.Verifier.FindingCount);
    }

    [Fact]
    public void A_close_on_a_5x_miniport_waits_for_the_translated_copies_of_its_resources_receives_to_come_back()
    {
        // The 5.x miniport has its RESOURCES packet back as soon as the indication returns; the protocol holds the
        // runtime-owned copy the translation indicated. Deactivation must wait for the copy, as for any receive.
        using var rig = new SoakRig("native/legacy", "loopback", Inline);
        var host = rig.A;
        var client = (NativeSoakClient)host.Client;
        host.ReceiveLowWater = 1 << 20; // every receive goes up with RESOURCES
        client.HoldEveryReceive = true;
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        Assert.Equal(1, client.Send(vc, 1, new Random(2)));
        Assert.Equal(1, client.Received);
        Assert.Equal(1, client.Holding);
        Assert.Equal(1, vc.Runtime.OutstandingReceives);

        host.RemoteClose(vc);
        client.CloseReleased(); // NdisClCloseCall with the copy still held
        Assert.Equal(0, host.Verifier.FindingCount);
        Assert.False(vc.Deleted, "the call closed while a receive indicated on it was still with the protocol");

        client.ReturnHeld();
        Assert.True(vc.Deleted, "the close did not finish once the copy came back");
        Assert.Equal(0, host.Verifier.FindingCount);
        Assert.Equal(0, host.Shutdown());
        Assert.Equal(0, host.Verifier.FindingCount);
    }
}
