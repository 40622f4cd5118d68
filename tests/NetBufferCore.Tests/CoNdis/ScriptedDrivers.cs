using CoNdis.Conformance;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore.Tests.CoNdis;

/// <summary>A miniport the test drives by hand: it keeps what it is sent and does what the test says, rules or not.</summary>
internal sealed class ScriptedMiniport : ICoMiniport
{
    public List<NetBufferList> Sent { get; } = [];

    public List<NetBufferList> Returned { get; } = [];

    public NdisStatus DeactivateAnswer { get; set; } = NdisStatus.Success;

    public bool CompleteInline { get; set; }

    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, VirtualConnection ndisVcHandle, out object? miniportVcContext)
    {
        miniportVcContext = ndisVcHandle;
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => NdisStatus.Success;

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, CoCallParameters callParameters) => NdisStatus.Success;

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => DeactivateAnswer;

    public void MiniportCoSendNetBufferLists(object? miniportVcContext, NetBufferList netBufferLists, SendFlags sendFlags)
    {
        if (CompleteInline)
        {
            Ndis.MCoSendNetBufferListsComplete((VirtualConnection)miniportVcContext!, netBufferLists, SendCompleteFlags.None);
            return;
        }
        foreach (var nbl in netBufferLists.Chain)
            Sent.Add(nbl);
    }

    public void MiniportReturnNetBufferLists(object? miniportAdapterContext, NetBufferList netBufferLists, ReturnFlags returnFlags)
    {
        foreach (var nbl in netBufferLists.Chain)
            Returned.Add(nbl);
    }
}

/// <summary>A client that keeps every NBL it gets back (so the test can misuse it) and returns nothing on its own.</summary>
internal sealed class ScriptedClient : QuietCoClient
{
    public List<NetBufferList> Completed { get; } = [];

    public List<NetBufferList> Received { get; } = [];


    public override void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        foreach (var nbl in netBufferLists.Chain)
        {
            nbl.Next = null;
            Completed.Add(nbl);
        }
    }

    public override void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists, int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        foreach (var nbl in netBufferLists.Chain)
            Received.Add(nbl);
    }
}

/// <summary>A runtime with a scripted miniport, the test call manager and a scripted client, with a call up.</summary>
internal sealed class ScriptedRig
{
    public ScriptedRig(VerifierMode mode = VerifierMode.Strict, bool connect = true)
    {
        Verifier = new NdisVerifier(mode);
        Runtime = new CoNdisRuntime(Verifier);
        Adapter = Runtime.RegisterMiniport("scripted", Miniport);
        CallManager.Bind(Runtime, Adapter);
        Binding = Runtime.OpenAdapter(Adapter, "scripted client", Client);
        Runtime.ClOpenAddressFamilyEx(Binding, TestCallManager.AddressFamily, null, out var af);
        Af = af!;
        Runtime.CoCreateVc(Binding, Af, null, out var vc);
        Vc = vc!;
        if (connect)
            Runtime.ClMakeCall(Vc, ConformanceRig.CallParameters, null, out _);
        Pool = new NetBufferListPool(Binding.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 128 });
    }

    public NdisVerifier Verifier { get; }

    public CoNdisRuntime Runtime { get; }

    public ScriptedMiniport Miniport { get; } = new();

    public ScriptedClient Client { get; } = new();

    public TestCallManager CallManager { get; } = new();

    public CoMiniportAdapter Adapter { get; }

    public CoBinding Binding { get; }

    public CoAfHandle Af { get; }

    public VirtualConnection Vc { get; }

    public NetBufferListPool Pool { get; }

    public NetBufferList Nbl() => Pool.AllocateNetBufferList()!;
}
