using CoNdis.NetBufferCore;
using CoNdis.Translation;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// Pool exhaustion under load, on every pairing (two hosts on the pair link): the same four senders on PVCs opened and
/// closed with sends in flight, but with pools far too small for them. With a 24-object client pool the client's
/// allocation fails and it counts that (NdisAllocateNetBufferList / NdisAllocatePacket return nothing), and waits,
/// bounded, for completions to refill it; with 8 receive buffers in the receiving miniport and 8-object translation
/// pools on the sender, the miniport indicates with RESOURCES, the NIC holds the far end off (flow control), and the
/// translation layer out of packets or NBLs fails the send with NDIS_STATUS_RESOURCES. In both: no deadlock (every wait bounded),
/// nothing lost uncounted, no send completed twice, every pool home at the end, the verifier silent, and once the load
/// stops and the pools have refilled, sends succeed again.
/// </summary>
public sealed class PoolExhaustionTests
{
    private const int RecoveryFrames = 64;
    private static readonly TimeSpan Duration = SoakSettings.Duration(1.5);

    public static TheoryData<string> Every => new(Pairings.All);

    [Theory, MemberData(nameof(Every))]
    public void A_dry_client_pool_fails_allocations_the_client_counts_and_traffic_recovers_when_completions_refill_it(string pairing)
    {
        using var rig = new SoakRig(pairing, "pair-link", new SoakHostOptions { ClientPool = 24 });
        var load = new SoakLoad(rig, VcChurn.PermanentVcs, 300 + Array.IndexOf(Pairings.All, pairing)) { Wait = TimeSpan.FromSeconds(SoakSettings.WaitSeconds(Duration)) };
        load.Run(Duration);
        long dry = rig.A.Client.AllocationFailures;
        int recovered = Recover(rig, load);
        var summary = SoakVerdict.AssertNothingLost(rig, load, allowedFailures: []);
        SoakReport.Write(nameof(A_dry_client_pool_fails_allocations_the_client_counts_and_traffic_recovers_when_completions_refill_it),
            $"{summary}; client allocations failed {dry}; after the load {recovered} of {RecoveryFrames} frames sent and arrived intact");
        Assert.True(load.DryPool > 0 && dry > 0, $"the client's pool never ran dry: {summary}");
        Assert.Equal(RecoveryFrames, recovered);
    }

    [Theory, MemberData(nameof(Every))]
    public void Dry_receive_and_translation_pools_fail_sends_with_resources_and_traffic_recovers_when_they_refill(string pairing)
    {
        // The sender's translation layer has 8 packets or NBLs, the receiver's miniport 8 receive buffers. (The
        // receiver's translation keeps its default pools: a receive it cannot translate is counted per attempt, not
        // per frame, so the frames it drops could not be told from frames lost uncounted.)
        var sender = new SoakHostOptions { Translation = new TranslatorOptions { Capacity = 8, MdlCapacity = 16 } };
        var receiver = new SoakHostOptions { ReceiveBuffers = 8 };
        using var rig = new SoakRig(pairing, "pair-link", sender, optionsB: receiver);
        var load = new SoakLoad(rig, VcChurn.PermanentVcs, 400 + Array.IndexOf(Pairings.All, pairing)) { Wait = TimeSpan.FromSeconds(SoakSettings.WaitSeconds(Duration)) };
        load.Run(Duration);
        long outOfResources = rig.A.Translation.OutOfResources;
        long resourcesFailures = rig.A.Client.Ledger.CompletedWith(NdisStatus.Resources);
        long withResources = rig.B.MiniportCounters.IndicatedWithResources;
        var nic = rig.B.Nic.Statistics;
        int recovered = Recover(rig, load);
        var summary = SoakVerdict.AssertNothingLost(rig, load, allowedFailures: [NdisStatus.Resources]);
        SoakReport.Write(nameof(Dry_receive_and_translation_pools_fail_sends_with_resources_and_traffic_recovers_when_they_refill),
            $"{summary}; sends failed with RESOURCES {resourcesFailures}, translation out of resources {outOfResources}, B indicated {withResources} receives with RESOURCES, B's NIC paused the far end {rig.A.Nic.Statistics.FlowControlPauses}x and dropped {nic.ReceiveNoBuffer} for want of a buffer; after the load {recovered} of {RecoveryFrames} frames sent and arrived intact");
        // The receiver's 8 buffers run low under four senders on every pairing: indications carry RESOURCES.
        Assert.True(withResources > 0, $"the receive pool never ran low: {summary}");
        // Where a translation layer carries the sends (a 5.x client or a 5.x miniport), its 8 packets or NBLs run out and
        // the sends it cannot translate complete with NDIS_STATUS_RESOURCES.
        if (pairing != "native/native")
        {
            Assert.True(outOfResources > 0, $"the translation layer never ran out: {summary}");
            Assert.True(resourcesFailures > 0, $"no send failed with NDIS_STATUS_RESOURCES: {summary}");
        }
        Assert.Equal(RecoveryFrames, recovered);
    }

    /// <summary>
    /// After the load, with every pool home: frames sent one chain of two at a time (within the smallest pool) on a
    /// fresh PVC each complete with SUCCESS and arrive intact. Returns how many did; bounded.
    /// </summary>
    private static int Recover(SoakRig rig, SoakLoad load)
    {
        Bounded.Until(() => rig.Hosts.All(h => h.Client.OutstandingPoolObjects == 0 && h.AdaptersIdle && h.MiniportOutstanding == 0), "every pool to refill after the load");
        var opened = load.Open(4001) ?? throw new InvalidOperationException("the recovery PVC could not be opened");
        var ledger = rig.A.Client.Ledger;
        long succeeded = ledger.CompletedWith(NdisStatus.Success), failed = ledger.Failed, intact = opened.Rx.Intact;
        var random = new Random(5);
        for (int sent = 0; sent < RecoveryFrames; )
        {
            int went = rig.A.Client.Send(opened.Tx, 2, random);
            Assert.Equal(2, went);
            sent += went;
            Bounded.Until(() => ledger.InFlight == 0 && opened.Rx.Intact - intact == sent, $"recovery frame {sent} to complete and arrive");
            rig.B.Client.Janitor();
        }
        int recovered = (int)Math.Min(ledger.CompletedWith(NdisStatus.Success) - succeeded, opened.Rx.Intact - intact);
        Assert.Equal(failed, ledger.Failed);
        // The load's janitor has stopped: close the PVC from the far end on both hosts and run the janitors here.
        rig.A.RemoteClose(opened.Tx);
        rig.B.RemoteClose(opened.Rx);
        Bounded.Until(() =>
        {
            foreach (var host in rig.Hosts)
                host.Client.Janitor();
            return opened.Tx.Deleted && opened.Rx.Deleted;
        }, "the recovery PVC to close");
        return recovered;
    }
}
