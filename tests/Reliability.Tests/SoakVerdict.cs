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
        long OnTheWire() => faults is null ? 0 : faults.Dropped + faults.LostWhileDown + faults.InFlight;
        long Explained()
        {
            var counters = rig.B.Nic.Statistics;
            return rig.B.Client.Received + OnTheWire() + counters.ReceiveErrors + counters.ReceiveFlushed + counters.ReceiveNoBuffer
                + rig.B.MiniportCounters.Discarded;
        }
        if (rig.IsAtm)
            Settle(() => rig.B.Client.Received + rig.B.Atm!.Statistics.CellsReceived, TimeSpan.FromSeconds(10)); // losses are a range there
        else if (wireAccounting)
            Bounded.TryUntil(() => Explained() >= succeeded, TimeSpan.FromSeconds(10));
        long explained = Explained();
        long onTheWire = OnTheWire();
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
        if (rig.IsAtm)
            AtmWire(rig, succeeded, received, explained - received - onTheWire, report);
        else if (wireAccounting)
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

    /// <summary>Waits (bounded) until <paramref name="count"/> has not moved for 100 ms: the receiving side is done.</summary>
    private static void Settle(Func<long> count, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long last = count();
        int still = 0;
        while (clock.Elapsed < limit && still < 5)
        {
            Thread.Sleep(20);
            long now = count();
            still = now == last ? still + 1 : 0;
            last = now;
        }
    }

    /// <summary>
    /// The ATM wire: the fault injector works on cells, and a frame is lost when any of its cells is (the HEC discards
    /// a bad header, the AAL5 CRC-32 or length check a bad or short PDU, the reassembly timeout a PDU whose last cell
    /// never came). The SAR counts PDUs, not frames: a lost end-of-PDU cell joins two frames into one bad PDU, a cell
    /// delayed or reordered into another PDU spoils that one too. So: without faults every frame arrives or is counted
    /// by the NIC or miniport or ended on a VC the receiver had closed (the SAR's PDUs on no VC); with faults every frame that left with SUCCESS and did not
    /// arrive is accounted for by the SAR's counters: at least one PDU discard or flush per four lost frames (a damaged
    /// cell spoils at most its own PDU, the one it was joined to and, misdelivered, two more) and at most one lost frame
    /// per PDU discarded, PDU the transmitting SAR flushed at a reset, or cell damaged on the wire. Never a wrong frame
    /// (the client checks every frame's hash: received = intact).
    /// </summary>
    private static void AtmWire(SoakRig rig, long succeeded, long received, long frameCounted, StringBuilder report)
    {
        var tx = rig.A.Atm!.Statistics;
        var rx = rig.B.Atm!.Statistics;
        long pduDiscards = rx.ReassemblyErrors + rx.EncapsulationErrors + rx.PdusUnknownVc + tx.TransmitFlushed;
        long lost = succeeded - received - frameCounted;
        var faults = rig.Faults;
        long cellsDamaged = faults is null ? 0 : faults.Dropped + faults.Corrupted + faults.Delayed + faults.Reordered + faults.LostWhileDown + faults.InFlight;
        report.Append("; SAR: ").Append(tx.CellsTransmitted).Append(" cells / ").Append(tx.PdusTransmitted).Append(" PDUs sent (").Append(tx.TransmitFlushed).Append(" flushed by a reset), ")
            .Append(rx.CellsReceived).Append(" cells / ").Append(rx.PdusReceived).Append(" PDUs received, HEC corrected ").Append(rx.HecCorrected)
            .Append(" discarded ").Append(rx.HecDiscarded).Append(", CRC errors ").Append(rx.CrcErrors).Append(", length errors ").Append(rx.LengthErrors)
            .Append(", oversize ").Append(rx.Oversize).Append(", reassembly timeouts ").Append(rx.ReassemblyTimeouts).Append(", cells on no VC ").Append(rx.CellsUnknownVc).Append(" (ending ").Append(rx.PdusUnknownVc).Append(" PDUs)")
            .Append(", encapsulation errors ").Append(rx.EncapsulationErrors).Append("; frames lost on the cell wire ").Append(lost)
            .Append(" (cells damaged ").Append(cellsDamaged).Append(')');
        if (faults is null)
        {
            // A frame is lost only to a VC the receiver closed while its cells were on the way: the SAR counts the
            // end-of-PDU cell that found no VC. Nothing is damaged: no CRC, length or encapsulation error.
            Assert.True(rx.ReassemblyErrors + rx.EncapsulationErrors == 0, $"{rig}: PDUs discarded with no fault on the wire: {report};{rig.Describe()}");
            // (The signalling VC's PDUs cross the same counter: a BGN that reached the far host before its call manager
            // opened VCI 5 ends on no VC too, so the count may exceed the data frames lost by signalling PDUs, never more.)
            long signalling = tx.PdusTransmitted - succeeded;
            Assert.True(lost <= rx.PdusUnknownVc && rx.PdusUnknownVc - lost <= signalling,
                $"{rig}: {lost} frames lost, {rx.PdusUnknownVc} PDUs counted by the SAR as ended on no VC ({signalling} signalling PDUs sent): {report};{rig.Describe()}");
            return;
        }
        Assert.True(lost >= 0, $"{rig}: {-lost} more frames arrived or were counted lost than were sent: {report};{rig.Describe()}");
        Assert.True(lost <= pduDiscards + cellsDamaged, $"{rig}: {lost} frames lost, more than the {pduDiscards} PDU discards and {cellsDamaged} damaged cells account for: {report};{rig.Describe()}");
        Assert.True(lost <= 4 * (pduDiscards + rx.HecDiscarded + faults.Dropped + faults.LostWhileDown + faults.InFlight),
            $"{rig}: {lost} frames lost but the SAR and the injector counted only {pduDiscards} PDU discards, {rx.HecDiscarded} HEC discards, {rx.CellsUnknownVc} cells on no VC: {report};{rig.Describe()}");
    }
}
