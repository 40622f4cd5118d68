using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.Hardware.Tests.Miniports;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.TestDrivers;
using Xunit;

namespace CoNdis.Hardware.Tests.Atm;

/// <summary>
/// The ATM device's SAR under the miniports: GCRA shaping and policing on the virtual clock, the HEC receiver and the
/// CPCS checks on cells injected at the PHY, reassembly timeouts, cells for no VC, and no allocation per frame.
/// </summary>
public sealed class AtmDeviceTests
{
    private static readonly byte[][] s_kilobytePackets = Enumerable.Range(0, 20).Select(i => AtmTestFrames.Udp(1, 2, 1, 2, new byte[1000 - 28], (ushort)i)).ToArray();

    private static (AtmHost A, AtmHost B, CellLog Log, VirtualConnection Caller, VirtualConnection Callee) Call(
        AtmTrafficDescriptor forward, AtmDeviceOptions? atmA = null, AtmDeviceOptions? atmB = null, VirtualDeviceClock? clock = null)
    {
        var cable = new PairLink("uni");
        var log = new CellLog(cable.A);
        var a = new AtmHost(log, "A", "4711", atm: atmA, clock: clock);
        var b = new AtmHost(cable.B, "B", "4712", atm: atmB, clock: clock);
        var (vc, status, _) = a.Client.Call(AtmCallParameters.ForCall(new Q2931CallManagerParameters
        {
            CalledParty = b.Address,
            Encapsulation = Rfc2684Encapsulation.VcMuxRouted,
            Forward = forward,
        }));
        Assert.Equal(NdisStatus.Success, status);
        return (a, b, log, vc, b.Client.LastIncomingVc!);
    }

    [Fact]
    public void A_shaped_vc_never_exceeds_its_peak_cell_rate_on_the_line_schedule()
    {
        var (a, b, log, vc, callee) = Call(new AtmTrafficDescriptor(AtmServiceCategory.Cbr, 10_000));
        using (a)
        using (b)
        {
            a.Client.Send(vc, s_kilobytePackets);
            Wait.Until(() => b.Client.ReceivedOn(callee).Count == s_kilobytePackets.Length, "the packets");
            Assert.Equal(s_kilobytePackets, b.Client.ReceivedOn(callee));
            var times = log.TimesOn(32);
            Assert.Equal(s_kilobytePackets.Length * Aal5.CellCount(1000), times.Length);
            for (int i = 1; i < times.Length; i++)
                Assert.True(times[i] - times[i - 1] >= 100_000 - 1, $"cells {i - 1} and {i} left {times[i] - times[i - 1]} ns apart: more than the PCR of 10 000 cells/s");
            Assert.True(a.Device.Statistics.CellsDelayedByShaping >= times.Length - 1);
            b.Client.Close(callee);
            a.Client.Close(vc);
        }
    }

    [Fact]
    public void A_burst_within_mbs_leaves_at_the_peak_rate_and_the_excess_is_delayed_to_the_sustainable_rate()
    {
        var contract = new AtmTrafficDescriptor(AtmServiceCategory.Vbr, PeakCellRate: 100_000, SustainableCellRate: 5_000, MaximumBurstSize: 64);
        var (a, b, log, vc, callee) = Call(contract);
        using (a)
        using (b)
        {
            // Three PDUs of 21 cells: the first 64 cells are a conforming burst, the rest exceed the SCR bucket.
            a.Client.Send(vc, s_kilobytePackets[..4]);
            Wait.Until(() => b.Client.ReceivedOn(callee).Count == 4, "the packets");
            var times = log.TimesOn(32);
            Assert.Equal(84, times.Length);
            for (int i = 1; i < 64; i++)
                Assert.InRange(times[i] - times[i - 1], 10_000 - 1, 10_000 + 2_832); // at the PCR (10 µs), give or take a cell slot
            Assert.True(times[64] - times[63] > 100_000, $"cell 65 exceeds MBS: it should wait for the SCR, left {times[64] - times[63]} ns after cell 64");
            b.Client.Close(callee);
            a.Client.Close(vc);
        }
    }

    [Fact]
    public void Paced_to_the_virtual_clock_cells_leave_only_as_time_passes_and_never_faster_than_the_pcr()
    {
        var clock = new VirtualDeviceClock();
        var paced = new AtmDeviceOptions { PaceToClock = true };
        var cable = new PairLink("uni");
        var log = new CellLog(cable.A);
        using var a = new AtmHost(log, "A", "4711", atm: paced, clock: clock);
        using var b = new AtmHost(cable.B, "B", "4712", atm: paced, clock: clock);
        VirtualConnection? vc = null;
        var caller = new Thread(() => vc = a.Client.Call(AtmCallParameters.ForCall(new Q2931CallManagerParameters
        {
            CalledParty = b.Address,
            Encapsulation = Rfc2684Encapsulation.VcMuxRouted,
            Forward = new AtmTrafficDescriptor(AtmServiceCategory.Cbr, 20_000),
        })).Vc);
        caller.Start();
        AdvanceUntil(clock, () => vc is not null && vc.State == VcState.Connected, "the call over the paced signalling");
        caller.Join();
        var callee = b.Client.LastIncomingVc!;
        a.Client.Send(vc!, s_kilobytePackets[..5]);
        Assert.True(log.TimesOn(32).Length <= 1, "more than the cell of the slot under way left before the clock moved");
        long start = clock.NowNanoseconds;
        for (int step = 0; step < 20 && b.Client.ReceivedOn(callee).Count < 5; step++)
        {
            clock.Advance(TimeSpan.FromMicroseconds(500));
            // At 20 000 cells/s at most one cell per 50 µs can have left by now.
            Assert.True(log.TimesOn(32).Length <= 1 + (clock.NowNanoseconds - start) / 50_000);
        }
        AdvanceUntil(clock, () => b.Client.ReceivedOn(callee).Count == 5, "the five packets");
        Assert.Equal(s_kilobytePackets[..5], b.Client.ReceivedOn(callee));
        Assert.All(log.TimesOn(32), t => Assert.True(t <= clock.NowNanoseconds, "a cell stamped later than the clock it left on"));
        b.Client.Close(callee);
        AdvanceUntil(clock, () => vc!.State == VcState.Created, "the release");
        a.Client.Close(vc!);
    }

    private static void AdvanceUntil(VirtualDeviceClock clock, Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out advancing the virtual clock for {what}");
            clock.Advance(TimeSpan.FromMicroseconds(20));
        }
    }

    [Theory]
    [InlineData(AtmPolicingAction.Tag)]
    [InlineData(AtmPolicingAction.Drop)]
    public void The_receiver_polices_an_unshaped_sender_that_exceeds_the_contract(AtmPolicingAction action)
    {
        var (a, b, _, vc, callee) = Call(new AtmTrafficDescriptor(AtmServiceCategory.Cbr, 10_000),
            atmA: new AtmDeviceOptions { Shaping = false }, atmB: new AtmDeviceOptions { Policing = action });
        using (a)
        using (b)
        {
            a.Client.Send(vc, s_kilobytePackets);
            Wait.Until(() => a.Client.Completed == s_kilobytePackets.Length, "the sends");
            if (action == AtmPolicingAction.Tag)
            {
                // Tagged cells pass: every packet arrives, most of its cells marked CLP=1.
                Wait.Until(() => b.Client.ReceivedOn(callee).Count == s_kilobytePackets.Length, "the packets");
                Assert.True(b.Device.Statistics.CellsTagged > s_kilobytePackets.Length * 15);
                Assert.Equal(0, b.Device.Statistics.CellsPolicedOut);
            }
            else
            {
                // At line rate only about one cell in 35 conforms to 10 000 cells/s: the rest are dropped, and with
                // them the PDUs they belonged to (their last cells are missing or the CRC fails), so nothing arrives whole.
                int cells = s_kilobytePackets.Length * Aal5.CellCount(1000);
                Wait.Until(() => b.Device.Statistics.CellsPolicedOut >= cells * 9 / 10, "policing to drop the excess");
                Assert.True(b.Device.Statistics.CellsPolicedOut < cells);
                Assert.Empty(b.Client.ReceivedOn(callee));
                Assert.Equal(0, b.Device.Statistics.CellsTagged);
            }
            b.Client.Close(callee);
            a.Client.Close(vc);
        }
    }

    /// <summary>A host with a permanent VC on VPI 0/VCI 40 (raw AAL5), into whose NIC cells are injected as if from the wire.</summary>
    private static (AtmHost Host, VirtualConnection Pvc, int Channel) PvcHost(VirtualDeviceClock? clock = null, AtmDeviceOptions? atm = null)
    {
        var host = new AtmHost(new LoopbackLink(), "H", "100", atm: atm, clock: clock);
        int channel = host.Device.ChannelOf(0, 40);
        var pvc = host.Miniport.OfferPermanentVc(AtmCallParameters.Sap(host.Address), ChannelBinding.Both(channel), 9180)!;
        return (host, pvc, channel);
    }

    private static byte[][] Cells(byte[] sdu, int vci = 40)
    {
        var pdu = new byte[Aal5.PduLength(sdu.Length)];
        Aal5.BuildPdu(sdu, pdu);
        var cells = new byte[pdu.Length / 48 * AtmCell.Length];
        int count = AtmCell.Segment(pdu, 0, vci, cells);
        return Enumerable.Range(0, count).Select(i => cells.AsSpan(i * AtmCell.Length, AtmCell.Length).ToArray()).ToArray();
    }

    private static void Inject(AtmHost host, byte[] cell) => host.Device.Nic.Receive(new LinkFrame(cell, 0));

    [Fact]
    public void A_single_bit_header_error_is_corrected_and_the_pdu_delivered_a_double_bit_error_is_discarded()
    {
        var (host, pvc, _) = PvcHost();
        using (host)
        {
            var sdu = AtmTestFrames.Payload(7, 100);
            var cells = Cells(sdu);
            cells[0][1] ^= 0x08; // one bit of the VCI: the HEC corrects it
            foreach (var cell in cells)
                Inject(host, cell);
            Wait.Until(() => host.Client.ReceivedOn(pvc).Count == 1, "the corrected PDU");
            Assert.Equal(sdu, host.Client.ReceivedOn(pvc)[0]);
            Assert.Equal(1, host.Device.Statistics.HecCorrected);

            var again = Cells(sdu);
            Inject(host, Cells([1])[0]); // an error-free cell returns the receiver to correction mode
            again[1][2] ^= 0x81; // two bits: discarded, so the PDU is one cell short and fails its check
            foreach (var cell in again)
                Inject(host, cell);
            var stats = host.Device.Statistics;
            Assert.Equal(1, stats.HecDiscarded);
            Assert.Equal(1, stats.LengthErrors + stats.CrcErrors);
            Assert.Equal(2, host.Client.ReceivedOn(pvc).Count); // the corrected one and the one-cell PDU of [1]
        }
    }

    [Fact]
    public void A_corrupted_payload_fails_the_crc_and_is_counted_not_delivered()
    {
        var (host, pvc, _) = PvcHost();
        using (host)
        {
            var cells = Cells(AtmTestFrames.Payload(8, 500));
            cells[3][20] ^= 0x40;
            foreach (var cell in cells)
                Inject(host, cell);
            Assert.Equal(1, host.Device.Statistics.CrcErrors);
            Assert.Empty(host.Client.ReceivedOn(pvc));
        }
    }

    [Fact]
    public void A_partial_pdu_older_than_the_reassembly_timeout_is_discarded_on_the_device_clock()
    {
        var clock = new VirtualDeviceClock();
        var (host, pvc, _) = PvcHost(clock, new AtmDeviceOptions { ReassemblyTimeout = TimeSpan.FromMilliseconds(5) });
        using (host)
        {
            var first = Cells(AtmTestFrames.Payload(9, 200));
            Inject(host, first[0]);
            Inject(host, first[1]);
            clock.Advance(TimeSpan.FromMilliseconds(6));
            var second = Cells(AtmTestFrames.Payload(10, 60));
            foreach (var cell in second)
                Inject(host, cell);
            Wait.Until(() => host.Client.ReceivedOn(pvc).Count == 1, "the second PDU");
            Assert.Equal(AtmTestFrames.Payload(10, 60), host.Client.ReceivedOn(pvc)[0]);
            Assert.Equal(1, host.Device.Statistics.ReassemblyTimeouts);
            Assert.Equal(0, host.Device.Statistics.CrcErrors);
        }
    }

    [Fact]
    public void Cells_on_a_vpi_vci_without_a_connection_and_unassigned_cells_are_counted_and_dropped()
    {
        var (host, pvc, _) = PvcHost();
        using (host)
        {
            foreach (var cell in Cells([1, 2, 3], vci: 41))
                Inject(host, cell);
            var unassigned = new byte[AtmCell.Length];
            new AtmCellHeader(0, 0).Write(unassigned);
            Inject(host, unassigned);
            Inject(host, new byte[10]);
            var stats = host.Device.Statistics;
            Assert.Equal((1L, 1L, 1L), (stats.CellsUnknownVc, stats.CellsUnassigned, stats.CellsMalformed));
            Assert.Empty(host.Client.ReceivedOn(pvc));
        }
    }

    [Fact]
    public void Frames_cross_the_atm_device_both_ways_without_allocating_per_frame()
    {
        var (a, b, _, vc, callee) = Call(AtmTrafficDescriptor.BestEffort);
        using (a)
        using (b)
        {
            a.Client.RecordFrames = b.Client.RecordFrames = false;
            var batch = s_kilobytePackets[..8];
            long sent = 0;
            void Loop()
            {
                for (int i = 0; i < 50; i++)
                {
                    a.Client.Send(vc, batch);
                    b.Client.Send(callee, batch);
                    sent += batch.Length;
                }
            }
            Loop(); // warm up: every pool, table and JIT path touched once
            long allocated = Allocations.Minimum(Loop);
            Assert.Equal(a.Client.Completed, b.Client.ReceivedCount);
            Assert.Equal(b.Client.Completed, a.Client.ReceivedCount);
            Assert.True(allocated < 1024, $"{allocated} bytes allocated for 800 frames through the SAR (cells {a.Device.Statistics.CellsTransmitted})");
            b.Client.Close(callee);
            a.Client.Close(vc);
        }
    }

    [Fact]
    public void Cells_lost_and_corrupted_on_the_wire_lose_their_frames_and_never_deliver_a_wrong_one()
    {
        var cable = new PairLink("uni");
        var faults = new FaultInjectorLink(cable.A, seed: 14) { DropProbability = 0.002, CorruptProbability = 0.01, CorruptionKeepsFcs = true };
        using var a = new AtmHost(faults, "A", "4711");
        using var b = new AtmHost(cable.B, "B", "4712");
        int channel = a.Device.ChannelOf(0, 50);
        var sender = a.Miniport.OfferPermanentVc(AtmCallParameters.Sap(a.Address), ChannelBinding.Both(channel), 9180)!;
        var receiver = b.Miniport.OfferPermanentVc(AtmCallParameters.Sap(b.Address), ChannelBinding.Both(channel), 9180)!;
        var frames = Enumerable.Range(0, 300).Select(i => AtmTestFrames.Payload(i, 40 + i * 53 % 3000)).ToArray();
        for (int i = 0; i < frames.Length; i += 30)
            a.Client.Send(sender, frames[i..(i + 30)]);
        Wait.Until(() => a.Client.Completed == frames.Length, "every send to complete");
        Assert.Equal(0, a.Client.Failed); // the NIC put every frame on the wire; what the wire did is the receiver's business
        var received = b.Client.ReceivedOn(receiver);
        int cursor = 0;
        foreach (var frame in received)
        {
            while (cursor < frames.Length && !frames[cursor].AsSpan().SequenceEqual(frame))
                cursor++;
            Assert.True(cursor < frames.Length, "a frame arrived that was never sent (or out of order)");
            cursor++;
        }
        var stats = b.Device.Statistics;
        Assert.InRange(received.Count, frames.Length / 2, frames.Length - 1);
        Assert.True(stats.CrcErrors + stats.LengthErrors + stats.Oversize > 0, "no PDU was discarded");
        Assert.True(stats.HecCorrected + stats.HecDiscarded > 0, "no header was hit");
        Assert.True(faults.Corrupted > 0 && faults.Dropped > 0);
        a.AssertClean();
        b.AssertClean();
    }
}
