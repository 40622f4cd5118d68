using CoNdis.NetBufferCore;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// Soak with faults, on every pairing and device: the same four senders (on PVCs opened and closed from the far end
/// with sends in flight, since a lost SETUP has no timer to end the make-call), while <see cref="FaultSchedule"/>
/// drops, corrupts, delays and reorders frames, takes the link down and up, hangs the NIC (the watchdog resets it) and
/// resets it, at random points from a fixed seed. Every send completes exactly once with SUCCESS or the status of a
/// fault; every frame that left with SUCCESS arrived intact or is counted by what lost it; traffic flows after every
/// fault; pools home, verifier silent.
/// </summary>
public sealed class FaultSoakTests
{
    private static readonly TimeSpan Duration = SoakSettings.Duration(2.5);

    public static TheoryData<string, string> Matrix => Pairings.OnEveryDevice();

    [Theory, MemberData(nameof(Matrix))]
    public void Faults_at_random_points_under_load_lose_nothing_uncounted_and_traffic_flows_again_after_each(string pairing, string device)
    {
        int seed = 700 + Pairings.Seed(pairing, device);
        var options = new SoakHostOptions { Watchdog = TimeSpan.FromMilliseconds(10) };
        using var rig = new SoakRig(pairing, device, options, faultSeed: seed);
        var load = new SoakLoad(rig, VcChurn.PermanentVcs, seed) { Wait = TimeSpan.FromSeconds(SoakSettings.WaitSeconds(Duration)) };
        var schedule = new FaultSchedule(rig, load, seed);
        load.Run(Duration, schedule.Run);
        var summary = SoakVerdict.AssertNothingLost(rig, load, allowedFailures: [NdisStatus.MediaDisconnected, NdisStatus.ResetInProgress]);
        var fired = string.Join(", ", Enum.GetValues<FaultKind>().Select(k =>
            $"{k} {schedule.Fired.GetValueOrDefault(k)}x (recovered in ≤ {schedule.WorstRecovery.GetValueOrDefault(k).TotalMilliseconds:F0} ms)"));
        SoakReport.Write(nameof(Faults_at_random_points_under_load_lose_nothing_uncounted_and_traffic_flows_again_after_each), $"{summary}; faults: {fired}");
        Assert.True(schedule.Recoveries >= FaultSchedule.Kinds.Length, $"only {schedule.Recoveries} faults fired: {fired}");
        Assert.All(FaultSchedule.Kinds, k => Assert.True(schedule.Fired.GetValueOrDefault(k) > 0, $"{k} never fired: {fired}"));
        Assert.True(load.ClosesWithSendsInFlight > 0, summary);
    }
}
