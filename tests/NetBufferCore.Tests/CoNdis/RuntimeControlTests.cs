using CoNdis.NetBufferCore.CoNdis;
using CoNdis.TestDrivers;

namespace CoNdis.NetBufferCore.Tests.CoNdis;

/// <summary>Control-path DDIs beyond the conformance suite's call flows.</summary>
public sealed class RuntimeControlTests
{
    [Fact]
    public void Address_family_registration_is_announced_to_every_bound_client()
    {
        using var rig = ConformanceRig.NativeInline();
        var client = (NativeTestClient)rig.Client;
        Assert.Contains(TestCallManager.AddressFamily, client.AnnouncedFamilies);
        var second = new CoAddressFamily(CoAddressFamily.Ppp, 1, 0);
        Assert.Equal(NdisStatus.Success, Ndis.CmRegisterAddressFamilyEx(rig.CallManager.Binding, second));
        Assert.Contains(second, client.AnnouncedFamilies);
        Assert.Equal(NdisStatus.Failure, Ndis.CmRegisterAddressFamilyEx(rig.CallManager.Binding, second)); // one CM per AF
    }

    [Fact]
    public void A_status_on_a_vc_reaches_its_protocol_and_an_adapter_status_reaches_every_binding()
    {
        using var rig = ConformanceRig.NativeInline();
        var client = (NativeTestClient)rig.Client;
        var vc = rig.MakeCall();
        Ndis.MCoIndicateStatusEx(rig.Miniport.Adapter, vc, new NdisStatusIndication(NdisStatusIndication.LinkState, "vc"));
        Ndis.MCoIndicateStatusEx(rig.Miniport.Adapter, null, new NdisStatusIndication(NdisStatusIndication.MediaDisconnect, null));
        Assert.Equal([NdisStatusIndication.LinkState, NdisStatusIndication.MediaDisconnect], client.StatusIndications.Select(s => s.StatusCode));
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
    }

    [Fact]
    public void Modify_call_qos_reactivates_the_vc_with_the_new_parameters()
    {
        using var rig = ConformanceRig.NativeInline();
        var vc = rig.MakeCall();
        var faster = CoCallParameters.BestEffort(4470);
        Assert.Equal(NdisStatus.Success, Ndis.ClModifyCallQoS(vc, faster));
        Assert.Same(faster, vc.CallParameters);
        Assert.Equal(ActivationState.Active, vc.Activation);
        rig.CloseCall(vc);
        Assert.Throws<CoNdisStateException>(() => Ndis.ClModifyCallQoS(vc, faster));
        Ndis.CoDeleteVc(vc);
    }

    [Fact]
    public void A_remote_party_drop_reaches_the_client_and_the_last_party_becomes_an_incoming_close()
    {
        using var rig = ConformanceRig.NativeInline();
        var client = (NativeTestClient)rig.Client;
        var vc = rig.MakeCall(partyContext: "root leaf");
        Ndis.ClAddParty(vc, "second leaf", ConformanceRig.CallParameters, out var second);
        Ndis.CmDispatchIncomingDropParty(NdisStatus.Success, second, ReadOnlyMemory<byte>.Empty);
        Assert.Contains("IncomingDropParty Success", client.Events);
        Assert.Single(vc.Parties);
        Ndis.CmDispatchIncomingDropParty(NdisStatus.Success, vc.Parties.Single(), ReadOnlyMemory<byte>.Empty);
        Assert.Contains("IncomingCloseCall Success", client.Events);
        Assert.Equal(VcState.IncomingClose, vc.State);
        rig.CloseCall(vc);
        Ndis.CoDeleteVc(vc);
    }
}
