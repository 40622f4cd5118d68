using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Tests.Miniports;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using Xunit;

namespace CoNdis.Hardware.Tests.Atm;

/// <summary>
/// UNI 3.1 calls between two ATM hosts on a pair link, native clients over the native miniport with its integrated
/// call manager or with the stand-alone one: the callee's client gets the parameters the caller asked for, data
/// crosses both ways byte for byte on the allocated VPI/VCI, a release reaches the other side as an incoming close,
/// a call to an unknown number is refused with cause 1, and every pool comes home.
/// </summary>
public sealed class AtmCallTests
{
    private static List<byte[]> Packets(int seed, int count) => Enumerable.Range(0, count)
        .Select(i => AtmTestFrames.Udp(1, 2, (ushort)(5000 + i), 7, AtmTestFrames.Payload(seed * 100 + i, 1 + (i * 331 % 4000)), (ushort)i))
        .ToList();

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void A_calls_b_traffic_crosses_both_ways_b_releases_and_a_hears_the_close(bool integratedA, bool integratedB)
    {
        var cable = new PairLink("uni");
        using var a = new AtmHost(cable.A, "A", "4711", integratedA);
        using var b = new AtmHost(cable.B, "B", "4712", integratedB);
        var request = new Q2931CallManagerParameters
        {
            CalledParty = b.Address,
            CallingParty = a.Address,
            Encapsulation = Rfc2684Encapsulation.LlcSnapRouted,
            Forward = new AtmTrafficDescriptor(AtmServiceCategory.Ubr, 100_000),
            ForwardMaxSdu = 9180,
            BackwardMaxSdu = 4470,
        };
        var (vc, status, _) = a.Client.Call(AtmCallParameters.ForCall(request));
        Assert.Equal(NdisStatus.Success, status);
        Assert.Equal(VcState.Connected, vc.State);
        var incoming = b.Client.LastIncomingVc ?? throw new InvalidOperationException("B saw no incoming call");
        Wait.Until(() => incoming.State == VcState.Connected, "B's call to connect");

        // B's client got the call as A asked for it, on the VPI/VCI B allocated.
        Assert.True(AtmCallParameters.TryGetCallManagerParameters(b.Client.LastIncomingParameters, out var seen));
        Assert.Equal(b.Address, seen!.CalledParty);
        Assert.Equal(a.Address, seen.CallingParty);
        Assert.Equal(Rfc2684Encapsulation.LlcSnapRouted, seen.Encapsulation);
        Assert.Equal(100_000, seen.Forward.PeakCellRate);
        Assert.Equal((9180, 4470), (seen.ForwardMaxSdu, seen.BackwardMaxSdu));
        Assert.Equal(4470u, b.Client.LastIncomingParameters!.CallMgrParameters.Transmit.MaxSduSize);
        Assert.True(AtmCallParameters.TryGetMediaParameters(b.Client.LastIncomingParameters, out var media));
        Assert.Equal((0, 32), (media!.Vpi, media.Vci));
        Assert.True(a.Device.IsOpen(0, 32) && b.Device.IsOpen(0, 32));

        var there = Packets(1, 20);
        var back = Packets(2, 9).Select(p => p[..Math.Min(p.Length, 4470)]).ToList();
        a.Client.Send(vc, there);
        b.Client.Send(incoming, back);
        Wait.Until(() => b.Client.ReceivedOn(incoming).Count == there.Count && a.Client.ReceivedOn(vc).Count == back.Count, "traffic both ways");
        Assert.Equal(there, b.Client.ReceivedOn(incoming));
        Assert.Equal(back, a.Client.ReceivedOn(vc));
        Assert.Equal(0, a.Client.Failed + b.Client.Failed);

        b.Client.Close(incoming);
        Wait.Until(() => a.Client.HasEvent("IncomingCloseCall"), "A to hear B's release");
        Wait.Until(() => vc.State == VcState.Created && a.ActiveCalls == 0 && b.ActiveCalls == 0, "both call managers to forget the call");
        a.Client.Close(vc);
        Assert.False(a.Device.IsOpen(0, 32) || b.Device.IsOpen(0, 32));
        Assert.Equal(0, a.Device.Statistics.CrcErrors + b.Device.Statistics.CrcErrors);
        a.AssertClean();
        b.AssertClean();
    }

    [Fact]
    public void A_call_to_an_unknown_number_is_refused_with_cause_1_the_caller_sees()
    {
        var cable = new PairLink("uni");
        using var a = new AtmHost(cable.A, "A", "4711");
        using var b = new AtmHost(cable.B, "B", "4712");
        var (vc, status, parameters) = a.Client.Call(AtmCallParameters.ForCall(AtmAddress.E164("9999")));
        Assert.Equal(NdisStatus.InvalidAddress, status);
        Assert.True(AtmCallParameters.TryGetCallManagerParameters(parameters, out var refused));
        Assert.Equal(Q2931Causes.UnallocatedNumber, refused!.Cause);
        Assert.Null(b.Client.LastIncomingVc);
        Assert.Equal(0, a.ActiveCalls + b.ActiveCalls);
        Ndis.CoDeleteVc(vc);
        a.AssertClean();
        b.AssertClean();
    }
}
