using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.LegacyPacket.Samples;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.Translation.Adapters;

namespace CoNdis.TestDrivers.Translated.CallControl;

/// <summary>The call-manager role played by the ported 5.x call manager sample bound as a protocol (NdisCmRegisterAddressFamily) through a <see cref="LegacyClientAdapter"/>.</summary>
public sealed class LegacyStandAloneCallManager : ICallManager
{
    public LegacyStandAloneCallManager(CoNdisRuntime runtime, CoMiniportAdapter adapter)
    {
        Sample = new LegacyPointToPointCallManager();
        Adapter = new LegacyClientAdapter(runtime, adapter, "5.x call manager", Sample, protocolBindingContext: Sample);
        var status = Sample.Register(Adapter.LegacyBinding);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCmRegisterAddressFamily: {status}");
    }

    public LegacyPointToPointCallManager Sample { get; }

    public LegacyClientAdapter Adapter { get; }

    public IReadOnlyList<string> Events => Sample.Events;

    public bool PendCalls
    {
        get => Sample.PendCalls;
        set => Sample.PendCalls = value;
    }

    public uint CallsConnected => Sample.CallsConnected;

    public uint LastRequestAnswer => Sample.LastRequestAnswer;

    public VirtualConnection OfferIncomingCall(CoCallParameters callParameters) => LegacyClientAdapter.RuntimeVcOf(Sample.OfferIncomingCall(callParameters));

    public void RemoteClose(VirtualConnection vc) => Sample.RemoteClose(Adapter.CallManagerVcOf(vc));

    public NdisStatus RemoteQoSChange(VirtualConnection vc, CoCallParameters callParameters) => Sample.RemoteQoSChange(Adapter.CallManagerVcOf(vc), callParameters);

    public void RemoteDropParty(CoParty party) => Sample.RemoteDropParty(party);

    public NdisStatus QueryClient(uint oid) => Sample.QueryClient(oid, new NdisRequest(NdisRequestType.QueryInformation, oid, new byte[4]));

    public NdisStatus DeleteIncomingVc(VirtualConnection vc) => Sample.DeleteIncomingVc(Adapter.CallManagerVcOf(vc));
}
