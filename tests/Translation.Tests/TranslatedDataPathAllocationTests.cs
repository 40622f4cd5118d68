using CoNdis.Conformance;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;
using CoNdis.Translation.Adapters;

namespace CoNdis.Translation.Tests;

/// <summary>The translated data path in steady state: an NBL client over a 5.x miniport allocates nothing per NBL.</summary>
public sealed class TranslatedDataPathAllocationTests
{
    /// <summary>A 5.x miniport (Ndis5 only) that completes every packet inside MiniportCoSendPackets.</summary>
    private sealed class InlineLegacyMiniport : ILegacyCoMiniport
    {
        public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, LegacyCoVc ndisVcHandle, out object? miniportVcContext)
        {
            miniportVcContext = ndisVcHandle;
            return NdisStatus.Success;
        }

        public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => NdisStatus.Success;

        public NdisStatus MiniportCoActivateVc(object? miniportVcContext, object? callParameters) => NdisStatus.Success;

        public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => NdisStatus.Success;

        public void MiniportCoSendPackets(object? miniportVcContext, NdisPacket[] packetArray, uint numberOfPackets)
        {
            var vc = (LegacyCoVc)miniportVcContext!;
            for (int i = 0; i < numberOfPackets; i++)
                Ndis5.MCoSendComplete(NdisStatus.Success, vc, packetArray[i]);
        }

        public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet)
        {
        }
    }

    /// <summary>A client that counts completions and keeps its NBLs for the next round.</summary>
    private sealed class CountingClient : QuietCoClient
    {
        public long Completed;


        public override void CoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
        {
            for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
            {
                if (nbl.Status != NdisStatus.Success)
                    throw new InvalidOperationException($"{nbl} completed with {nbl.Status}");
                Completed++;
            }
        }

    }

    [Fact]
    public void A_steady_send_and_complete_loop_through_a_5x_miniport_allocates_nothing_per_nbl()
    {
        var runtime = new CoNdisRuntime();
        var handle = new NdisHandle("translated", runtime.Verifier);
        var adapter = new LegacyMiniportAdapter(handle, new InlineLegacyMiniport(), null).Register(runtime, "5.x inline");
        new TestCallManager().Bind(runtime, adapter);
        var client = new CountingClient();
        var binding = runtime.OpenAdapter(adapter, "client", client);
        runtime.ClOpenAddressFamilyEx(binding, TestCallManager.AddressFamily, null, out var af);
        runtime.CoCreateVc(binding, af, null, out var vc);
        Assert.Equal(NdisStatus.Success, runtime.ClMakeCall(vc!, ConformanceRig.CallParameters, null, out _));

        // 32 NBLs of 2 NBs each, each NB over 2 MDLs with the data starting inside the first: partial MDLs every time.
        var nbls = new NetBufferListPool(binding.Handle, new NetBufferListPoolParameters());
        var nbs = new NetBufferPool(binding.Handle, new NetBufferPoolParameters());
        var chain = new NetBufferList[32];
        for (int i = 0; i < chain.Length; i++)
        {
            chain[i] = nbls.AllocateNetBufferList()!;
            var first = Frames.Build(binding.Handle, nbs, Frames.Make(i, 514), 2);
            first.Advance(14, false, null);
            first.Next = Frames.Build(binding.Handle, nbs, Frames.Make(i + 100, 300), 2);
            chain[i].FirstNetBuffer = first;
        }
        void Round()
        {
            for (int i = 0; i < chain.Length; i++)
            {
                chain[i].Next = i + 1 < chain.Length ? chain[i + 1] : null;
                chain[i].SourceHandle = vc;
            }
            Ndis.CoSendNetBufferLists(vc!, chain[0], SendFlags.None);
        }
        for (int i = 0; i < 200; i++)
            Round();
        int windows = 0;
        long allocated = CoNdis.Testing.Allocations.Minimum(() =>
        {
            windows++;
            for (int i = 0; i < 5_000; i++)
                Round();
        });
        Assert.Equal(0, allocated);
        Assert.Equal((200L + 5_000L * windows) * chain.Length, client.Completed);
        Assert.Equal(0, runtime.Verifier.FindingCount);
        var legacy = (LegacyMiniportAdapter)adapter.Miniport;
        Assert.True(legacy.IsIdle);
        Assert.True(legacy.Counters.PartialMdls > 0);
        Assert.Equal(0, legacy.Counters.BytesCopied);
    }
}
