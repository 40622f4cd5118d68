using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.TestDrivers;

namespace CoNdis.NetBufferCore.Tests.CoNdis;

/// <summary>A runtime with a scripted miniport, the test call manager and a scripted client, with a call up (unless told not to).</summary>
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
