using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.TestDrivers;
using CoNdis.TestDrivers.Device;
using CoNdis.TestDrivers.Translated;

namespace CoNdis.Translation.Tests;

/// <summary>
/// What the conformance suite's device-backed miniport role (<see cref="DeviceConformanceMiniport"/>) claims about the
/// reference miniports, checked on the device itself: held sends really wait in the miniport's send queue behind a
/// paused link and a full ring (so the suite's held-send tests test the miniport, not the rig), and frames for a
/// deactivated VC are discarded and counted, never indicated (the reason the suite's test of the runtime's refusal of
/// such indications is skipped on the device). Names carry the pairing and the device.
/// </summary>
public sealed class DeviceConformanceRoleTests
{
    public static TheoryData<string, string> Targets
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var device in DeviceConformanceDrivers.Devices)
            {
                foreach (var pairing in Pairing.All)
                    data.Add(pairing.ToString(), device);
            }
            return data;
        }
    }

    private static ConformanceRig Rig(string pairing, string device) =>
        new(Pairing.Parse(pairing), device, VerifierMode.Strict, DeviceConformanceDrivers.CreateMiniport, TranslatedDrivers.CreateClient);

    private static byte[][] Frames(int seed, int count) => Enumerable.Range(0, count).Select(i => TestFrames.Make(seed * 100 + i, 80 + i * 13)).ToArray();

    [Theory, MemberData(nameof(Targets))]
    public void Held_sends_wait_in_the_miniports_send_queue_behind_a_paused_link_and_a_full_transmit_ring(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
        var role = (DeviceConformanceMiniport)rig.Miniport;
        rig.Miniport.SendCompletion = SendCompletion.Held;
        var vc = rig.MakeCall();
        var frames = Frames(1, 3);
        rig.Client.Send(vc, [[frames[0]], [frames[1]], [frames[2]]]);
        var ring = role.Nic.TransmitRing;
        Assert.Equal(ring.Size, (int)(ring.Tail - ring.Head)); // every descriptor is posted and none transmitted: the device holds the ring
        Assert.True(role.Wire.PausesAnswered > 0, "the link partner answered with PAUSE");
        Assert.Equal(3, rig.Miniport.QueuedSends); // one NBL (or packet) per frame, all in the miniport's queue
        Assert.Empty(rig.Client.Completed);
        Assert.Empty(rig.Miniport.SentFrames);

        Assert.Equal(3, rig.Miniport.CompleteQueued(NdisStatus.Success));
        Assert.Equal(3, rig.Client.Completed.Count);
        Assert.All(rig.Client.Completed, c => Assert.Equal(NdisStatus.Success, c.Status));
        Assert.Equal(frames, rig.Miniport.SentFrames); // transmitted in order once the link let them go
        Assert.Equal(0, rig.Miniport.QueuedSends);
        rig.CloseCall(vc);
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(Targets))]
    public void Frames_for_a_deactivated_vc_are_discarded_and_counted_in_oid_gen_rcv_discards_never_indicated(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
        var vc = rig.MakeCall();
        rig.CloseCall(vc);
        long before = Discards(rig);
        rig.Miniport.Indicate(vc, Frames(2, 3), resources: false);
        Assert.Equal(before + 3, Discards(rig));
        Assert.Empty(rig.Client.Received);
        Assert.Equal(0, rig.Miniport.ReturnedReceives);
        Assert.Equal(0, vc.OutstandingReceives);
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        rig.AssertClean(); // no finding: the miniport never indicated on the inactive VC
    }

    private static long Discards(ConformanceRig rig)
    {
        var request = new NdisOidRequest(NdisRequestType.QueryInformation, NicOid.GenRcvDiscards, 8);
        Assert.Equal(NdisStatus.Success, Ndis.CoOidRequest(rig.Client.Binding, null, request));
        return (long)request.ReadUInt64();
    }
}
