using CoNdis.TestDrivers;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.Translation.Adapters;
using CoNdis.TestDrivers.Legacy;

namespace CoNdis.Translation.Tests;

/// <summary>
/// A chain in is a chain out across translation: a received NBL chain reaches a 5.x client as packet arrays, the
/// packets it gives straight back return as one chain, a 5.x miniport's packet array goes up as one NBL chain, and the
/// sends it completes inline go up as one completion.
/// </summary>
public sealed class TranslatedChainTests
{
    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(32, new[] { 32 })]
    [InlineData(64, new[] { 64 })]
    [InlineData(100, new[] { 64, 36 })]
    public void A_received_nbl_chain_reaches_a_5x_client_as_packet_arrays_of_up_to_64_and_comes_back_as_one_chain(int nbls, int[] arrays)
    {
        using var rig = new SpyMiniportRig();
        rig.Miniport.Indicate(rig.Vc, nbls);
        Assert.Equal(arrays, rig.Client.ArraySizes);
        Assert.Equal(nbls, rig.Client.Received.Count);
        Assert.Equal([nbls], rig.Miniport.ReturnChains); // the count-0 returns: one NdisReturnNetBufferLists
        Assert.Equal(0, rig.Vc.OutstandingReceives);
    }

    [Fact]
    public void Sends_a_5x_miniport_completes_inline_go_up_as_one_completion_of_the_whole_chain()
    {
        using var rig = new SpyClientRig();
        rig.Client.Send(rig.Vc, nbls: 8, nbsPerNbl: 3);
        Assert.Equal([8], rig.Client.CompletionChains);
        Assert.Equal(0, rig.Vc.OutstandingSends);
    }

    [Fact]
    public void A_5x_miniports_packet_array_goes_up_as_one_nbl_chain()
    {
        using var rig = new SpyClientRig();
        var packets = Enumerable.Range(0, 8).Select(i => rig.Miniport.Pools.NewPacket(TestFrames.Make(i, 60 + i))).ToArray();
        Ndis5.MCoIndicateReceivePacket(LegacyMiniportAdapter.LegacyVcOf(rig.Vc), packets, (uint)packets.Length);
        Assert.Equal([8], rig.Client.ReceiveChains);
        Assert.Equal(0, rig.Vc.OutstandingReceives);
    }

    /// <summary>A runtime with a native miniport that records its return chains, the test call manager, and a 5.x client over translation.</summary>
    private sealed class SpyMiniportRig : IDisposable
    {
        public SpyMiniportRig()
        {
            var runtime = new CoNdisRuntime(new NdisVerifier());
            Miniport = new ChainRecordingMiniport(runtime);
            new TestCallManager().Bind(runtime, Miniport.Adapter);
            Translation = new LegacyClientAdapter(runtime, Miniport.Adapter, "5.x client", Client, protocolBindingContext: Client);
            Client.Initialize(Translation.Binding.Handle);
            Ndis.ClOpenAddressFamilyEx(Translation.Binding, TestCallManager.AddressFamily, Client, out var af);
            Assert.Equal(NdisStatus.Success, Translation.CreateVc(af!, Client, out var vc));
            Assert.Equal(NdisStatus.Success, Ndis.ClMakeCall(vc!.Runtime, ConformanceRig.CallParameters, null, out _));
            Vc = vc.Runtime;
        }

        public ChainRecordingMiniport Miniport { get; }

        public LegacyRuleBreakingClient Client { get; } = new();

        public LegacyClientAdapter Translation { get; }

        public VirtualConnection Vc { get; }

        public void Dispose() => Assert.True(Translation.IsIdle);
    }

    /// <summary>A runtime with a 5.x miniport under translation (inline completions), the test call manager, and a native client that records its chains.</summary>
    private sealed class SpyClientRig : IDisposable
    {
        public SpyClientRig()
        {
            var runtime = new CoNdisRuntime(new NdisVerifier());
            Translation = new LegacyMiniportAdapter(new NdisHandle("5.x miniport"), Miniport, miniportAdapterContext: Miniport);
            var adapter = Translation.Register(runtime, "5.x miniport");
            Miniport.Initialize(Translation.LegacyBinding.Ndis);
            new TestCallManager().Bind(runtime, adapter);
            Client = new ChainRecordingClient(runtime, adapter);
            Ndis.ClOpenAddressFamilyEx(Client.Binding, TestCallManager.AddressFamily, Client, out var af);
            Ndis.CoCreateVc(Client.Binding, af, Client, out var vc);
            Assert.Equal(NdisStatus.Success, Ndis.ClMakeCall(vc!, ConformanceRig.CallParameters, null, out _));
            Vc = vc!;
        }

        public LegacyRuleBreakingMiniport Miniport { get; } = new();

        public LegacyMiniportAdapter Translation { get; }

        public ChainRecordingClient Client { get; }

        public VirtualConnection Vc { get; }

        public void Dispose() => Assert.True(Translation.IsIdle);
    }
}
