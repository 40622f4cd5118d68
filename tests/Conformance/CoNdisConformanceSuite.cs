using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;
using Xunit;

namespace CoNdis.Conformance;

/// <summary>
/// The CoNDIS conformance suite: call set-up and teardown and the VC data path, each test a rule. It is shared
/// source: every test assembly that compiles it derives a class from it, and each test runs once per pairing that
/// assembly can build (<see cref="ConformancePairings.Available"/>: "native/native", and the legacy ones where 5.x
/// drivers are registered in <see cref="LegacyFactories"/>).
/// </summary>
public abstract class CoNdisConformanceSuite
{
    private static Pairing Parse(string pairing)
    {
        var parts = pairing.Split('/');
        return new Pairing(Enum.Parse<DriverKind>(parts[0], ignoreCase: true), Enum.Parse<DriverKind>(parts[1], ignoreCase: true));
    }

    private static ConformanceRig Rig(string pairing, VerifierMode mode = VerifierMode.Strict) => new(Parse(pairing), mode);

    private static byte[][] FramesFor(int seed, int count, int length = 100) =>
        Enumerable.Range(0, count).Select(i => Frames.Make(seed * 1000 + i, length + (i * 37 % 200))).ToArray();

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Outgoing_call_connects_and_data_flows_both_ways(string pairing)
    {
        using var rig = Rig(pairing);
        rig.Miniport.Loopback = true;
        var vc = rig.MakeCall();
        Assert.Equal(VcState.Connected, vc.State);
        Assert.Equal(ActivationState.Active, vc.Activation);
        var frames = FramesFor(1, 3);
        rig.Client.Send(vc, [frames]);
        ConformanceRig.WaitUntil(() => rig.Client.Completed.Count == 1 && rig.Client.Received.Count == 3, "the send to complete and loop back");
        Assert.Equal(NdisStatus.Success, rig.Client.Completed[0].Status);
        Assert.Equal(frames, rig.Miniport.SentFrames);
        Assert.Equal(frames, rig.Client.Received);
        rig.CloseCall(vc);
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Incoming_call_goes_to_the_sap_owner_and_data_flows_after_call_connected(string pairing)
    {
        using var rig = Rig(pairing);
        var vc = rig.CallManager.OfferIncomingCall(ConformanceRig.CallParameters);
        Assert.Equal(VcState.Connected, vc.State);
        Assert.True(vc.CreatedByCallManager);
        var frames = FramesFor(2, 2);
        rig.Miniport.Indicate(vc, frames, resources: false);
        Assert.Equal(frames, rig.Client.Received);
        rig.Client.Send(vc, [frames]);
        ConformanceRig.WaitUntil(() => rig.Client.Completed.Count == 1, "the send to complete");
        TestCallManager.RemoteClose(vc);
        Assert.Equal(VcState.IncomingClose, vc.State);
        rig.CloseCall(vc);
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void A_rejected_incoming_call_never_connects_and_the_call_manager_can_delete_its_vc(string pairing)
    {
        using var rig = Rig(pairing);
        if (rig.Client is NativeTestClient native)
            native.IncomingCallAnswer = NdisStatus.NotAccepted;
        else
            return; // the 5.x client's answer is its own; its acceptance path is covered above
        var vc = rig.CallManager.OfferIncomingCall(ConformanceRig.CallParameters);
        Assert.Equal(VcState.Created, vc.State);
        Assert.Equal(NdisStatus.Success, Ndis.CmDeactivateVc(vc));
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Every_nbl_of_a_chain_of_many_nbls_with_many_nbs_completes_exactly_once_from_another_thread(string pairing)
    {
        using var rig = Rig(pairing);
        rig.Miniport.SendCompletion = SendCompletion.Thread;
        var vc = rig.MakeCall();
        var batches = Enumerable.Range(0, 20).Select(b => Enumerable.Range(0, 16).Select(n => FramesFor(b * 100 + n, 1 + (n % 5))).ToArray()).ToArray();
        foreach (var batch in batches)
            rig.Client.Send(vc, batch, mdlsPerNb: 1 + batches.Length % 3);
        int total = batches.Sum(b => b.Length);
        ConformanceRig.WaitUntil(() => rig.Client.Completed.Count == total, "every NBL to complete");
        Assert.Equal(total, rig.Client.Completed.Select(c => c.Tag).Distinct().Count());
        Assert.All(rig.Client.Completed, c => Assert.Equal(NdisStatus.Success, c.Status));
        Assert.Equal(batches.SelectMany(b => b).SelectMany(f => f), rig.Miniport.SentFrames);
        Assert.Equal(0, vc.OutstandingSends);
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Each_nbl_completes_with_its_own_status(string pairing)
    {
        using var rig = Rig(pairing);
        rig.Miniport.SendCompletion = SendCompletion.Held;
        var vc = rig.MakeCall();
        rig.Client.Send(vc, [FramesFor(3, 2), FramesFor(4, 1)]);
        Assert.True(rig.Miniport.QueuedSends > 0); // NBLs for a native miniport, packets for a 5.x one
        Assert.True(rig.Miniport.CompleteQueued(NdisStatus.Resources) > 0);
        Assert.Equal(2, rig.Client.Completed.Count);
        Assert.All(rig.Client.Completed, c => Assert.Equal(NdisStatus.Resources, c.Status));
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Receives_without_resources_come_back_each_exactly_once_in_any_grouping_from_any_thread(string pairing)
    {
        using var rig = Rig(pairing);
        var vc = rig.MakeCall();
        rig.Client.ReceiveHandling = ReceiveHandling.Hold;
        var frames = FramesFor(5, 64, 60);
        for (int i = 0; i < frames.Length; i += 8)
            rig.Miniport.Indicate(vc, frames[i..(i + 8)], resources: false);
        Assert.Equal(64, rig.Client.HeldCount);
        Assert.Equal(64, vc.OutstandingReceives);
        rig.Client.ReturnHeld(threads: 4, seed: 7);
        ConformanceRig.WaitUntil(() => rig.Miniport.ReturnedReceives == 64, "every receive to come back");
        Assert.Equal(0, vc.OutstandingReceives);
        Assert.Equal(frames, rig.Client.Received);
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Receives_with_resources_are_copied_by_the_client_and_never_returned(string pairing)
    {
        using var rig = Rig(pairing);
        var vc = rig.MakeCall();
        rig.Client.ReceiveHandling = ReceiveHandling.Hold;
        var frames = FramesFor(6, 5);
        rig.Miniport.Indicate(vc, frames, resources: true);
        Assert.Equal(frames, rig.Client.Received);
        // The miniport has its resources back when the indication returns. A native client holding nothing proves
        // it copied; behind translation a 5.x miniport's RESOURCES packets arrive as runtime-owned copies the
        // client may hold like any receive (spec §8.2) — their return never reaches the miniport either.
        if (rig.Pairing.Miniport == DriverKind.Native && rig.Pairing.Client == DriverKind.Native)
            Assert.Equal(0, rig.Client.HeldCount);
        rig.Client.ReturnHeld(threads: 2, seed: 5);
        Assert.Equal(0, rig.Miniport.ReturnedReceives);
        Assert.Equal(0, vc.OutstandingReceives);
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Sends_after_close_complete_with_closing_and_never_reach_the_miniport(string pairing)
    {
        using var rig = Rig(pairing, VerifierMode.Lenient);
        var vc = rig.MakeCall();
        rig.CloseCall(vc);
        int before = rig.Miniport.SentFrames.Count;
        rig.Client.Send(vc, [FramesFor(7, 2)]);
        var completed = Assert.Single(rig.Client.Completed);
        Assert.NotEqual(NdisStatus.Success, completed.Status);
        Assert.True(completed.Status.IsError());
        Assert.Equal(before, rig.Miniport.SentFrames.Count);
        Assert.True(rig.Verifier.CountOf(VerifierRule.SendOnUnconnectedVc) + rig.Verifier.CountOf(VerifierRule.SendAfterClose) >= 1);
        Ndis.CoDeleteVc(vc);
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Sends_while_the_call_is_closing_complete_with_closing(string pairing)
    {
        using var rig = Rig(pairing, VerifierMode.Lenient);
        rig.Miniport.PendDeactivate = true;
        var vc = rig.MakeCall();
        Assert.Equal(NdisStatus.Pending, Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(VcState.Closing, vc.State);
        rig.Client.Send(vc, [FramesFor(8, 1)]);
        Assert.Equal(NdisStatus.Closing, Assert.Single(rig.Client.Completed).Status);
        Assert.Equal(1, rig.Verifier.CountOf(VerifierRule.SendAfterClose));
        rig.Miniport.FinishPendedActivation(vc, NdisStatus.Success);
        ConformanceRig.WaitUntil(() => vc.State == VcState.Created, "the close to complete");
        Ndis.CoDeleteVc(vc);
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Close_with_sends_in_flight_completes_only_after_every_send_completed(string pairing)
    {
        using var rig = Rig(pairing);
        rig.Miniport.SendCompletion = SendCompletion.Held;
        var vc = rig.MakeCall();
        rig.Client.Send(vc, [FramesFor(9, 3), FramesFor(10, 2)]);
        Assert.True(vc.OutstandingSends > 0); // 2 NBLs from a native client, one per packet from a 5.x client
        rig.CloseCall(vc); // the miniport's deactivation flushes its queue before it completes
        Assert.Equal(0, vc.OutstandingSends);
        Assert.Equal(2, rig.Client.Completed.Count);
        Assert.All(rig.Client.Completed, c => Assert.Equal(NdisStatus.Closing, c.Status));
        Assert.Equal(ActivationState.Inactive, vc.Activation);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Close_waits_for_held_receives_to_come_back(string pairing)
    {
        using var rig = Rig(pairing);
        var vc = rig.MakeCall();
        rig.Client.ReceiveHandling = ReceiveHandling.Hold;
        rig.Miniport.Indicate(vc, FramesFor(11, 4), resources: false);
        Assert.Equal(NdisStatus.Pending, Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(VcState.Closing, vc.State);
        Assert.Equal(ActivationState.Deactivating, vc.Activation);
        rig.Client.ReturnHeld(threads: 2, seed: 3);
        ConformanceRig.WaitUntil(() => vc.State == VcState.Created, "the close to complete once the receives are home");
        Assert.Equal(4, rig.Miniport.ReturnedReceives);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Cancel_by_id_completes_the_matching_sends_with_send_aborted(string pairing)
    {
        using var rig = Rig(pairing);
        rig.Miniport.SendCompletion = SendCompletion.Held;
        var vc = rig.MakeCall();
        var ids = new CancelIdGenerator();
        nint doomed = ids.Next(), kept = ids.Next();
        rig.Client.Send(vc, [FramesFor(12, 1), FramesFor(13, 1)], cancelId: doomed);
        rig.Client.Send(vc, [FramesFor(14, 1)], cancelId: kept);
        Ndis.CancelSendNetBufferLists(rig.Client.Binding, doomed);
        Assert.Equal(2, rig.Client.Completed.Count);
        Assert.All(rig.Client.Completed, c => Assert.Equal(NdisStatus.SendAborted, c.Status));
        Assert.Equal(1, rig.Miniport.CompleteQueued(NdisStatus.Success));
        Assert.Equal(NdisStatus.Success, rig.Client.Completed[2].Status);
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Remote_close_stops_sends_until_the_client_closes(string pairing)
    {
        using var rig = Rig(pairing, VerifierMode.Lenient);
        var vc = rig.MakeCall();
        TestCallManager.RemoteClose(vc);
        Assert.Equal(VcState.IncomingClose, vc.State);
        rig.Client.Send(vc, [FramesFor(15, 1)]);
        Assert.Equal(NdisStatus.Closing, Assert.Single(rig.Client.Completed).Status);
        rig.CloseCall(vc);
        Assert.Equal(VcState.Created, vc.State);
        Ndis.CoDeleteVc(vc);
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Pended_activation_and_deactivation_finish_the_call_flow(string pairing)
    {
        using var rig = Rig(pairing);
        rig.Miniport.PendActivate = true;
        rig.Miniport.PendDeactivate = true;
        var vc = rig.Client.CreateVc(rig.Af);
        Assert.Equal(NdisStatus.Pending, Ndis.ClMakeCall(vc, ConformanceRig.CallParameters, null, out _));
        Assert.Equal(ActivationState.Activating, vc.Activation);
        Assert.Equal(VcState.Calling, vc.State);
        rig.Miniport.FinishPendedActivation(vc, NdisStatus.Success);
        Assert.Equal(VcState.Connected, vc.State);
        Assert.Equal(NdisStatus.Pending, Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(ActivationState.Deactivating, vc.Activation);
        Assert.Equal(NdisStatus.Closing, Ndis.CoDeleteVc(vc));
        rig.Miniport.FinishPendedActivation(vc, NdisStatus.Success);
        Assert.Equal(VcState.Created, vc.State);
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void A_client_created_vc_is_reused_for_a_new_call_after_a_successful_close(string pairing)
    {
        using var rig = Rig(pairing);
        var vc = rig.MakeCall();
        rig.CloseCall(vc);
        Assert.Equal(NdisStatus.Success, Ndis.ClMakeCall(vc, ConformanceRig.CallParameters, null, out _));
        Assert.Equal(VcState.Connected, vc.State);
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Indications_after_deactivation_are_refused_and_handed_back(string pairing)
    {
        using var rig = Rig(pairing, VerifierMode.Lenient);
        var vc = rig.MakeCall();
        rig.CloseCall(vc);
        rig.Miniport.Indicate(vc, FramesFor(16, 3), resources: false);
        Assert.Empty(rig.Client.Received);
        Assert.Equal(3, rig.Miniport.ReturnedReceives);
        Assert.True(rig.Verifier.CountOf(VerifierRule.IndicationOnInactiveVc) >= 1); // one per indication: a 5.x miniport's come per packet
        Ndis.CoDeleteVc(vc);
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Point_to_multipoint_parties_are_added_and_dropped_and_the_last_goes_with_close(string pairing)
    {
        using var rig = Rig(pairing);
        var vc = rig.MakeCall(partyContext: "leaf 1");
        Assert.Single(vc.Parties);
        Assert.Equal(NdisStatus.Success, Ndis.ClAddParty(vc, "leaf 2", ConformanceRig.CallParameters, out var second));
        Assert.Equal(2, vc.Parties.Count);
        Assert.Throws<CoNdisStateException>(() => Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(NdisStatus.Success, Ndis.ClDropParty(second, ReadOnlyMemory<byte>.Empty));
        var last = Assert.Single(vc.Parties);
        Assert.Throws<CoNdisStateException>(() => Ndis.ClDropParty(last, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(NdisStatus.Success, Ndis.ClCloseCall(vc, last, ReadOnlyMemory<byte>.Empty));
        Assert.Empty(vc.Parties);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void A_vc_is_deleted_only_without_a_call_and_once_deactivated(string pairing)
    {
        using var rig = Rig(pairing);
        var vc = rig.MakeCall();
        Assert.Equal(NdisStatus.NotAccepted, Ndis.CoDeleteVc(vc));
        rig.CloseCall(vc);
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        Assert.Equal(VcState.Deleted, vc.State);
        Assert.Throws<CoNdisStateException>(() => Ndis.CoDeleteVc(vc));
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(ConformancePairings.Available), MemberType = typeof(ConformancePairings))]
    public void Oid_queries_report_link_speed_frame_size_and_media_state(string pairing)
    {
        using var rig = Rig(pairing);
        var speed = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.CoLinkSpeed, 8);
        Assert.Equal(NdisStatus.Success, Ndis.CoOidRequest(rig.Client.Binding, null, speed));
        Assert.Equal(8, speed.BytesWritten);
        Assert.True(speed.ReadUInt64() != 0);
        var frame = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.GenMaximumFrameSize, 4);
        Assert.Equal(NdisStatus.Success, Ndis.CoOidRequest(rig.Client.Binding, null, frame));
        Assert.True(frame.ReadUInt32() >= 1500);
        var media = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.CoMediaConnectStatus, 4);
        Assert.Equal(NdisStatus.Success, Ndis.CoOidRequest(rig.Client.Binding, null, media));
        Assert.Equal(0u, media.ReadUInt32()); // NdisMediaStateConnected
        var tooShort = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.GenMaximumFrameSize, 2);
        Assert.Equal(NdisStatus.BufferTooShort, Ndis.CoOidRequest(rig.Client.Binding, null, tooShort));
        Assert.Equal(4, tooShort.BytesNeeded);
    }
}
