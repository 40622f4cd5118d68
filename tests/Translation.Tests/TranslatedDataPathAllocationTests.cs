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


        public override void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
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

    /// <summary>A native miniport that keeps its receive NBLs for the next indication.</summary>
    private sealed class KeepingMiniport : ICoMiniport
    {
        public long Returned;

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
            for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
                Returned++;
        }
    }

    /// <summary>A 5.x client (Ndis5 only) that takes each receive and releases it at once (count 0).</summary>
    private sealed class ReleasingLegacyClient : ILegacyCoClient
    {
        public long Received;

        public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
        {
        }

        public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
        {
            Received++;
            return 0;
        }

        public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
        {
        }

        public void ProtocolReceiveComplete(object? protocolBindingContext)
        {
        }
    }

    [Fact]
    public void A_steady_receive_and_return_loop_to_a_5x_client_allocates_nothing_per_nbl()
    {
        var runtime = new CoNdisRuntime();
        var miniport = new KeepingMiniport();
        var adapter = runtime.RegisterMiniport("keeping", miniport);
        new TestCallManager().Bind(runtime, adapter);
        var client = new ReleasingLegacyClient();
        var translation = new LegacyClientAdapter(runtime, adapter, "5.x client", client, null);
        runtime.ClOpenAddressFamilyEx(translation.Binding, TestCallManager.AddressFamily, null, out var af);
        Assert.Equal(NdisStatus.Success, translation.CreateVc(af!, null, out var vc));
        Assert.Equal(NdisStatus.Success, runtime.ClMakeCall(vc!.Runtime, ConformanceRig.CallParameters, null, out _));
        var pool = new NetBufferListPool(adapter.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 1514 });
        var chain = new NetBufferList[32];
        for (int i = 0; i < chain.Length; i++)
            chain[i] = pool.AllocateNetBufferList()!;
        void Round()
        {
            for (int i = 0; i < chain.Length; i++)
            {
                chain[i].Next = i + 1 < chain.Length ? chain[i + 1] : null;
                chain[i].SourceHandle = vc.Runtime;
            }
            Ndis.MCoIndicateReceiveNetBufferLists(vc.Runtime, chain[0], chain.Length, ReceiveFlags.None);
        }
        for (int i = 0; i < 200; i++)
            Round();
        int windows = 0;
        Assert.Equal(0, CoNdis.Testing.Allocations.Minimum(() =>
        {
            windows++;
            for (int i = 0; i < 2_000; i++)
                Round();
        }));
        long expected = (200L + 2_000L * windows) * chain.Length;
        Assert.Equal(expected, client.Received);
        Assert.Equal(expected, miniport.Returned);
        Assert.True(translation.IsIdle);
        Assert.Equal(0, runtime.Verifier.FindingCount);
    }
}
