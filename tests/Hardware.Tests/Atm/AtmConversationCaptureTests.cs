using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Capture;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Nic;
using CoNdis.Hardware.Tests.Capture;
using CoNdis.Hardware.Tests.Miniports;
using CoNdis.NetBufferCore;
using Xunit;

namespace CoNdis.Hardware.Tests.Atm;

/// <summary>
/// A two-host conversation recorded at host A's port by <see cref="AtmCaptureLink"/> and judged by tshark: the
/// signalling decodes as Q.2931 over SSCOP (SETUP with the called party number, CALL PROCEEDING with the VPI/VCI,
/// CONNECT, CONNECT ACKNOWLEDGE, RELEASE, RELEASE COMPLETE), the data as LLC/SNAP, IP and UDP on that VPI/VCI; an
/// ERF AAL5 recording of the same traffic has every AAL5 CRC-32 correct.
/// </summary>
public sealed class AtmConversationCaptureTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("condis-atm-conversation-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Runs a call from A to B with UDP both ways, B releasing, with <paramref name="tap"/> on A's port.</summary>
    private static void Converse(Func<ILinkPort, DeviceClock, ILinkPort> tap, VirtualDeviceClock clock, int packets)
    {
        var cable = new PairLink("uni");
        var nic = DeviceHost.Inline;
        using var a = new AtmHost(tap(cable.A, clock), "A", "4711", nic: nic, clock: clock);
        using var b = new AtmHost(cable.B, "B", "4712", nic: nic, clock: clock);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var (vc, status, _) = a.Client.Call(AtmCallParameters.ForCall(new Q2931CallManagerParameters
        {
            CalledParty = b.Address,
            CallingParty = a.Address,
            Encapsulation = Rfc2684Encapsulation.LlcSnapRouted,
        }));
        Assert.Equal(NdisStatus.Success, status);
        var incoming = b.Client.LastIncomingVc!;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        for (int i = 0; i < packets; i++)
        {
            a.Client.Send(vc, [AtmTestFrames.Udp(1, 2, 40000, 40001, AtmTestFrames.Payload(i, 60 + i * 111), (ushort)(100 + i))]);
            b.Client.Send(incoming, [AtmTestFrames.Udp(2, 1, 40001, 40000, AtmTestFrames.Payload(1000 + i, 30 + i * 7), (ushort)(200 + i))]);
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        Wait.Until(() => b.Client.ReceivedOn(incoming).Count == packets && a.Client.ReceivedOn(vc).Count == packets, "the UDP exchange");
        b.Client.Close(incoming);
        Wait.Until(() => vc.State == NetBufferCore.CoNdis.VcState.Created && a.ActiveCalls == 0 && b.ActiveCalls == 0, "the release");
        a.Client.Close(vc);
        a.AssertClean();
        b.AssertClean();
    }

    [Fact]
    public void A_recorded_two_host_conversation_decodes_as_q2931_signalling_and_udp_data_on_the_allocated_vc()
    {
        var path = Path.Combine(_directory, "conversation.pcap");
        var clock = new VirtualDeviceClock();
        using (var writer = new SunAtmWriter(File.Create(path)))
            Converse((port, c) => new AtmCaptureLink(port, writer, c, "A tap"), clock, packets: 4);

        var (exit, stdout, stderr) = ExternalTool.Run("tshark", "-r", path, "-T", "fields", "-E", "separator=|",
            "-e", "atm.vpi", "-e", "atm.vci", "-e", "atm.channel", "-e", "sscop.type", "-e", "q2931.message_type", "-e", "q2931.number.string",
            "-e", "q2931.conn_id.vci", "-e", "q2931.cause.value", "-e", "ip.src", "-e", "udp.srcport", "-e", "udp.dstport");
        Assert.True(exit == 0, stderr);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split('|')).ToList();
        var q2931 = rows.Where(r => r[4].Length > 0).Select(r => (Vci: r[1], Direction: r[2], Type: Convert.ToInt32(r[4], 16), Number: r[5], ConnVci: r[6], Cause: r[7])).ToList();
        // SETUP (0x05) out with the called party number, CALL PROCEEDING (0x02) in naming VCI 32, CONNECT (0x07) in,
        // CONNECT ACKNOWLEDGE (0x0F) out, RELEASE (0x4D) in from B, RELEASE COMPLETE (0x5A) out.
        Assert.Equal([0x05, 0x02, 0x07, 0x0F, 0x4D, 0x5A], q2931.Select(m => m.Type));
        Assert.All(q2931, m => Assert.Equal("5", m.Vci));
        Assert.Equal("4712", q2931[0].Number.Split(',')[0]);
        Assert.Contains("4711", q2931[0].Number, StringComparison.Ordinal);
        Assert.Equal("32", q2931[1].ConnVci);
        Assert.Equal(16, Convert.ToInt32(q2931[4].Cause, 16)); // normal call clearing
        Assert.Equal(["0", "1", "1", "0", "1", "0"], q2931.Select(m => m.Direction));
        // The SSCOP link came up first: BGN out (or in) and BGAK.
        Assert.Contains(rows, r => r[3] == "0x01");
        Assert.Contains(rows, r => r[3] == "0x02");
        var udp = rows.Where(r => r[9].Length > 0).ToList();
        Assert.Equal(8, udp.Count);
        Assert.All(udp, r => Assert.Equal(("0", "32"), (r[0], r[1])));
        Assert.Equal(4, udp.Count(r => r[8] == "10.0.0.1" && r[9] == "40000" && r[10] == "40001"));
        Assert.Equal(4, udp.Count(r => r[8] == "10.0.0.2" && r[9] == "40001" && r[10] == "40000"));
    }

    [Fact]
    public void An_erf_aal5_recording_of_the_device_traffic_has_every_aal5_crc_correct()
    {
        var path = Path.Combine(_directory, "conversation.erf.pcap");
        var clock = new VirtualDeviceClock();
        ErfWriter writer;
        AtmCaptureLink? tap = null;
        using (writer = new ErfWriter(File.Create(path)))
            Converse((port, c) => tap = new AtmCaptureLink(port, writer, cells: false, c, "A tap"), clock, packets: 10);
        var (exit, stdout, stderr) = ExternalTool.Run("tshark", "-r", path, "-V");
        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n');
        int correct = lines.Count(l => l.Contains("AAL5 CRC", StringComparison.Ordinal) && l.Contains("(correct)", StringComparison.Ordinal));
        Assert.Equal(tap!.Recorded, correct);
        Assert.True(correct >= 20 + 8, $"only {correct} AAL5 records");
        Assert.DoesNotContain(lines, l => l.Contains("(incorrect)", StringComparison.Ordinal));
        var (_, udp, _) = ExternalTool.Run("tshark", "-r", path, "-Y", "udp", "-T", "fields", "-e", "atm.vci");
        Assert.Equal(Enumerable.Repeat("32", 20), udp.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
