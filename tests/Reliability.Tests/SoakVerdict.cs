using System.Text;
using CoNdis.NetBufferCore;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// What every soak proves at its end: nothing lost, doubled or leaked. Every NBL or packet sent completed exactly once
/// (ledger: sent = completed, none unmatched, none in flight), only with the statuses the test allows; every receive
/// given back exactly once (returned + RESOURCES receives = received; the miniport holds nothing out); every frame
/// that left with SUCCESS arrived intact or is counted by whatever lost it (the fault injector, the receiving NIC,
/// the miniport's discards); every pool at its initial count at rest and freed without a leak at halt; the verifier
/// silent on every host.
/// </summary>
internal static class SoakVerdict
{
    public static string AssertNothingLost(SoakRig rig, SoakLoad load, IReadOnlyCollection<NdisStatus> allowedFailures, bool wireAccounting = true)
    {
        Assert.True(load.Errors.Count == 0, $"{rig}: {load.Errors.Count} errors on the load threads: {string.Join(" | ", load.Errors.Take(5).Select(e => e.ToString()))}");
        var report = new StringBuilder();
        report.Append(rig).Append(": ").Append(load.Elapsed.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)).Append(" s, ")
            .Append(load.VcsOpened).Append(" VCs opened and closed (").Append(load.ClosesWithSendsInFlight).Append(" closed with sends in flight), ")
            .Append(load.CallFailures).Append(" calls refused, ").Append(load.Batches).Append(" chains, ").Append(load.DryPool).Append(" sends found the client's pool dry");
        // The device thread may still be finishing a DPC (an indication, a return reposted): give it a bounded moment.
        Bounded.TryUntil(() => rig.Hosts.All(h => h.MiniportOutstanding == 0 && h.AdaptersIdle && h.Client.OutstandingPoolObjects == 0), TimeSpan.FromSeconds(10));
        foreach (var host in rig.Hosts)
        {
            var ledger = host.Client.Ledger;
            Assert.True(ledger.Unmatched == 0, $"{host.Name}: {ledger.Unmatched} completions of sends not in flight (double or phantom): {ledger}");
            Assert.True(ledger.Reissued == 0, $"{host.Name}: {ledger.Reissued} objects handed out by a pool while still in flight: {ledger}");
            Assert.True(ledger.InFlight == 0 && ledger.Sent == ledger.Completed, $"{host.Name}: sends lost: {ledger}");
            foreach (var status in ledger.ByStatus.Keys.Where(s => s != NdisStatus.Success))
                Assert.True(allowedFailures.Contains(status), $"{host.Name}: a send completed with {status.Describe()}, not a status of the faults injected: {ledger}");

            var client = host.Client;
            Assert.Equal(0, client.Holding);
            Assert.True(client.Received == client.Returned + client.ReceivedWithResources,
                $"{host.Name}: received {client.Received}, returned {client.Returned} + {client.ReceivedWithResources} with RESOURCES");
            Assert.True(client.Received == client.ReceivedIntact, $"{host.Name}: {client.Received - client.ReceivedIntact} damaged frames reached the client");
            Assert.True(host.MiniportOutstanding == 0, $"{host.Name}: the miniport has {host.MiniportOutstanding} receives (or signalling frames) out");
            var counters = host.MiniportCounters;
            Assert.True(counters.Indicated == counters.Returned, $"{host.Name}: the miniport indicated {counters.Indicated} and got {counters.Returned} back");
            Assert.True(client.OutstandingPoolObjects == 0, $"{host.Name}: {client.OutstandingPoolObjects} objects out of the client's pools at rest");
            Assert.True(host.AdaptersIdle, $"{host.Name}: a translation adapter still holds translated NBLs or packets");
            Assert.True(client.LiveVcs == 0, $"{host.Name}: {client.LiveVcs} VCs left");
            report.Append("; ").Append(host.Name).Append(' ').Append(client.Kind).Append(" client: ").Append(ledger)
                .Append(", received ").Append(client.Received).Append(" (").Append(client.ReceivedWithResources).Append(" with RESOURCES)");
        }

        var sender = rig.A.Client.Ledger;
        long succeeded = sender.CompletedWith(NdisStatus.Success);
        var faults = rig.Faults;
        // Each frame lost is counted once, where it was lost: not put on the wire by the injector (dropped, lost while
        // down, still held), or refused by the receiving NIC (bad FCS or too long, flushed by a reset or link down, no
        // buffer), or dropped by the receiving miniport (no VC on its channel). A send completes when its frame left
        // the sending NIC: the last frames may still be in the receiving NIC's FIFO, so the count settles first (bounded).
        long Explained()
        {
            var nic = rig.B.Nic.Statistics;
            long onTheWire = faults is null ? 0 : faults.Dropped + faults.LostWhileDown + faults.InFlight;
            return rig.B.Client.Received + onTheWire + nic.ReceiveErrors + nic.ReceiveFlushed + nic.ReceiveNoBuffer + rig.B.MiniportCounters.Discarded;
        }
        if (wireAccounting)
            Bounded.TryUntil(() => Explained() >= succeeded, TimeSpan.FromSeconds(10));
        long explained = Explained();
        long received = rig.B.Client.Received;
        var nic = rig.B.Nic.Statistics;
        long discarded = rig.B.MiniportCounters.Discarded;
        report.Append("; wire: ").Append(succeeded).Append(" sent with SUCCESS, ").Append(received).Append(" received");
        if (faults is not null)
        {
            report.Append(", dropped ").Append(faults.Dropped).Append(", corrupted ").Append(faults.Corrupted).Append(", lost while down ").Append(faults.LostWhileDown)
                .Append(", delayed ").Append(faults.Delayed).Append(", reordered ").Append(faults.Reordered).Append(", still held ").Append(faults.InFlight);
        }
        report.Append(", receive errors (FCS, length) ").Append(nic.ReceiveErrors).Append(", flushed by a reset or link down ").Append(nic.ReceiveFlushed).Append(", no receive buffer ").Append(nic.ReceiveNoBuffer)
            .Append(", discarded (no VC on the channel) ").Append(discarded);
        if (wireAccounting)
            Assert.True(succeeded == explained, $"{rig}: {succeeded - explained} frames sent with SUCCESS neither arrived nor were counted lost: {report};{rig.Describe()}");

        foreach (var host in rig.Hosts)
        {
            var translation = host.Translation;
            if (!translation.IsEmpty)
                report.Append("; ").Append(host.Name).Append(" translation: out of resources ").Append(translation.OutOfResources);
            int leaked = host.Shutdown();
            Assert.True(leaked == 0, $"{host.Name}: {leaked} pool objects not home at halt");
            Assert.True(host.Verifier.FindingCount == 0, $"{host.Name}: verifier findings: {string.Join(" | ", host.Verifier.RecentFindings)}");
        }
        report.Append("; pools home, verifier silent");
        return report.ToString();
    }
}
