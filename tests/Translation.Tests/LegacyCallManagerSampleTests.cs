using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.LegacyPacket.Samples;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.Translation.Adapters;
using CoNdis.TestDrivers.Translated.CallControl;
using CoNdis.TestDrivers.Translated;

namespace CoNdis.Translation.Tests;

/// <summary>
/// The ported 5.x point-to-point call manager and the ported 5.x client under the runtime, where NDIS 5's own order of
/// calls shows: activations and deactivations a 5.x miniport pends end in the call manager's handlers, an MCM's VCs are
/// activated without MiniportCoActivateVc, and the NDIS 5 calls keep their rules.
/// </summary>
public sealed class LegacyCallManagerSampleTests
{
    [Fact]
    public void An_integrated_call_manager_activates_and_deactivates_its_vcs_without_MiniportCoActivateVc_and_opens_the_5x_data_path_itself()
    {
        using var rig = new CallControlRig(ClientKind.Legacy, CallManagerKind.LegacyIntegrated);
        var mcm = (LegacyMcmMiniport)rig.Miniport;
        rig.OpenAfAndSap();
        var vc = rig.Connect();
        var legacy = LegacyMiniportAdapter.LegacyVcOf(vc);
        Assert.Equal(LegacyVcState.Active, legacy.State);
        Assert.Same(legacy, LegacyPointToPointCallManager.NdisVcHandleOf(legacy.MiniportVcContext)); // the CM's context is the MiniportVcContext
        rig.Close(vc);
        Assert.Equal(LegacyVcState.Deactivated, legacy.State);
        var incoming = rig.CallManager.OfferIncomingCall(CallControlRig.CallParameters);
        Assert.Equal(LegacyVcState.Active, LegacyMiniportAdapter.LegacyVcOf(incoming).State);
        Assert.Equal(0, mcm.ActivateCalls);
        rig.AssertNoFindings();
    }

    [Fact]
    public void Activation_and_deactivation_a_5x_miniport_pends_end_in_the_5x_call_managers_handlers_before_the_client_hears_of_the_call()
    {
        var verifier = new NdisVerifier(VerifierMode.Strict);
        var runtime = new CoNdisRuntime(verifier);
        using var miniport = new TranslatedTestMiniport(runtime) { PendActivate = true, PendDeactivate = true };
        var callManager = new LegacyStandAloneCallManager(runtime, miniport.Adapter);
        var client = new LegacyCallClient(runtime, miniport.Adapter);
        Assert.Equal(NdisStatus.Success, client.OpenAf(LegacyPointToPointCallManager.AddressFamily));
        Assert.Equal(NdisStatus.Pending, client.MakeCall(CallControlRig.CallParameters, null, out var vc));
        Assert.Equal("MakeCall", callManager.Events[^1]);
        Assert.DoesNotContain("MakeCallComplete Success", client.Events);
        Assert.Equal(VcState.Calling, vc.State);
        miniport.FinishPendedActivation(vc, NdisStatus.Success); // NdisMCoActivateVcComplete from the 5.x miniport
        Assert.Equal("ActivateVcComplete Success", callManager.Events[^1]);
        Assert.Equal("MakeCallComplete Success", client.Events[^1]);
        Assert.Equal(VcState.Connected, vc.State);
        Assert.Equal(NdisStatus.Pending, client.CloseCall(vc, null));
        Assert.Equal(ActivationState.Deactivating, vc.Activation);
        Assert.DoesNotContain("CloseCallComplete Success", client.Events);
        miniport.FinishPendedActivation(vc, NdisStatus.Success); // NdisMCoDeactivateVcComplete
        Assert.Equal("DeactivateVcComplete Success", callManager.Events[^1]);
        Assert.Equal("CloseCallComplete Success", client.Events[^1]);
        Assert.Equal(VcState.Created, vc.State);
        Assert.Equal(NdisStatus.Success, client.DeleteVc(vc));
        Assert.Equal(0, verifier.FindingCount);
    }

    [Fact]
    public void A_ported_clients_own_NdisCoCreateVc_on_its_af_creates_the_runtime_vc_and_reaches_the_call_manager()
    {
        using var rig = new CallControlRig(ClientKind.Legacy, CallManagerKind.LegacyStandAlone);
        rig.OpenAfAndSap();
        var client = (LegacyCallClient)rig.Client;
        Assert.Equal(NdisStatus.Success, Ndis5.CoCreateVc(client.Adapter.LegacyBinding, client.Af, "my vc", out var legacy));
        var vc = LegacyClientAdapter.RuntimeVcOf(legacy!);
        Assert.Same(client.Af, vc.AddressFamily);
        Assert.Equal(VcState.Created, vc.State);
        Assert.Equal("my vc", legacy!.ProtocolVcContext);
        Assert.Equal("CreateVc", rig.CallManager.Events[^1]);
        var callManagerVc = ((LegacyStandAloneCallManager)rig.CallManager).Adapter.CallManagerVcOf(vc);
        Assert.NotSame(legacy, callManagerVc); // each driver holds its own NdisVcHandle for the one runtime VC
        Assert.Equal(NdisStatus.Success, Ndis5.CoDeleteVc(legacy));
        Assert.Equal(VcState.Deleted, vc.State);
        Assert.Equal(LegacyVcState.Deleted, legacy.State);
        Assert.Equal(LegacyVcState.Deleted, callManagerVc.State);
        rig.AssertNoFindings();
    }

    [Fact]
    public void Only_one_call_manager_serves_an_af_on_an_adapter()
    {
        using var rig = new CallControlRig(ClientKind.Native, CallManagerKind.LegacyStandAlone);
        var second = new LegacyPointToPointCallManager();
        var adapter = new LegacyClientAdapter(rig.Runtime, rig.Miniport.Adapter, "second 5.x call manager", second, null);
        Assert.Equal(NdisStatus.Failure, second.Register(adapter.LegacyBinding));
    }

    [Fact]
    public void Integrated_call_manager_calls_on_a_protocols_binding_and_completions_of_requests_never_handed_out_are_refused()
    {
        using var rig = new CallControlRig(ClientKind.Native, CallManagerKind.LegacyStandAlone);
        var callManager = (LegacyStandAloneCallManager)rig.CallManager;
        var binding = callManager.Adapter.LegacyBinding;
        var chars = new NdisCallManagerCharacteristics { Handlers = callManager.Sample };
        Assert.Throws<CoNdisStateException>(() => Ndis5.MCmRegisterAddressFamily(binding, LegacyPointToPointCallManager.AddressFamily, chars, NdisCallManagerCharacteristics.Size));
        rig.OpenAfAndSap();
        var request = new NdisRequest(NdisRequestType.QueryInformation, CallControlRig.OidClientInfo, new byte[4]);
        Assert.Throws<CoNdisStateException>(() => Ndis5.CoRequestComplete(NdisStatus.Success, rig.Client.Af!, null, null, request));
        Assert.Throws<CoNdisStateException>(() => Ndis5.MCmRequest(rig.Client.Af!, null, null, request)); // the AF's miniport is not a 5.x MCM
    }

    [Theory]
    [InlineData(ClientKind.Native)]
    [InlineData(ClientKind.Legacy)]
    public void A_MiniportCoRequest_the_5x_miniport_pends_completes_to_the_asker_with_NdisMCoRequestComplete(ClientKind client)
    {
        using var rig = new CallControlRig(client, CallManagerKind.LegacyIntegrated);
        var mcm = (LegacyMcmMiniport)rig.Miniport;
        mcm.PendRequests = true;
        Assert.Equal(NdisStatus.Pending, rig.Client.QueryMiniport(NdisOid.GenMaximumFrameSize, out _));
        Assert.DoesNotContain("RequestComplete Success", rig.Client.Events);
        Assert.Equal(1, mcm.CompletePendedRequests());
        Assert.Contains("RequestComplete Success", rig.Client.Events);
        Assert.Equal(mcm.MaximumFrameSize, rig.Client.LastRequestAnswer);
        rig.AssertNoFindings();
    }
}
