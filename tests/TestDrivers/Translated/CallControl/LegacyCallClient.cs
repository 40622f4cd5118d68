using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.LegacyPacket.Samples;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;
using CoNdis.Translation.Adapters;

namespace CoNdis.TestDrivers.Translated.CallControl;

/// <summary>
/// The client role played by the ported 5.x client sample over a <see cref="LegacyClientAdapter"/>: every action is
/// one of the sample's NDIS 5 calls (NdisClOpenAddressFamily, NdisCoCreateVc, NdisClMakeCall, …); the role only maps
/// the sample's 5.x VC to the runtime VC the tests look at.
/// </summary>
public sealed class LegacyCallClient : ICallClient
{
    public LegacyCallClient(CoNdisRuntime runtime, CoMiniportAdapter adapter)
    {
        Sample = new LegacyCoClientSample(new NdisHandle("5.x call client", runtime.Verifier));
        Adapter = new LegacyClientAdapter(runtime, adapter, "5.x call client", Sample, protocolBindingContext: Sample);
    }

    public LegacyCoClientSample Sample { get; }

    public LegacyClientAdapter Adapter { get; }

    public CoBinding Binding => Adapter.Binding;

    public IReadOnlyList<string> Events => Sample.CallEvents;

    public NdisStatus IncomingCallAnswer
    {
        get => Sample.IncomingCallAnswer;
        set => Sample.IncomingCallAnswer = value;
    }

    public CoAfHandle? Af => Sample.AfHandle;

    public CoSapHandle? Sap => Sample.SapHandle;

    public VirtualConnection? CallVc => Sample.Vc is { } vc ? LegacyClientAdapter.RuntimeVcOf(vc) : null;

    public CoParty? FirstParty => Sample.Party;

    public uint LastRequestAnswer => Sample.LastRequestAnswer;

    public uint ClientInfo => Sample.ClientInfo;

    public bool PendRequests
    {
        get => Sample.PendRequests;
        set => Sample.PendRequests = value;
    }

    public int SendsCompleted => (int)Sample.SendCompletions;

    public int SendsFailed => (int)Sample.FailedSends;

    public IReadOnlyList<byte[]> Received => [.. Sample.ReceivedFrames];

    public NdisStatus OpenAf(CoAddressFamily addressFamily) => Sample.OpenAddressFamily(Adapter.LegacyBinding, addressFamily);

    public NdisStatus RegisterSap(CoSap sap) => Sample.RegisterSap(sap);

    public NdisStatus DeregisterSap() => Sample.DeregisterSap();

    public NdisStatus CloseAf() => Sample.CloseAddressFamily();

    public NdisStatus MakeCall(CoCallParameters callParameters, object? partyContext, out VirtualConnection vc)
    {
        var status = Sample.MakeCall(callParameters, partyContext);
        vc = CallVc ?? throw new InvalidOperationException($"the sample created no VC ({status})");
        return status;
    }

    public NdisStatus MakeCallAgain(VirtualConnection vc, CoCallParameters callParameters)
    {
        RequireCall(vc);
        return Sample.MakeCallAgain(callParameters);
    }

    public NdisStatus CloseCall(VirtualConnection vc, CoParty? party)
    {
        RequireCall(vc);
        return Sample.CloseCall(party);
    }

    public NdisStatus DeleteVc(VirtualConnection vc)
    {
        RequireCall(vc);
        return Sample.DeleteVc();
    }

    public NdisStatus AddParty(VirtualConnection vc, object? partyContext, CoCallParameters callParameters, out CoParty? party)
    {
        RequireCall(vc);
        return Sample.AddParty(partyContext, callParameters, out party);
    }

    public NdisStatus DropParty(CoParty party) => Sample.DropParty(party);

    public NdisStatus ModifyCallQoS(VirtualConnection vc, CoCallParameters callParameters)
    {
        RequireCall(vc);
        return Sample.ModifyCallQoS(callParameters);
    }

    public NdisStatus QueryCallManager(uint oid) => Sample.QueryCallManager(oid, new NdisRequest(NdisRequestType.QueryInformation, oid, new byte[4]));

    public NdisStatus QueryMiniport(uint oid, out uint value)
    {
        // NdisCoRequest(NdisBindingHandle, NULL, NULL, NULL, &Request): no AF, so the miniport answers.
        var request = new NdisRequest(NdisRequestType.QueryInformation, oid, new byte[4]);
        var status = LegacyPacket.Ndis5.CoRequest(Adapter.LegacyBinding, null, null, null, request);
        value = status == NdisStatus.Success ? request.ReadUInt32() : 0;
        return status;
    }

    public void Send(VirtualConnection vc, byte[] frame)
    {
        RequireCall(vc);
        var memory = NdisMemory.AllocatePinned(frame.Length);
        frame.CopyTo(memory.Span);
        Sample.Send(memory);
    }

    private void RequireCall(VirtualConnection vc)
    {
        if (!ReferenceEquals(CallVc, vc))
            throw new InvalidOperationException($"{vc} is not the 5.x client's current call ({CallVc}).");
    }
}
