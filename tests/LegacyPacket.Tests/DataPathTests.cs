using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.TestDrivers.Legacy;

namespace CoNdis.LegacyPacket.Tests;

/// <summary>The CoNDIS 5 data-path rules of the direct legacy binding, with scripted drivers.</summary>
public sealed class DataPathTests
{
    private readonly NdisHandle _ndis = Strict.Handle("datapath");
    private readonly LegacyScriptedClient _client = new();
    private readonly LegacyScriptedMiniport _miniport = new();
    private readonly LegacyCoBinding _binding;
    private readonly NdisPacketPool _pool;

    public DataPathTests()
    {
        _binding = new LegacyCoBinding(_ndis, _miniport, "adapter", _client, "binding");
        _pool = Strict.PacketPool(_ndis, 16);
    }

    private LegacyCoVc ActiveVc()
    {
        Assert.Equal(NdisStatus.Success, Ndis5.CoCreateVc(_binding, null, "client-vc", out var vc));
        Assert.Equal(NdisStatus.Success, Ndis5.CmActivateVc(vc!, null));
        Assert.Equal(LegacyVcState.Active, vc!.State);
        return vc;
    }

    private NdisPacket[] Packets(int count) => [.. Enumerable.Range(0, count).Select(_ => Strict.Packet(_pool))];

    [Fact]
    public void CoSendPackets_hands_the_array_to_MiniportCoSendPackets_in_order()
    {
        var vc = ActiveVc();
        var packets = Packets(3);
        Ndis5.CoSendPackets(vc, packets, 3);
        Assert.Equal(packets, _miniport.Sent);
        Assert.Equal(3, vc.OutstandingSends);
        Assert.Empty(_client.Completions);
    }

    [Fact]
    public void MCoSendComplete_reaches_ProtocolCoSendComplete_once_per_packet_in_completion_order()
    {
        var vc = ActiveVc();
        var packets = Packets(2);
        Ndis5.CoSendPackets(vc, packets, 2);
        Ndis5.MCoSendComplete(NdisStatus.Failure, vc, packets[1]);
        Ndis5.MCoSendComplete(NdisStatus.Success, vc, packets[0]);
        Assert.Equal([(NdisStatus.Failure, (object?)"client-vc", packets[1]), (NdisStatus.Success, "client-vc", packets[0])], _client.Completions);
        Assert.Equal(0, vc.OutstandingSends);
    }

    [Fact]
    public void MCoSendComplete_twice_is_a_double_completion_finding()
    {
        var vc = ActiveVc();
        var packets = Packets(1);
        Ndis5.CoSendPackets(vc, packets, 1);
        Ndis5.MCoSendComplete(NdisStatus.Success, vc, packets[0]);
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.MCoSendComplete(NdisStatus.Success, vc, packets[0]));
        Assert.Equal(VerifierRule.DoubleCompletion, error.Rule);
        Assert.Single(_client.Completions);
    }

    [Fact]
    public void MCoSendComplete_of_a_packet_never_sent_is_a_finding()
    {
        var vc = ActiveVc();
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.MCoSendComplete(NdisStatus.Success, vc, Strict.Packet(_pool)));
        Assert.Equal(VerifierRule.CompletionOfUnsentPacket, error.Rule);
    }

    [Fact]
    public void MCoSendComplete_with_PENDING_is_an_argument_error()
    {
        var vc = ActiveVc();
        var packets = Packets(1);
        Ndis5.CoSendPackets(vc, packets, 1);
        Assert.Throws<ArgumentException>(() => Ndis5.MCoSendComplete(NdisStatus.Pending, vc, packets[0]));
    }

    [Fact]
    public void CoSendPackets_on_a_VC_never_activated_completes_each_with_VC_NOT_ACTIVATED_and_reports_it()
    {
        Ndis5.CoCreateVc(_binding, null, "v", out var vc);
        var packets = Packets(2);
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.CoSendPackets(vc!, packets, 2));
        Assert.Equal(VerifierRule.SendOnUnconnectedVc, error.Rule);
        Assert.Empty(_miniport.Sent);
        Assert.All(_client.Completions, c => Assert.Equal(NdisStatus.VcNotActivated, c.Status));
        Assert.Equal(2, _client.Completions.Count);
    }

    [Fact]
    public void CoSendPackets_after_deactivation_completes_with_CLOSING_and_reports_send_after_close()
    {
        var vc = ActiveVc();
        Ndis5.CmDeactivateVc(vc);
        var packets = Packets(1);
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.CoSendPackets(vc, packets, 1));
        Assert.Equal(VerifierRule.SendAfterClose, error.Rule);
        Assert.Equal(NdisStatus.Closing, Assert.Single(_client.Completions).Status);
    }

    [Fact]
    public void Pending_activation_and_deactivation_finish_with_the_complete_calls()
    {
        _miniport.ActivateResult = NdisStatus.Pending;
        _miniport.DeactivateResult = NdisStatus.Pending;
        Ndis5.CoCreateVc(_binding, null, "v", out var vc);
        Assert.Equal(NdisStatus.Pending, Ndis5.CmActivateVc(vc!, null));
        Assert.Equal(LegacyVcState.Activating, vc!.State);
        Ndis5.MCoActivateVcComplete(NdisStatus.Success, vc, null);
        Assert.Equal(LegacyVcState.Active, vc.State);
        Assert.Equal(NdisStatus.Pending, Ndis5.CmDeactivateVc(vc));
        Ndis5.MCoDeactivateVcComplete(NdisStatus.Success, vc);
        Assert.Equal(LegacyVcState.Deactivated, vc.State);
        Assert.Equal(NdisStatus.Success, Ndis5.CoDeleteVc(vc));
        Assert.Equal(LegacyVcState.Deleted, vc.State);
    }

    [Fact]
    public void CoDeleteVc_of_an_active_VC_is_not_accepted()
    {
        var vc = ActiveVc();
        Assert.Equal(NdisStatus.NotAccepted, Ndis5.CoDeleteVc(vc));
        Assert.Equal(0, _miniport.Deleted);
    }

    [Fact]
    public void CoDeleteVc_with_sends_outstanding_is_a_leak_finding()
    {
        var vc = ActiveVc();
        Ndis5.CoSendPackets(vc, Packets(1), 1);
        Ndis5.CmDeactivateVc(vc);
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.CoDeleteVc(vc));
        Assert.Equal(VerifierRule.LeakAtVcDelete, error.Rule);
    }

    [Fact]
    public void Indication_with_count_zero_goes_back_to_MiniportReturnPacket_at_once()
    {
        var vc = ActiveVc();
        var packets = Packets(1);
        Ndis5.MCoIndicateReceivePacket(vc, packets, 1);
        Assert.Same(packets[0], Assert.Single(_miniport.Returned));
        Assert.Equal(0, vc.OutstandingReceives);
    }

    [Fact]
    public void Indication_with_count_two_returns_to_the_miniport_after_the_second_ReturnPackets_only()
    {
        var vc = ActiveVc();
        _client.OnReceive = _ => 2;
        var packets = Packets(1);
        Ndis5.MCoIndicateReceivePacket(vc, packets, 1);
        Assert.Empty(_miniport.Returned);
        Assert.Equal(1, vc.OutstandingReceives);
        Ndis5.ReturnPackets(packets, 1);
        Assert.Empty(_miniport.Returned);
        Ndis5.ReturnPackets(packets, 1);
        Assert.Same(packets[0], Assert.Single(_miniport.Returned));
        Assert.Equal(0, vc.OutstandingReceives);
    }

    [Fact]
    public void ReturnPackets_more_often_than_promised_is_a_finding_and_the_miniport_gets_the_packet_once()
    {
        var vc = ActiveVc();
        _client.OnReceive = _ => 1;
        var packets = Packets(1);
        Ndis5.MCoIndicateReceivePacket(vc, packets, 1);
        Ndis5.ReturnPackets(packets, 1);
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.ReturnPackets(packets, 1));
        Assert.Equal(VerifierRule.ReturnOfUnindicatedPacket, error.Rule);
        Assert.Single(_miniport.Returned);
    }

    [Fact]
    public void ReturnPackets_inside_ProtocolCoReceivePacket_does_not_return_the_packet_early()
    {
        var vc = ActiveVc();
        var packets = Packets(1);
        _client.OnReceive = p =>
        {
            Ndis5.ReturnPackets([p], 1); // another thread finished with it before the handler returned
            Assert.Empty(_miniport.Returned);
            return 2;
        };
        Ndis5.MCoIndicateReceivePacket(vc, packets, 1);
        Assert.Empty(_miniport.Returned);
        Ndis5.ReturnPackets(packets, 1);
        Assert.Single(_miniport.Returned);
    }

    [Fact]
    public void RESOURCES_packet_and_every_later_one_are_reclaimed_when_the_indication_returns()
    {
        var vc = ActiveVc();
        var packets = Packets(3);
        packets[1].Status = NdisStatus.Resources;
        Ndis5.MCoIndicateReceivePacket(vc, packets, 3);
        Assert.Equal([NdisStatus.Success, NdisStatus.Resources, NdisStatus.Resources], _client.StatusSeenAtReceive);
        Assert.Same(packets[0], Assert.Single(_miniport.Returned));
        Assert.Equal(0, vc.OutstandingReceives);
    }

    [Fact]
    public void Keeping_a_RESOURCES_packet_is_a_finding_and_it_is_still_reclaimed()
    {
        var vc = ActiveVc();
        _client.OnReceive = _ => 1;
        var packets = Packets(1);
        packets[0].Status = NdisStatus.Resources;
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.MCoIndicateReceivePacket(vc, packets, 1));
        Assert.Equal(VerifierRule.ResourcesReceiveRetained, error.Rule);
        Assert.Empty(_miniport.Returned);
        Assert.Equal(0, vc.OutstandingReceives);
    }

    [Fact]
    public void ReturnPackets_of_a_packet_never_indicated_is_a_finding()
    {
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.ReturnPackets(Packets(1), 1));
        Assert.Equal(VerifierRule.ReturnOfUnindicatedPacket, error.Rule);
    }

    [Fact]
    public void Indicated_packet_is_its_own_original_packet_unless_a_layer_set_one()
    {
        var vc = ActiveVc();
        var packets = Packets(2);
        var lower = Strict.Packet(_pool);
        packets[1].OriginalPacket = lower;
        Ndis5.MCoIndicateReceivePacket(vc, packets, 2);
        Assert.Same(packets[0], packets[0].OriginalPacket);
        Assert.Same(lower, packets[1].OriginalPacket);
    }

    [Fact]
    public void MCoReceiveComplete_calls_ProtocolReceiveComplete()
    {
        Ndis5.MCoReceiveComplete(_binding);
        Assert.Equal(1, _client.ReceiveCompletes);
    }

    [Fact]
    public void MCoIndicateStatus_calls_ProtocolCoStatus_with_the_VC_context()
    {
        var vc = ActiveVc();
        var buffer = new byte[] { 1, 2 };
        Ndis5.MCoIndicateStatus(_binding, vc, NdisStatus.MediaDisconnected, buffer, 2);
        Assert.Equal((NdisStatus.MediaDisconnected, (object?)"client-vc", buffer, 2u), _client.LastStatus);
    }

    [Fact]
    public void GetReceivedPacket_gives_the_packet_only_during_its_indication()
    {
        var vc = ActiveVc();
        var packets = Packets(1);
        NdisPacket? during = null;
        _client.OnReceive = p =>
        {
            during = Ndis5.GetReceivedPacket(_binding, p);
            return 0;
        };
        Ndis5.MCoIndicateReceivePacket(vc, packets, 1);
        Assert.Same(packets[0], during);
        Assert.Null(Ndis5.GetReceivedPacket(_binding, packets[0]));
    }

    [Fact]
    public void CancelSendPackets_calls_MiniportCancelSendPackets_when_the_miniport_has_one()
    {
        var miniport = new CancellingLegacyScriptedMiniport();
        var binding = new LegacyCoBinding(_ndis, miniport, null, _client, null);
        Ndis5.CancelSendPackets(binding, 42);
        Assert.Equal([42], miniport.Cancelled);
        // No handler: a queued packet with that cancel ID stays queued and nothing completes.
        var vc = ActiveVc();
        var packets = Packets(1);
        Ndis5.SetPacketCancelId(packets[0], 42);
        Ndis5.CoSendPackets(vc, packets, 1);
        Ndis5.CancelSendPackets(_binding, 42);
        Assert.Empty(_client.Completions);
        Assert.Equal(1, vc.OutstandingSends);
        Assert.Equal(packets, _miniport.Sent);
    }

    [Fact]
    public void NumberOfPackets_larger_than_the_array_is_an_argument_error()
    {
        var vc = ActiveVc();
        Assert.Throws<ArgumentOutOfRangeException>(() => Ndis5.CoSendPackets(vc, Packets(1), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ndis5.MCoIndicateReceivePacket(vc, Packets(1), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ndis5.ReturnPackets(Packets(1), 2));
    }

    [Fact]
    public void FreePacket_while_it_is_sent_or_held_is_refused_as_a_finding()
    {
        var vc = ActiveVc();
        var sent = Packets(1);
        Ndis5.CoSendPackets(vc, sent, 1);
        var error = Assert.Throws<NdisVerifierException>(() => Ndis5.FreePacket(sent[0]));
        Assert.Equal(VerifierRule.FreeWhileInFlight, error.Rule);
        _client.OnReceive = _ => 1;
        var held = Packets(1);
        Ndis5.MCoIndicateReceivePacket(vc, held, 1);
        error = Assert.Throws<NdisVerifierException>(() => Ndis5.FreePacket(held[0]));
        Assert.Equal(VerifierRule.FreeWhileInFlight, error.Rule);
        Ndis5.MCoSendComplete(NdisStatus.Success, vc, sent[0]);
        Ndis5.ReturnPackets(held, 1);
        Ndis5.FreePacket(sent[0]);
        Ndis5.FreePacket(held[0]);
    }
}
