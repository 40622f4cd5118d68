using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.LegacyPacket.Samples;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Memory;
using CoNdis.TestDrivers;
using CoNdis.TestDrivers.Legacy;

namespace CoNdis.LegacyPacket.Tests.Samples;

/// <summary>The ported 5.x client against the in-test 5.x miniport, through the direct legacy binding.</summary>
public sealed class LegacyCoClientSampleTests
{
    private readonly NdisHandle _ndis = Strict.Handle("sample");
    private readonly LegacyTestMiniport _miniport;
    private readonly LegacyCoClientSample _client;
    private readonly LegacyCoBinding _binding;

    public LegacyCoClientSampleTests()
    {
        // The ported client's peer: sends held until the test fires the "transmit done" interrupt (CompleteQueued),
        // each successful frame looped back as a receive, 8 receive packets.
        _miniport = Loopback(_ndis);
        _client = new LegacyCoClientSample(_ndis);
        _binding = new LegacyCoBinding(_ndis, _miniport, "adapter", _client, "client binding");
        Assert.Equal(NdisStatus.Success, _client.OpenVc(_binding));
        Assert.Equal(NdisStatus.Success, Ndis5.CmActivateVc(_client.Vc!, null));
    }

    private static NdisMemory Frame(int length, byte first) => Strict.Pattern(length, first);

    private static LegacyTestMiniport Loopback(NdisHandle ndis) =>
        new(ndis, receivePackets: 8) { SendCompletion = SendCompletion.Held, Loopback = true, RecordSentFrames = false };

    [Fact]
    public void Sample_send_is_completed_once_through_ProtocolCoSendComplete_and_frees_everything()
    {
        _miniport.Loopback = false;
        Assert.Equal(NdisStatus.Pending, _client.Send(Frame(100, 1)));
        Assert.Equal(1, _client.Vc!.OutstandingSends);
        Assert.Equal(0, _client.SendCompletions);
        _miniport.CompleteQueued();
        Assert.Equal(1, _client.SendCompletions);
        Assert.Equal(0, _client.FailedSends);
        Assert.Equal(0, _client.Vc.OutstandingSends);
        Close();
    }

    [Fact]
    public void Sample_receive_is_held_with_one_reference_and_returned_once_at_receive_complete()
    {
        _client.Send(Frame(60, 10));
        _client.Send(Frame(70, 20));
        _miniport.CompleteQueued();
        Assert.Equal(2, _client.HeldReceives);
        Assert.Equal(2, _miniport.ReturnedReceives);
        Assert.Equal(0, _client.Vc!.OutstandingReceives);
        Assert.Equal(2, _client.ReceivedFrames.Count);
        Assert.Equal(Frame(60, 10).Span.ToArray(), _client.ReceivedFrames[0]);
        Assert.Equal(Frame(70, 20).Span.ToArray(), _client.ReceivedFrames[1]);
        Close();
    }

    [Fact]
    public void Sample_receive_with_RESOURCES_is_copied_returns_zero_and_never_reaches_MiniportReturnPacket()
    {
        _miniport.LowWater = int.MaxValue;
        _client.Send(Frame(80, 30));
        _miniport.CompleteQueued();
        Assert.Equal(1, _client.CopiedReceives);
        Assert.Equal(0, _client.HeldReceives);
        Assert.Equal(1, _miniport.ReclaimedAtIndicationReturn);
        Assert.Equal(0, _miniport.ReturnedReceives);
        Assert.Equal(Frame(80, 30).Span.ToArray(), Assert.Single(_client.ReceivedFrames));
        Close();
    }

    [Fact]
    public void Sample_mixes_normal_and_RESOURCES_receives_as_the_miniport_runs_low()
    {
        // 8 receive packets, RESOURCES once 6 or fewer are free: the three frames of one "transmit done" come back as
        // one array whose first packet leaves 7 free (normal) and whose second and third leave 6 and 5 (RESOURCES).
        _miniport.LowWater = 6;
        _client.Send(Frame(10, 1));
        _client.Send(Frame(10, 2));
        _client.Send(Frame(10, 3));
        Assert.Equal(3, _miniport.CompleteQueued());
        Assert.Equal(3, _client.HeldReceives + _client.CopiedReceives); // every looped-back frame indicated once
        Assert.Equal(1, _client.HeldReceives);
        Assert.Equal(2, _client.CopiedReceives);
        Assert.Equal(2, _miniport.ReclaimedAtIndicationReturn);
        Assert.Equal(1, _miniport.ReturnedReceives);
        // The copies are delivered inside ProtocolCoReceivePacket, the held packet at ProtocolReceiveComplete.
        Assert.Equal([Frame(10, 2).Span.ToArray(), Frame(10, 3).Span.ToArray(), Frame(10, 1).Span.ToArray()], _client.ReceivedFrames);
        Assert.Equal(0u, _miniport.ReceivePacketsInUse);
        Close();
    }

    [Fact]
    public void Sample_send_failure_is_reported_to_the_client_and_still_frees_the_packet()
    {
        _client.Send(Frame(10, 1));
        _miniport.CompleteQueued(NdisStatus.Failure);
        Assert.Equal(1, _client.FailedSends);
        Assert.Empty(_client.ReceivedFrames);
        Close();
    }

    [Fact]
    public void Sample_status_indication_reaches_ProtocolCoStatus()
    {
        Ndis5.MCoIndicateStatus(_binding, _client.Vc, NdisStatus.MediaDisconnected, null, 0);
        Assert.Equal(NdisStatus.MediaDisconnected, _client.LastStatus);
        Close();
    }

    [Fact]
    public void Sample_send_on_a_deactivated_VC_completes_with_CLOSING_and_is_a_finding()
    {
        var handle = Strict.Lenient("sample-lenient");
        var miniport = Loopback(handle);
        var client = new LegacyCoClientSample(handle);
        var binding = new LegacyCoBinding(handle, miniport, null, client, null);
        client.OpenVc(binding);
        Ndis5.CmActivateVc(client.Vc!, null);
        Assert.Equal(NdisStatus.Success, Ndis5.CmDeactivateVc(client.Vc!));
        client.Send(Frame(10, 1));
        Assert.Equal(1, client.FailedSends);
        Assert.Equal(0, miniport.QueuedSends); // never reached the miniport
        Assert.Equal(1, handle.Verifier.CountOf(NetBufferCore.Verifier.VerifierRule.SendAfterClose));
    }

    private void Close()
    {
        Assert.Equal(0, _client.HeldNow);
        Assert.Equal(NdisStatus.Success, Ndis5.CmDeactivateVc(_client.Vc!));
        Assert.Equal(NdisStatus.Success, Ndis5.CoDeleteVc(_client.Vc!));
        _client.Close();
        _miniport.Halt();
        Assert.Equal(0, _ndis.Verifier.FindingCount);
    }
}
