using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.TestDrivers;
using Xunit;

namespace CoNdis.Conformance;

/// <summary>
/// The CoNDIS conformance suite: call set-up and teardown and the VC data path, each test a rule, run on every
/// target a deriving test class can build. A target is a client/miniport pairing ("native/legacy") and a device
/// token ("inline": the in-test miniport is its own device; "loopback", "pair-link": a reference miniport over a
/// simulated NIC); both are theory arguments, so every test's name carries them. A test whose rule the miniport
/// role cannot be made to drive (<see cref="IConformanceMiniport.Unsupported"/>) is skipped with the role's reason. A deriving class supplies the drivers by overriding <see cref="CreateMiniport"/> and
/// <see cref="CreateClient"/> and declares its targets as <c>public static new TheoryData&lt;string, string&gt; Targets</c>
/// (xunit looks the member up on the test class first): adding a device is one more row there and one more case in
/// its <see cref="CreateMiniport"/>, or one more deriving class.
/// </summary>
public abstract class CoNdisConformanceSuite
{
    /// <summary>A deriving class declares its own; reaching this one means it did not.</summary>
    public static TheoryData<string, string> Targets =>
        throw new InvalidOperationException("a class deriving from CoNdisConformanceSuite declares its own static Targets (pairing, device)");

    /// <summary>The rows (pairing text, device token) for <paramref name="pairings"/> on each of <paramref name="devices"/>.</summary>
    protected static TheoryData<string, string> TargetsOf(IEnumerable<Pairing> pairings, params string[] devices)
    {
        var data = new TheoryData<string, string>();
        foreach (var device in devices)
            foreach (var pairing in pairings)
                data.Add(pairing.ToString(), device);
        return data;
    }

    /// <summary>The miniport of <paramref name="kind"/> on <paramref name="device"/>, registered with <paramref name="runtime"/>.</summary>
    protected abstract IConformanceMiniport CreateMiniport(DriverKind kind, string device, CoNdisRuntime runtime);

    /// <summary>The client of <paramref name="kind"/>, bound to <paramref name="adapter"/>.</summary>
    protected abstract IConformanceClient CreateClient(DriverKind kind, CoNdisRuntime runtime, CoMiniportAdapter adapter);

    private ConformanceRig Rig(string pairing, string device, VerifierMode mode = VerifierMode.Strict) =>
        new(Pairing.Parse(pairing), device, mode, CreateMiniport, CreateClient);

    /// <summary>Skips the test, with the role's reason, when the miniport cannot drive <paramref name="feature"/>.</summary>
    private static void RequireFeature(ConformanceRig rig, ConformanceFeature feature)
    {
        if (rig.Miniport.Unsupported(feature) is { } reason)
            Assert.Skip($"{rig.Device}: {reason}");
    }

    private static byte[][] FramesFor(int seed, int count, int length = 100) =>
        Enumerable.Range(0, count).Select(i => TestFrames.Make(seed * 1000 + i, length + (i * 37 % 200))).ToArray();

    [Theory, MemberData(nameof(Targets))]
    public void Outgoing_call_connects_and_data_flows_both_ways(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
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

    [Theory, MemberData(nameof(Targets))]
    public void Incoming_call_goes_to_the_sap_owner_and_data_flows_after_call_connected(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
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

    [Theory, MemberData(nameof(Targets))]
    public void A_rejected_incoming_call_never_connects_and_the_call_manager_can_delete_its_vc(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
        if (rig.Client is not NativeTestClient native)
        {
            Assert.Skip("a 5.x client over LegacyClientAdapter cannot reject an incoming call yet: the adapter answers "
                + "ProtocolClIncomingCall itself (NDIS 5 call control for 5.x clients is its own piece of work)");
            return;
        }
        native.IncomingCallAnswer = NdisStatus.NotAccepted;
        var vc = rig.CallManager.OfferIncomingCall(ConformanceRig.CallParameters);
        Assert.Equal(VcState.Created, vc.State);
        Assert.Contains("IncomingCall -> NotAccepted", native.Events);
        Assert.DoesNotContain("CallConnected", native.Events);
        Assert.Contains("DispatchIncomingCall NotAccepted", rig.CallManager.Events);
        Assert.Equal(NdisStatus.Success, Ndis.CmDeactivateVc(vc));
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(Targets))]
    public void Every_nbl_of_a_chain_of_many_nbls_with_many_nbs_completes_exactly_once_from_another_thread(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
        rig.Miniport.SendCompletion = SendCompletion.Thread;
        var vc = rig.MakeCall();
        var batches = Enumerable.Range(0, 20).Select(b => Enumerable.Range(0, 16).Select(n => FramesFor(b * 100 + n, 1 + (n % 5))).ToArray()).ToArray();
        for (int b = 0; b < batches.Length; b++)
            rig.Client.Send(vc, batches[b], mdlsPerNb: 1 + (b % 3)); // one to three MDLs per NB
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

    [Theory, MemberData(nameof(Targets))]
    public void Each_nbl_completes_with_its_own_status(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
        rig.Miniport.SendCompletion = SendCompletion.Held;
        var vc = rig.MakeCall();
        rig.Client.Send(vc, [FramesFor(3, 2), FramesFor(4, 1)]);
        // Two NBLs from a native client to a native miniport; one per frame wherever a 5.x driver sits (a 5.x client
        // sends a packet per frame, each its own NBL; a 5.x miniport is given a packet per NB).
        int queued = rig.Pairing == Pairing.NativeNative ? 2 : 3;
        Assert.Equal(queued, rig.Miniport.QueuedSends);
        Assert.Equal(queued, rig.Miniport.CompleteQueued(NdisStatus.Resources));
        Assert.Equal(2, rig.Client.Completed.Count);
        Assert.All(rig.Client.Completed, c => Assert.Equal(NdisStatus.Resources, c.Status));
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(Targets))]
    public void Receives_without_resources_come_back_each_exactly_once_in_any_grouping_from_any_thread(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
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

    [Theory, MemberData(nameof(Targets))]
    public void Receives_with_resources_are_copied_by_the_client_and_never_returned(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
        var vc = rig.MakeCall();
        rig.Client.ReceiveHandling = ReceiveHandling.Hold;
        var frames = FramesFor(6, 5);
        rig.Miniport.Indicate(vc, frames, resources: true);
        Assert.Equal(frames, rig.Client.Received);
        // The miniport has its resources back when the indication returns. A client that sees the RESOURCES flag
        // (a native miniport's indication, as NBLs or as RESOURCES packets) holds nothing: it copied. Behind
        // translation a 5.x miniport's RESOURCES packets are copied by the adapter into NBLs of its own, which the
        // client may hold like any receive; their return never reaches the miniport either.
        if (rig.Pairing.Miniport == DriverKind.Native)
            Assert.Equal(0, rig.Client.HeldCount);
        rig.Client.ReturnHeld(threads: 2, seed: 5);
        Assert.Equal(0, rig.Miniport.ReturnedReceives);
        Assert.Equal(0, vc.OutstandingReceives);
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(Targets))]
    public void Sends_after_close_complete_with_closing_and_never_reach_the_miniport(string pairing, string device)
    {
        using var rig = Rig(pairing, device, VerifierMode.Lenient);
        var vc = rig.MakeCall();
        rig.CloseCall(vc);
        Assert.Equal(VcState.Created, vc.State); // the close completed: the VC could carry a new call, but has none
        rig.Client.Send(vc, [FramesFor(7, 2)]);
        Assert.Equal(NdisStatus.Closing, Assert.Single(rig.Client.Completed).Status);
        Assert.Empty(rig.Miniport.SentFrames);
        Assert.Equal(1, rig.Verifier.CountOf(VerifierRule.SendAfterClose));
        Assert.Equal(0, rig.Verifier.CountOf(VerifierRule.SendOnUnconnectedVc));
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
    }

    [Theory, MemberData(nameof(Targets))]
    public void A_new_call_on_a_closed_vc_ends_send_after_close(string pairing, string device)
    {
        using var rig = Rig(pairing, device, VerifierMode.Lenient);
        RequireFeature(rig, ConformanceFeature.PendedActivation);
        var vc = rig.MakeCall();
        rig.CloseCall(vc);
        rig.Miniport.PendActivate = true;
        Assert.Equal(NdisStatus.Pending, Ndis.ClMakeCall(vc, ConformanceRig.CallParameters, null, out _));
        rig.Client.Send(vc, [FramesFor(17, 1)]); // a new call, not yet connected: not a send after close
        Assert.Equal(NdisStatus.VcNotActivated, Assert.Single(rig.Client.Completed).Status);
        Assert.Equal(0, rig.Verifier.CountOf(VerifierRule.SendAfterClose));
        Assert.Equal(1, rig.Verifier.CountOf(VerifierRule.SendOnUnconnectedVc));
        rig.Miniport.FinishPendedActivation(vc, NdisStatus.Success);
        Assert.Equal(VcState.Connected, vc.State);
        var frames = FramesFor(18, 2);
        rig.Client.Send(vc, [frames]);
        Assert.Equal(2, rig.Client.Completed.Count);
        Assert.Equal(NdisStatus.Success, rig.Client.Completed[1].Status);
        Assert.Equal(frames, rig.Miniport.SentFrames);
        Assert.Equal(1, rig.Verifier.FindingCount);
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
    }

    [Theory, MemberData(nameof(Targets))]
    public void A_send_on_a_vc_that_never_had_a_call_completes_with_vc_not_activated(string pairing, string device)
    {
        using var rig = Rig(pairing, device, VerifierMode.Lenient);
        var vc = rig.Client.CreateVc(rig.Af);
        rig.Client.Send(vc, [FramesFor(19, 2)]);
        Assert.Equal(NdisStatus.VcNotActivated, Assert.Single(rig.Client.Completed).Status);
        Assert.Empty(rig.Miniport.SentFrames);
        Assert.Equal(1, rig.Verifier.CountOf(VerifierRule.SendOnUnconnectedVc));
        Assert.Equal(0, rig.Verifier.CountOf(VerifierRule.SendAfterClose));
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Sends_while_the_call_is_closing_complete_with_closing(string pairing, string device)
    {
        using var rig = Rig(pairing, device, VerifierMode.Lenient);
        var vc = rig.MakeCall();
        // The close stays pending while the client holds a receive: every miniport's deactivation waits for its
        // receives to come home (MiniportCoDeactivateVc), so the call is closing for as long as the test likes.
        rig.Client.ReceiveHandling = ReceiveHandling.Hold;
        rig.Miniport.Indicate(vc, FramesFor(8, 1), resources: false);
        Assert.Equal(1, rig.Client.HeldCount);
        Assert.Equal(NdisStatus.Pending, Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(VcState.Closing, vc.State);
        rig.Client.Send(vc, [FramesFor(8, 1)]);
        Assert.Equal(NdisStatus.Closing, Assert.Single(rig.Client.Completed).Status);
        Assert.Empty(rig.Miniport.SentFrames);
        Assert.Equal(1, rig.Verifier.CountOf(VerifierRule.SendAfterClose));
        Assert.Equal(0, rig.Verifier.CountOf(VerifierRule.SendOnUnconnectedVc));
        Assert.Equal(VcState.Closing, vc.State); // the refused send changed nothing: still waiting for the receive
        rig.Client.ReturnHeld(threads: 1, seed: 8);
        ConformanceRig.WaitUntil(() => vc.State == VcState.Created, "the close to complete once the receive is home");
        Assert.Equal(1, rig.Verifier.FindingCount);
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Close_with_sends_in_flight_completes_only_after_every_send_completed(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
        rig.Miniport.SendCompletion = SendCompletion.Held;
        var vc = rig.MakeCall();
        rig.Client.Send(vc, [FramesFor(9, 3), FramesFor(10, 2)]);
        Assert.Equal(rig.Pairing.Client == DriverKind.Native ? 2 : 5, vc.OutstandingSends); // 2 NBLs from a native client, one per packet from a 5.x client
        rig.CloseCall(vc); // the miniport's deactivation finishes its queue (flushed, or transmitted) before it completes
        Assert.Equal(0, vc.OutstandingSends);
        Assert.Equal(2, rig.Client.Completed.Count);
        Assert.All(rig.Client.Completed, c => Assert.Equal(rig.Miniport.HeldSendStatusAtDeactivation, c.Status));
        Assert.Equal(ActivationState.Inactive, vc.Activation);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(Targets))]
    public void Close_waits_for_held_receives_to_come_back(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
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

    [Theory, MemberData(nameof(Targets))]
    public void Cancel_by_id_completes_the_matching_sends_with_send_aborted(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
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

    [Theory, MemberData(nameof(Targets))]
    public void Remote_close_stops_sends_until_the_client_closes(string pairing, string device)
    {
        using var rig = Rig(pairing, device, VerifierMode.Lenient);
        var vc = rig.MakeCall();
        TestCallManager.RemoteClose(vc);
        Assert.Equal(VcState.IncomingClose, vc.State);
        rig.Client.Send(vc, [FramesFor(15, 1)]);
        Assert.Equal(NdisStatus.Closing, Assert.Single(rig.Client.Completed).Status);
        Assert.Empty(rig.Miniport.SentFrames);
        Assert.Equal(1, rig.Verifier.CountOf(VerifierRule.SendAfterClose));
        Assert.Equal(1, rig.Verifier.FindingCount);
        rig.CloseCall(vc);
        Assert.Equal(VcState.Created, vc.State);
        Ndis.CoDeleteVc(vc);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Pended_activation_and_deactivation_finish_the_call_flow(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
        RequireFeature(rig, ConformanceFeature.PendedActivation);
        RequireFeature(rig, ConformanceFeature.PendedDeactivation);
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

    [Theory, MemberData(nameof(Targets))]
    public void A_make_call_and_a_close_call_the_call_manager_pends_complete_later_and_data_flows_between(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
        rig.CallManager.PendCalls = true; // NdisCmMakeCallComplete and NdisCmCloseCallComplete come from another thread
        var vc = rig.Client.CreateVc(rig.Af);
        Assert.Equal(NdisStatus.Pending, Ndis.ClMakeCall(vc, ConformanceRig.CallParameters, null, out _));
        ConformanceRig.WaitUntil(() => vc.State == VcState.Connected, "the pended make-call to complete");
        var frames = FramesFor(20, 2);
        rig.Client.Send(vc, [frames]);
        Assert.Equal(NdisStatus.Success, Assert.Single(rig.Client.Completed).Status);
        Assert.Equal(frames, rig.Miniport.SentFrames);
        Assert.Equal(NdisStatus.Pending, Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty));
        ConformanceRig.WaitUntil(() => vc.State == VcState.Created, "the pended close to complete");
        Assert.Equal(ActivationState.Inactive, vc.Activation);
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(Targets))]
    public void A_client_created_vc_is_reused_for_a_new_call_after_a_successful_close(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
        var vc = rig.MakeCall();
        rig.CloseCall(vc);
        Assert.Equal(NdisStatus.Success, Ndis.ClMakeCall(vc, ConformanceRig.CallParameters, null, out _));
        Assert.Equal(VcState.Connected, vc.State);
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(Targets))]
    public void Indications_after_deactivation_are_refused_and_handed_back(string pairing, string device)
    {
        using var rig = Rig(pairing, device, VerifierMode.Lenient);
        RequireFeature(rig, ConformanceFeature.IndicationOnInactiveVc);
        var vc = rig.MakeCall();
        rig.CloseCall(vc);
        rig.Miniport.Indicate(vc, FramesFor(16, 3), resources: false);
        Assert.Empty(rig.Client.Received);
        Assert.Equal(3, rig.Miniport.ReturnedReceives);
        // One finding per indication the runtime refused, and no other rule: the native miniport indicates one chain;
        // a 5.x miniport's packet array reaches the runtime as one chain or as one indication per packet.
        long refused = rig.Verifier.CountOf(VerifierRule.IndicationOnInactiveVc);
        Assert.Equal(rig.Verifier.FindingCount, refused);
        if (rig.Pairing.Miniport == DriverKind.Native)
            Assert.Equal(1L, refused);
        else
            Assert.InRange(refused, 1L, 3L);
        Ndis.CoDeleteVc(vc);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Point_to_multipoint_parties_are_added_and_dropped_and_the_last_goes_with_close(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
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

    [Theory, MemberData(nameof(Targets))]
    public void A_vc_is_deleted_only_without_a_call_and_once_deactivated(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
        var vc = rig.MakeCall();
        Assert.Equal(NdisStatus.NotAccepted, Ndis.CoDeleteVc(vc));
        rig.CloseCall(vc);
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        Assert.Equal(VcState.Deleted, vc.State);
        Assert.Throws<CoNdisStateException>(() => Ndis.CoDeleteVc(vc));
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(Targets))]
    public void Oid_queries_report_link_speed_frame_size_and_media_state(string pairing, string device)
    {
        using var rig = Rig(pairing, device);
        var speed = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.CoLinkSpeed, 8);
        Assert.Equal(NdisStatus.Success, Ndis.CoOidRequest(rig.Client.Binding, null, speed));
        Assert.Equal(8, speed.BytesWritten);
        Assert.Equal(1_550_000UL | (1_550_000UL << 32), speed.ReadUInt64()); // NDIS_CO_LINK_SPEED: 155 Mbit/s out and in, in 100 bit/s units
        var frame = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.GenMaximumFrameSize, 4);
        Assert.Equal(NdisStatus.Success, Ndis.CoOidRequest(rig.Client.Binding, null, frame));
        Assert.Equal(9180u, frame.ReadUInt32());
        var media = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.CoMediaConnectStatus, 4);
        Assert.Equal(NdisStatus.Success, Ndis.CoOidRequest(rig.Client.Binding, null, media));
        Assert.Equal(0u, media.ReadUInt32()); // NdisMediaStateConnected
        var tooShort = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.GenMaximumFrameSize, 2);
        Assert.Equal(NdisStatus.BufferTooShort, Ndis.CoOidRequest(rig.Client.Binding, null, tooShort));
        Assert.Equal(4, tooShort.BytesNeeded);
    }
}
