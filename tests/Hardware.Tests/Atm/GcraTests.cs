using CoNdis.Hardware.Atm;
using CoNdis.NetBufferCore.CoNdis;
using CsCheck;
using Xunit;

namespace CoNdis.Hardware.Tests.Atm;

/// <summary>The GCRA (ITU-T I.371 virtual scheduling), the dual-GCRA shaper and the policer, on picosecond time.</summary>
public sealed class GcraTests
{
    private static readonly long s_slot = AtmLine.CellSlotPicoseconds(AtmLine.Oc3PayloadBitsPerSecond);

    /// <summary>Departure times of <paramref name="cells"/> cells queued at 0 on an OC-3 line through <paramref name="shaper"/>.</summary>
    private static long[] Depart(AtmShaper shaper, int cells)
    {
        var times = new long[cells];
        long lineFree = 0;
        for (int i = 0; i < cells; i++)
        {
            long t = Math.Max(lineFree, shaper.EarliestDeparture);
            t = (t + s_slot - 1) / s_slot * s_slot; // cells leave on slot boundaries
            shaper.Sent(t);
            times[i] = t;
            lineFree = t + s_slot;
        }
        return times;
    }

    [Fact]
    public void Oc3_cell_slot_is_424_bits_at_149_76_mbit_s()
    {
        Assert.Equal(2_831_197, s_slot); // 424 / 149.76e6 s = 2.8311966 µs
    }

    [Fact]
    public void Gcra_takes_a_cell_no_earlier_than_tat_minus_the_limit_and_ignores_non_conforming_ones()
    {
        var gcra = new Gcra(1000, 300);
        Assert.True(gcra.Conforms(0));
        gcra.Accept(0);                 // TAT 1000
        Assert.False(gcra.Conforms(699));
        Assert.True(gcra.Conforms(700));
        gcra.Accept(700);               // TAT 2000
        Assert.Equal(1700, gcra.EarliestConforming);
    }

    [Fact]
    public void A_shaped_vc_never_exceeds_its_peak_cell_rate()
    {
        Gen.Select(Gen.Long[1_000, 300_000], Gen.Int[2, 400]).Sample((pcr, cells) =>
        {
            var times = Depart(new AtmShaper(new AtmTrafficDescriptor(AtmServiceCategory.Cbr, pcr)), cells);
            long interval = AtmTrafficDescriptor.Interval(pcr);
            for (int i = 1; i < times.Length; i++)
                Assert.True(times[i] - times[i - 1] >= interval, $"cells {i - 1} and {i} are {times[i] - times[i - 1]} ps apart, less than 1/PCR = {interval} ps");
        });
    }

    [Fact]
    public void A_burst_up_to_mbs_goes_at_the_peak_rate_and_the_rest_waits_for_the_sustainable_rate()
    {
        var contract = new AtmTrafficDescriptor(AtmServiceCategory.Vbr, PeakCellRate: 100_000, SustainableCellRate: 10_000, MaximumBurstSize: 32);
        var times = Depart(new AtmShaper(contract), 40);
        long tp = AtmTrafficDescriptor.Interval(100_000), ts = AtmTrafficDescriptor.Interval(10_000);
        // Conforming burst: the first MBS cells are exactly as early as the peak rate alone allows.
        var peakOnly = Depart(new AtmShaper(contract with { SustainableCellRate = 0 }), 40);
        Assert.Equal(peakOnly[..32], times[..32]);
        // Cell 33 and later conform to the SCR bucket only: they are delayed to 1/SCR apart.
        Assert.True(times[32] > peakOnly[32]);
        for (int i = 33; i < times.Length; i++)
            Assert.True(times[i] - times[i - 1] >= ts - s_slot, $"cell {i} follows after {times[i] - times[i - 1]} ps, less than 1/SCR");
        Assert.True(times[1] - times[0] >= tp);
    }

    [Fact]
    public void An_unshaped_vc_fills_consecutive_line_slots()
    {
        var times = Depart(new AtmShaper(AtmTrafficDescriptor.BestEffort), 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * s_slot), times);
    }

    [Fact]
    public void Policer_passes_cells_at_the_contract_and_tags_or_drops_the_excess()
    {
        var contract = new AtmTrafficDescriptor(AtmServiceCategory.Cbr, 100_000, CellDelayVariationTolerancePicoseconds: 1_000_000);
        long interval = AtmTrafficDescriptor.Interval(100_000);
        foreach (var action in new[] { AtmPolicingAction.Tag, AtmPolicingAction.Drop })
        {
            var policer = new AtmPolicer(contract, action);
            // At the contracted rate (with jitter within CDVT) every cell conforms.
            for (int i = 0; i < 50; i++)
                Assert.Equal(AtmPolicingVerdict.Conforming, policer.Police(i * interval + (i % 2 == 0 ? 500_000 : 0), clp: false));
            // At line rate the contract is exceeded: no more cells conform than the PCR and CDVT allow in that time.
            long start = 60 * interval;
            var verdicts = Enumerable.Range(0, 50).Select(i => policer.Police(start + i * s_slot, clp: false)).ToList();
            var punished = action == AtmPolicingAction.Tag ? AtmPolicingVerdict.Tagged : AtmPolicingVerdict.Dropped;
            long allowed = 1 + (49 * s_slot + 1_000_000) / interval;
            Assert.InRange(verdicts.Count(v => v == AtmPolicingVerdict.Conforming), allowed - 1, allowed);
            Assert.Equal(50 - verdicts.Count(v => v == AtmPolicingVerdict.Conforming), verdicts.Count(v => v == punished));
        }
    }

    [Fact]
    public void A_cell_already_clp1_that_does_not_conform_is_dropped_even_when_tagging()
    {
        var policer = new AtmPolicer(new AtmTrafficDescriptor(AtmServiceCategory.Cbr, 1000), AtmPolicingAction.Tag);
        Assert.Equal(AtmPolicingVerdict.Conforming, policer.Police(0, true));
        Assert.Equal(AtmPolicingVerdict.Dropped, policer.Police(1, true));
        Assert.Equal(AtmPolicingVerdict.Tagged, policer.Police(2, false));
    }

    [Fact]
    public void A_flowspec_maps_to_the_contract_ndis_atm_call_managers_derive_and_back()
    {
        var flow = new FlowSpec(TokenRate: 48_000, TokenBucketSize: 48 * 32, PeakBandwidth: 480_000, FlowSpec.NotSpecified, FlowSpec.NotSpecified, ServiceType.ControlledLoad, 9180, FlowSpec.NotSpecified);
        var contract = AtmTrafficDescriptor.FromFlowSpec(flow);
        Assert.Equal(new AtmTrafficDescriptor(AtmServiceCategory.Vbr, 10_000, 1_000, 32), contract);
        var back = contract.ToFlowSpec(9180);
        Assert.Equal((flow.TokenRate, flow.TokenBucketSize, flow.PeakBandwidth, flow.ServiceType), (back.TokenRate, back.TokenBucketSize, back.PeakBandwidth, back.ServiceType));
        Assert.Equal(AtmServiceCategory.Ubr, AtmTrafficDescriptor.FromFlowSpec(FlowSpec.BestEffort(9180)).ServiceCategory);
    }
}
