using CoNdis.TestDrivers;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.TestDrivers.Translated.CallControl;

namespace CoNdis.Translation.Tests;

/// <summary>
/// The call-control rules of CoNDIS, each a test, for one combination of client (NDIS 6, or the ported 5.x client on
/// its NDIS 5 calls) and call manager (NDIS 6, the ported 5.x call manager stand-alone, or integrated in a 5.x
/// miniport). The derived classes below are the six combinations; each test's full name carries its combination.
/// Every test ends with the verifier silent.
/// </summary>
public abstract class CallControlConformanceTests
{
    protected abstract ClientKind Client { get; }

    protected abstract CallManagerKind CallManager { get; }

    private CallControlRig Rig() => new(Client, CallManager);

    private static byte[] Frame(int seed, int length = 120) => TestFrames.Make(seed, length);

    private static CoCallParameters WithSdu(uint sdu) => CoCallParameters.BestEffort(sdu);

    [Fact]
    public void Af_open_and_sap_registration_reach_the_call_manager_and_close_only_in_reverse_order()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        Assert.NotNull(rig.Client.Af);
        Assert.True(rig.Client.Af!.IsOpen);
        Assert.True(rig.Client.Sap!.IsRegistered);
        Assert.Equal(["OpenAf", "RegisterSap"], rig.CallManager.Events);
        // An AF with a SAP still registered cannot close (NdisClCloseAddressFamily: after its SAPs are deregistered).
        Assert.Throws<CoNdisStateException>(() => rig.Client.CloseAf());
        Assert.Equal(NdisStatus.Success, rig.Client.DeregisterSap());
        Assert.Equal(NdisStatus.Success, rig.Client.CloseAf());
        Assert.Equal(["OpenAf", "RegisterSap", "DeregisterSap", "CloseAf"], rig.CallManager.Events);
        rig.AssertNoFindings();
    }

    [Fact]
    public void Pended_af_open_and_sap_registration_complete_through_the_client_handlers()
    {
        using var rig = Rig();
        rig.CallManager.PendCalls = true;
        Assert.Equal(NdisStatus.Pending, rig.Client.OpenAf(LegacyPacket.Samples.LegacyPointToPointCallManager.AddressFamily));
        CallControlRig.WaitForEvent(() => rig.Client.Events, "OpenAfComplete Success");
        Assert.True(rig.Client.Af!.IsOpen);
        Assert.Equal(NdisStatus.Pending, rig.Client.RegisterSap(CallControlRig.Sap));
        CallControlRig.WaitForEvent(() => rig.Client.Events, "RegisterSapComplete Success");
        Assert.True(rig.Client.Sap!.IsRegistered);
        rig.AssertNoFindings();
    }

    [Fact]
    public void Outgoing_call_connects_data_flows_both_ways_and_the_client_closes_and_deletes_its_vc()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        Assert.Equal(NdisStatus.Success, rig.Client.MakeCall(CallControlRig.CallParameters, null, out var vc));
        Assert.Equal(VcState.Connected, vc.State);
        Assert.Equal(ActivationState.Active, vc.Activation);
        Assert.False(vc.CreatedByCallManager);
        Assert.Contains("MakeCallComplete Success", rig.Client.Events);
        Assert.Equal(["OpenAf", "RegisterSap", "CreateVc", "MakeCall"], rig.CallManager.Events);
        var sent = Frame(1);
        rig.Client.Send(vc, sent);
        Assert.Equal(sent, Assert.Single(rig.Miniport.SentFrames));
        Assert.Equal(1, rig.Client.SendsCompleted);
        Assert.Equal(0, rig.Client.SendsFailed);
        var received = Frame(2);
        rig.Miniport.Indicate(vc, received);
        Assert.Equal(received, Assert.Single(rig.Client.Received));
        Assert.Equal(NdisStatus.Success, rig.Client.CloseCall(vc, null));
        Assert.Equal(VcState.Created, vc.State);
        Assert.Equal(ActivationState.Inactive, vc.Activation);
        Assert.Contains("CloseCallComplete Success", rig.Client.Events);
        Assert.Equal(NdisStatus.Success, rig.Client.DeleteVc(vc));
        Assert.Equal(VcState.Deleted, vc.State);
        Assert.Equal("DeleteVc", rig.CallManager.Events[^1]);
        rig.AssertNoFindings();
    }

    [Fact]
    public void Pended_make_call_and_close_complete_through_the_client_handlers()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        rig.CallManager.PendCalls = true;
        Assert.Equal(NdisStatus.Pending, rig.Client.MakeCall(CallControlRig.CallParameters, null, out var vc));
        CallControlRig.WaitForEvent(() => rig.Client.Events, "MakeCallComplete Success");
        Assert.Equal(VcState.Connected, vc.State);
        Assert.Equal(NdisStatus.Pending, rig.Client.CloseCall(vc, null));
        CallControlRig.WaitForEvent(() => rig.Client.Events, "CloseCallComplete Success");
        Assert.Equal(VcState.Created, vc.State);
        Assert.Equal(NdisStatus.Success, rig.Client.DeleteVc(vc));
        rig.AssertNoFindings();
    }

    [Fact]
    public void A_client_vc_carries_a_second_call_after_a_successful_close()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        var vc = rig.Connect();
        rig.Close(vc);
        Assert.Equal(NdisStatus.Success, rig.Client.MakeCallAgain(vc, CallControlRig.CallParameters));
        Assert.Equal(VcState.Connected, vc.State);
        rig.Close(vc);
        Assert.Equal(NdisStatus.Success, rig.Client.DeleteVc(vc));
        Assert.Equal(2u, rig.CallManager.CallsConnected);
        rig.AssertNoFindings();
    }

    [Fact]
    public void Incoming_call_goes_to_the_sap_owner_connects_carries_data_and_the_remote_close_ends_it()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        var vc = rig.CallManager.OfferIncomingCall(CallControlRig.CallParameters);
        Assert.True(vc.CreatedByCallManager);
        Assert.Equal(VcState.Connected, vc.State);
        Assert.Same(vc, rig.Client.CallVc);
        Assert.Equal(["CreateVc", "IncomingCall -> Success", "CallConnected"], rig.Client.Events.Where(e => !e.Contains("Complete", StringComparison.Ordinal)));
        rig.Client.Send(vc, Frame(3));
        Assert.Equal(1, rig.Client.SendsCompleted);
        rig.Miniport.Indicate(vc, Frame(4));
        Assert.Single(rig.Client.Received);
        rig.CallManager.RemoteClose(vc);
        Assert.Equal(VcState.IncomingClose, vc.State);
        Assert.Contains("IncomingCloseCall Success", rig.Client.Events);
        rig.Close(vc);
        Assert.Equal(VcState.Created, vc.State);
        Assert.Equal(NdisStatus.Success, rig.CallManager.DeleteIncomingVc(vc));
        Assert.Equal(VcState.Deleted, vc.State);
        Assert.Equal("DeleteVc", rig.Client.Events[^1]); // the client's ProtocolCoDeleteVc for the VC the call manager made
        rig.AssertNoFindings();
    }

    [Fact]
    public void A_rejected_incoming_call_never_connects_and_the_call_manager_deletes_its_vc()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        rig.Client.IncomingCallAnswer = NdisStatus.NotAccepted;
        var vc = rig.CallManager.OfferIncomingCall(CallControlRig.CallParameters);
        Assert.Equal(VcState.Deleted, vc.State);
        Assert.Contains("IncomingCall -> NotAccepted", rig.Client.Events);
        Assert.DoesNotContain("CallConnected", rig.Client.Events);
        Assert.Equal("DeleteVc", rig.Client.Events[^1]);
        Assert.Null(rig.Client.CallVc);
        rig.AssertNoFindings();
    }

    [Fact]
    public void Close_with_sends_in_flight_completes_only_after_every_send_came_back()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        var vc = rig.Connect();
        rig.Miniport.HoldSends = true;
        rig.Client.Send(vc, Frame(5));
        rig.Client.Send(vc, Frame(6));
        Assert.Equal(2, rig.Miniport.HeldSends);
        Assert.Equal(2, vc.OutstandingSends);
        Assert.Equal(0, rig.Client.SendsCompleted);
        rig.Close(vc); // the deactivation flushes the miniport's queue before it completes
        Assert.Equal(0, vc.OutstandingSends);
        Assert.Equal(2, rig.Client.SendsCompleted);
        Assert.Equal(2, rig.Client.SendsFailed);
        Assert.Equal(ActivationState.Inactive, vc.Activation);
        Assert.Equal(NdisStatus.Success, rig.Client.DeleteVc(vc));
        rig.AssertNoFindings();
    }

    [Fact]
    public void Remote_close_with_sends_in_flight_still_brings_every_send_back_before_the_close_completes()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        var vc = rig.Connect();
        rig.Miniport.HoldSends = true;
        rig.Client.Send(vc, Frame(7));
        rig.CallManager.RemoteClose(vc);
        Assert.Equal(VcState.IncomingClose, vc.State);
        Assert.Equal(1, vc.OutstandingSends);
        rig.Close(vc);
        Assert.Equal(0, vc.OutstandingSends);
        Assert.Equal(1, rig.Client.SendsFailed);
        Assert.Equal(NdisStatus.Success, rig.Client.DeleteVc(vc));
        rig.AssertNoFindings();
    }

    [Fact]
    public void Parties_join_and_leave_a_multipoint_call_and_the_last_one_goes_with_the_close()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        var vc = rig.Connect(partyContext: "leaf 1");
        var first = rig.Client.FirstParty;
        Assert.NotNull(first);
        Assert.True(first!.IsConnected);
        Assert.Equal(NdisStatus.Success, rig.Client.AddParty(vc, "leaf 2", CallControlRig.CallParameters, out var second));
        Assert.Equal(NdisStatus.Success, rig.Client.AddParty(vc, "leaf 3", CallControlRig.CallParameters, out var third));
        Assert.Equal(3, vc.Parties.Count);
        // NdisClCloseCall with more than one party left is refused: drop all but the last first.
        Assert.Throws<CoNdisStateException>(() => rig.Client.CloseCall(vc, first));
        Assert.Equal(NdisStatus.Success, rig.Client.DropParty(second!));
        rig.CallManager.RemoteDropParty(third!);
        Assert.Contains("IncomingDropParty Success", rig.Client.Events);
        Assert.Same(first, Assert.Single(vc.Parties));
        Assert.Throws<CoNdisStateException>(() => rig.Client.DropParty(first)); // the last party goes with the close
        rig.Close(vc, first);
        Assert.Empty(vc.Parties);
        Assert.Equal(NdisStatus.Success, rig.Client.DeleteVc(vc));
        Assert.Contains("AddParty", rig.CallManager.Events);
        Assert.Contains("DropParty", rig.CallManager.Events);
        rig.AssertNoFindings();
    }

    [Fact]
    public void Qos_changes_from_either_side_reactivate_the_vc_with_the_new_parameters()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        var vc = rig.Connect();
        var status = rig.Client.ModifyCallQoS(vc, WithSdu(4470));
        Assert.Equal(NdisStatus.Success, status);
        Assert.Contains("ModifyCallQoSComplete Success", rig.Client.Events);
        Assert.Equal(4470u, vc.CallParameters!.CallMgrParameters.Transmit.MaxSduSize);
        Assert.Equal(ActivationState.Active, vc.Activation);
        Assert.Equal(NdisStatus.Success, rig.CallManager.RemoteQoSChange(vc, WithSdu(1500)));
        Assert.Contains("IncomingCallQoSChange", rig.Client.Events);
        Assert.Equal(1500u, vc.CallParameters!.CallMgrParameters.Transmit.MaxSduSize);
        rig.Client.Send(vc, Frame(8));
        Assert.Equal(0, rig.Client.SendsFailed);
        rig.Close(vc);
        Assert.Equal(NdisStatus.Success, rig.Client.DeleteVc(vc));
        rig.AssertNoFindings();
    }

    [Fact]
    public void Requests_go_from_client_to_call_manager_and_back_synchronously_and_pended()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        var vc = rig.Connect();
        Assert.Equal(NdisStatus.Success, rig.Client.QueryCallManager(CallControlRig.OidCallsConnected));
        Assert.Equal(1u, rig.Client.LastRequestAnswer);
        Assert.Contains($"Request 0x{CallControlRig.OidCallsConnected:X8}", rig.CallManager.Events);
        Assert.Equal(NdisStatus.Success, rig.CallManager.QueryClient(CallControlRig.OidClientInfo));
        Assert.Equal(rig.Client.ClientInfo, rig.CallManager.LastRequestAnswer);
        Assert.Contains($"Request 0x{CallControlRig.OidClientInfo:X8}", rig.Client.Events);
        Assert.Equal(NdisStatus.NotSupported, rig.CallManager.QueryClient(0xFF0F0F0F));
        rig.CallManager.PendCalls = true;
        Assert.Equal(NdisStatus.Pending, rig.Client.QueryCallManager(CallControlRig.OidCallsConnected));
        CallControlRig.WaitForEvent(() => rig.Client.Events, "RequestComplete Success");
        Assert.Equal(1u, rig.Client.LastRequestAnswer);
        rig.CallManager.PendCalls = false;
        rig.Client.PendRequests = true;
        Assert.Equal(NdisStatus.Pending, rig.CallManager.QueryClient(CallControlRig.OidClientInfo));
        CallControlRig.WaitForEvent(() => rig.CallManager.Events, "RequestComplete Success");
        Assert.Equal(rig.Client.ClientInfo, rig.CallManager.LastRequestAnswer);
        rig.Close(vc);
        Assert.Equal(NdisStatus.Success, rig.Client.DeleteVc(vc));
        rig.AssertNoFindings();
    }

    [Fact]
    public void A_request_without_an_af_reaches_the_miniport()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        Assert.Equal(NdisStatus.Success, rig.Client.QueryMiniport(NdisOid.GenMaximumFrameSize, out uint frameSize));
        Assert.Equal(rig.Miniport.MaximumFrameSize, frameSize);
        rig.AssertNoFindings();
    }

    [Fact]
    public void A_vc_with_a_call_cannot_be_deleted_and_its_af_cannot_close()
    {
        using var rig = Rig();
        rig.OpenAfAndSap();
        var vc = rig.Connect();
        Assert.Equal(NdisStatus.NotAccepted, rig.Client.DeleteVc(vc));
        Assert.Equal(VcState.Connected, vc.State);
        Assert.Throws<CoNdisStateException>(() => rig.Client.CloseAf());
        rig.Close(vc);
        Assert.Equal(NdisStatus.Success, rig.Client.DeleteVc(vc));
        Assert.Equal(NdisStatus.Success, rig.Client.DeregisterSap());
        Assert.Equal(NdisStatus.Success, rig.Client.CloseAf());
        rig.AssertNoFindings();
    }
}

/// <summary>NDIS 6 client, NDIS 6 stand-alone call manager.</summary>
public sealed class CallControl_NativeClient_NativeCallManager : CallControlConformanceTests
{
    protected override ClientKind Client => ClientKind.Native;

    protected override CallManagerKind CallManager => CallManagerKind.Native;
}

/// <summary>NDIS 6 client, 5.x stand-alone call manager.</summary>
public sealed class CallControl_NativeClient_LegacyStandAloneCallManager : CallControlConformanceTests
{
    protected override ClientKind Client => ClientKind.Native;

    protected override CallManagerKind CallManager => CallManagerKind.LegacyStandAlone;
}

/// <summary>NDIS 6 client, 5.x call manager integrated in a 5.x miniport.</summary>
public sealed class CallControl_NativeClient_LegacyIntegratedCallManager : CallControlConformanceTests
{
    protected override ClientKind Client => ClientKind.Native;

    protected override CallManagerKind CallManager => CallManagerKind.LegacyIntegrated;
}

/// <summary>5.x client, NDIS 6 stand-alone call manager.</summary>
public sealed class CallControl_LegacyClient_NativeCallManager : CallControlConformanceTests
{
    protected override ClientKind Client => ClientKind.Legacy;

    protected override CallManagerKind CallManager => CallManagerKind.Native;
}

/// <summary>5.x client, 5.x stand-alone call manager.</summary>
public sealed class CallControl_LegacyClient_LegacyStandAloneCallManager : CallControlConformanceTests
{
    protected override ClientKind Client => ClientKind.Legacy;

    protected override CallManagerKind CallManager => CallManagerKind.LegacyStandAlone;
}

/// <summary>5.x client, 5.x call manager integrated in a 5.x miniport.</summary>
public sealed class CallControl_LegacyClient_LegacyIntegratedCallManager : CallControlConformanceTests
{
    protected override ClientKind Client => ClientKind.Legacy;

    protected override CallManagerKind CallManager => CallManagerKind.LegacyIntegrated;
}
