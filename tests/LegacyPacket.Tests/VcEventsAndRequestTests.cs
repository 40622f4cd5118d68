using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.TestDrivers.Legacy;

namespace CoNdis.LegacyPacket.Tests;

/// <summary>Pended activation events and MiniportCoRequest on the direct legacy binding.</summary>
public sealed class VcEventsAndRequestTests
{
    [Fact]
    public void Pended_activation_and_deactivation_completions_reach_the_party_that_activates()
    {
        var client = new LegacyScriptedClient();
        var binding = new LegacyCoBinding(Strict.Handle(), new LegacyTestMiniport(Strict.Handle()) { PendActivate = true, PendDeactivate = true }, null, client, null);
        Assert.Equal(NdisStatus.Success, Ndis5.CoCreateVc(binding, null, null, out var vc));
        Assert.Equal(NdisStatus.Pending, Ndis5.CmActivateVc(vc!, "parameters"));
        Ndis5.MCoActivateVcComplete(NdisStatus.Success, vc!, "parameters");
        Assert.Equal(LegacyVcState.Active, vc!.State);
        Assert.Equal(NdisStatus.Pending, Ndis5.CmDeactivateVc(vc));
        Ndis5.MCoDeactivateVcComplete(NdisStatus.Success, vc);
        Assert.Equal(["activated Success parameters", "deactivated Success"], client.Events);
    }

    [Fact]
    public void CoRequest_reaches_MiniportCoRequest_and_is_not_supported_without_one()
    {
        var binding = new LegacyCoBinding(Strict.Handle(), new LegacyTestMiniport(Strict.Handle()), null, new LegacyScriptedClient(), null);
        var request = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.GenMaximumFrameSize, 4);
        Assert.Equal(NdisStatus.Success, Ndis5.CoRequest(binding, null, null, null, request));
        Assert.Equal(9180u, request.ReadUInt32());
        // The same query to a miniport without a MiniportCoRequest handler: NDIS answers NOT_SUPPORTED for it.
        var withoutHandler = new LegacyCoBinding(Strict.Handle(), new LegacyScriptedMiniport(), null, new LegacyScriptedClient(), null);
        var unanswered = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.GenMaximumFrameSize, 4);
        Assert.Equal(NdisStatus.NotSupported, Ndis5.CoRequest(withoutHandler, null, null, null, unanswered));
        Assert.Equal(0, unanswered.BytesWritten);
    }
}
