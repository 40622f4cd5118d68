using CoNdis.NetBufferCore;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// Soak without faults, on every client/miniport pairing and device: four sender threads each open a call
/// (NdisClMakeCall through the call manager's signalling), send chains on it and close it at once with sends in
/// flight, again and again, while the device (on its own thread) receives and the client holds and returns receives
/// from a janitor thread. Nothing may be lost, doubled or leaked, and every send succeeds.
/// </summary>
public sealed class SoakTests
{
    private static readonly TimeSpan Duration = SoakSettings.Duration(2);

    public static TheoryData<string, string> Matrix => Pairings.OnEveryDevice();

    [Theory, MemberData(nameof(Matrix))]
    public void Calls_opened_and_closed_under_load_with_sends_in_flight_lose_double_and_leak_nothing(string pairing, string device)
    {
        using var rig = new SoakRig(pairing, device, new SoakHostOptions());
        var load = new SoakLoad(rig, VcChurn.Calls, Pairings.Seed(pairing, device)) { Wait = TimeSpan.FromSeconds(SoakSettings.WaitSeconds(Duration)) };
        load.Run(Duration);
        var summary = SoakVerdict.AssertNothingLost(rig, load, allowedFailures: []);
        SoakReport.Write(nameof(Calls_opened_and_closed_under_load_with_sends_in_flight_lose_double_and_leak_nothing), summary);
        Assert.True(load.VcsOpened >= SoakLoad.Senders, $"only {load.VcsOpened} calls made: {summary}");
        Assert.True(load.ClosesWithSendsInFlight > 0, $"no call was closed with sends in flight: {summary}");
        Assert.Equal(0, load.CallFailures);
        Assert.True(rig.A.Client.Ledger.CompletedWith(NdisStatus.Success) > 0, summary);
    }

    [Theory, MemberData(nameof(Matrix))]
    public void Permanent_vcs_closed_from_the_far_end_under_load_with_sends_in_flight_lose_double_and_leak_nothing(string pairing, string device)
    {
        using var rig = new SoakRig(pairing, device, new SoakHostOptions());
        var load = new SoakLoad(rig, VcChurn.PermanentVcs, 100 + Pairings.Seed(pairing, device)) { Wait = TimeSpan.FromSeconds(SoakSettings.WaitSeconds(Duration)) };
        load.Run(Duration);
        var summary = SoakVerdict.AssertNothingLost(rig, load, allowedFailures: []);
        SoakReport.Write(nameof(Permanent_vcs_closed_from_the_far_end_under_load_with_sends_in_flight_lose_double_and_leak_nothing), summary);
        Assert.True(load.ClosesWithSendsInFlight > 0, $"no PVC was closed with sends in flight: {summary}");
    }
}
