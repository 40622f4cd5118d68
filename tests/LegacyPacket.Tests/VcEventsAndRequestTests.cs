using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.LegacyPacket.Tests;

public sealed class VcEventsAndRequestTests
{
    private sealed class PendingMiniport : ILegacyCoMiniport, ILegacyMiniportCoRequest
    {
        public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, LegacyCoVc ndisVcHandle, out object? miniportVcContext)
        {
            miniportVcContext = "vc";
            return NdisStatus.Success;
        }

        public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => NdisStatus.Success;

        public NdisStatus MiniportCoActivateVc(object? miniportVcContext, object? callParameters) => NdisStatus.Pending;

        public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => NdisStatus.Pending;

        public void MiniportCoSendPackets(object? miniportVcContext, NdisPacket[] packetArray, uint numberOfPackets)
        {
        }

        public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet)
        {
        }

        public NdisStatus MiniportCoRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest ndisRequest) =>
            ndisRequest.Oid == NdisOid.GenMaximumFrameSize ? ndisRequest.WriteUInt32(9180) : NdisStatus.NotSupported;
    }

    private sealed class ListeningClient : ILegacyCoClient, ILegacyCoVcEvents
    {
        public List<string> Events { get; } = [];

        public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
        {
        }

        public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet) => 0;

        public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
        {
        }

        public void ProtocolReceiveComplete(object? protocolBindingContext)
        {
        }

        public void ProtocolCmActivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle, object? callParameters) => Events.Add($"activated {status} {callParameters}");

        public void ProtocolCmDeactivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle) => Events.Add($"deactivated {status}");
    }

    [Fact]
    public void Pended_activation_and_deactivation_completions_reach_the_party_that_activates()
    {
        var client = new ListeningClient();
        var binding = new LegacyCoBinding(Strict.Handle(), new PendingMiniport(), null, client, null);
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
        var binding = new LegacyCoBinding(Strict.Handle(), new PendingMiniport(), null, new ListeningClient(), null);
        var request = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.GenMaximumFrameSize, 4);
        Assert.Equal(NdisStatus.Success, Ndis5.CoRequest(binding, null, null, null, request));
        Assert.Equal(9180u, request.ReadUInt32());
        var other = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.GenLinkSpeed, 8);
        Assert.Equal(NdisStatus.NotSupported, Ndis5.CoRequest(binding, null, null, null, other));
    }
}
