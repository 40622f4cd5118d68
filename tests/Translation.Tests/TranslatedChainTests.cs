using CoNdis.Conformance;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.Translation.Adapters;
using CoNdis.Translation.Tests.Legacy;

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
        var packets = Enumerable.Range(0, 8).Select(i => rig.Miniport.NewPacket(Frames.Make(i, 60 + i))).ToArray();
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
            Miniport = new ChainSpyMiniport(runtime);
            new TestCallManager().Bind(runtime, Miniport.Adapter);
            Translation = new LegacyClientAdapter(runtime, Miniport.Adapter, "5.x client", Client, protocolBindingContext: Client);
            Client.Initialize(Translation.Binding.Handle);
            Ndis.ClOpenAddressFamilyEx(Translation.Binding, TestCallManager.AddressFamily, Client, out var af);
            Assert.Equal(NdisStatus.Success, Translation.CreateVc(af!, Client, out var vc));
            Assert.Equal(NdisStatus.Success, Ndis.ClMakeCall(vc!.Runtime, ConformanceRig.CallParameters, null, out _));
            Vc = vc.Runtime;
        }

        public ChainSpyMiniport Miniport { get; }

        public ScriptedLegacyClient Client { get; } = new();

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
            Client = new ChainSpyClient(runtime, adapter);
            Ndis.ClOpenAddressFamilyEx(Client.Binding, TestCallManager.AddressFamily, Client, out var af);
            Ndis.CoCreateVc(Client.Binding, af, Client, out var vc);
            Assert.Equal(NdisStatus.Success, Ndis.ClMakeCall(vc!, ConformanceRig.CallParameters, null, out _));
            Vc = vc!;
        }

        public ScriptedLegacyMiniport Miniport { get; } = new();

        public LegacyMiniportAdapter Translation { get; }

        public ChainSpyClient Client { get; }

        public VirtualConnection Vc { get; }

        public void Dispose() => Assert.True(Translation.IsIdle);
    }

    /// <summary>A native client that sends chains of NBLs and records the length of every chain it gets back or up.</summary>
    private sealed class ChainSpyClient : QuietCoClient
    {
        private readonly NetBufferListPool _nbls;
        private readonly NetBufferPool _nbs;

        public ChainSpyClient(CoNdisRuntime runtime, CoMiniportAdapter adapter)
        {
            Binding = runtime.OpenAdapter(adapter, "chain spy client", this, this);
            _nbls = new NetBufferListPool(Binding.Handle, new NetBufferListPoolParameters(), 256, "spy NBLs");
            _nbs = new NetBufferPool(Binding.Handle, new NetBufferPoolParameters(), 1024, "spy NBs");
        }

        public CoBinding Binding { get; }

        public List<int> CompletionChains { get; } = [];

        public List<int> ReceiveChains { get; } = [];

        public void Send(VirtualConnection vc, int nbls, int nbsPerNbl)
        {
            NetBufferList? head = null;
            for (int i = nbls - 1; i >= 0; i--)
            {
                var nbl = _nbls.AllocateNetBufferList()!;
                NetBuffer? first = null;
                for (int j = nbsPerNbl - 1; j >= 0; j--)
                {
                    var nb = Frames.Build(Binding.Handle, _nbs, Frames.Make(i * 10 + j, 80), 1);
                    nb.Next = first;
                    first = nb;
                }
                nbl.FirstNetBuffer = first;
                nbl.Next = head;
                head = nbl;
            }
            Ndis.CoSendNetBufferLists(vc, head, SendFlags.None);
        }

        public override void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
        {
            int count = 0;
            for (var nbl = netBufferLists; nbl is not null;)
            {
                var next = nbl.Next;
                Assert.Equal(NdisStatus.Success, nbl.Status);
                for (var nb = nbl.FirstNetBuffer; nb is not null;)
                {
                    var nextNb = nb.Next;
                    nb.Next = null;
                    Frames.Free(nb);
                    nb = nextNb;
                }
                nbl.FirstNetBuffer = null;
                nbl.Next = null;
                Ndis.FreeNetBufferList(nbl);
                count++;
                nbl = next;
            }
            CompletionChains.Add(count);
        }

        public override void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
            int numberOfNetBufferLists, ReceiveFlags receiveFlags)
        {
            ReceiveChains.Add(numberOfNetBufferLists);
            Ndis.ReturnNetBufferLists(Binding, netBufferLists, ReturnFlags.None);
        }
    }

    /// <summary>A native miniport that indicates chains of one-NB NBLs and records the length of every chain returned to it.</summary>
    private sealed class ChainSpyMiniport : ICoMiniport
    {
        private readonly NetBufferListPool _nbls;

        public ChainSpyMiniport(CoNdisRuntime runtime)
        {
            Adapter = runtime.RegisterMiniport("chain spy miniport", this, this);
            _nbls = new NetBufferListPool(Adapter.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 256 }, 256, "spy receive NBLs");
        }

        public CoMiniportAdapter Adapter { get; }

        public List<int> ReturnChains { get; } = [];

        public void Indicate(VirtualConnection vc, int count)
        {
            NetBufferList? head = null;
            for (int i = count - 1; i >= 0; i--)
            {
                var nbl = _nbls.AllocateNetBufferList()!;
                var frame = Frames.Make(i, 64 + i % 100);
                var mdl = nbl.FirstNetBuffer!.MdlChain!;
                frame.CopyTo(mdl.Span);
                mdl.AdjustLength(frame.Length);
                nbl.FirstNetBuffer.Initialize(mdl, 0, frame.Length);
                nbl.Next = head;
                head = nbl;
            }
            Ndis.MCoIndicateReceiveNetBufferLists(vc, head!, count, ReceiveFlags.None);
        }

        public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, VirtualConnection ndisVcHandle, out object? miniportVcContext)
        {
            miniportVcContext = ndisVcHandle;
            return NdisStatus.Success;
        }

        public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => NdisStatus.Success;

        public NdisStatus MiniportCoActivateVc(object? miniportVcContext, CoCallParameters callParameters) => NdisStatus.Success;

        public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => NdisStatus.Success;

        public void MiniportCoSendNetBufferLists(object? miniportVcContext, NetBufferList netBufferLists, SendFlags sendFlags) =>
            Ndis.MCoSendNetBufferListsComplete((VirtualConnection)miniportVcContext!, netBufferLists, SendCompleteFlags.None);

        public void MiniportReturnNetBufferLists(object? miniportAdapterContext, NetBufferList netBufferLists, ReturnFlags returnFlags)
        {
            int count = 0;
            for (var nbl = netBufferLists; nbl is not null;)
            {
                var next = nbl.Next;
                nbl.Next = null;
                var mdl = nbl.FirstNetBuffer!.MdlChain!;
                mdl.AdjustLength(256);
                Ndis.FreeNetBufferList(nbl);
                count++;
                nbl = next;
            }
            ReturnChains.Add(count);
        }
    }
}
