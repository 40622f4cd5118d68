using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;
using CoNdis.TestDrivers;
using CoNdis.TestDrivers.Legacy;
using CoNdis.Translation.Adapters;

namespace CoNdis.Translation.Tests;

/// <summary>The translated data path in steady state allocates nothing per NBL, in either direction.</summary>
public sealed class TranslatedDataPathAllocationTests
{
    [Fact]
    public void A_steady_send_and_complete_loop_through_a_5x_miniport_allocates_nothing_per_nbl()
    {
        var runtime = new CoNdisRuntime();
        var handle = new NdisHandle("translated", runtime.Verifier);
        var driver = new LegacyTestMiniport(handle) { RecordSentFrames = false }; // completes inline, keeps nothing
        var adapter = new LegacyMiniportAdapter(handle, driver, null).Register(runtime, "5.x inline");
        new TestCallManager().Bind(runtime, adapter);
        var client = new CountingClient { RequireSuccess = true };
        var binding = client.Bind(runtime, adapter);
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
            var first = TestFrames.Build(binding.Handle, nbs, TestFrames.Make(i, 514), 2);
            first.Advance(14, false, null);
            first.Next = TestFrames.Build(binding.Handle, nbs, TestFrames.Make(i + 100, 300), 2);
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
        long allocated = Allocations.Minimum(() =>
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
        // Every NB starts 14 bytes into its first MDL (a partial MDL each) and the second NB of each NBL is whole.
        Assert.Equal((200L + 5_000L * windows) * chain.Length, legacy.Counters.PartialMdls);
        Assert.Equal(0, legacy.Counters.BytesCopied);
    }

    [Fact]
    public void A_steady_receive_and_return_loop_to_a_5x_client_allocates_nothing_per_nbl()
    {
        var runtime = new CoNdisRuntime();
        var miniport = new NativeTestMiniport { RecordSentFrames = false };
        var adapter = miniport.Register(runtime, "keeping");
        new TestCallManager().Bind(runtime, adapter);
        var client = new CountingLegacyClient(); // releases each receive at once (count 0)
        var translation = new LegacyClientAdapter(runtime, adapter, "5.x client", client, null);
        runtime.ClOpenAddressFamilyEx(translation.Binding, TestCallManager.AddressFamily, null, out var af);
        Assert.Equal(NdisStatus.Success, translation.CreateVc(af!, null, out var vc));
        Assert.Equal(NdisStatus.Success, runtime.ClMakeCall(vc!.Runtime, ConformanceRig.CallParameters, null, out _));
        // The test's own receive NBLs, indicated through the miniport's adapter: the miniport counts them back and keeps nothing.
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
        Assert.Equal(0, Allocations.Minimum(() =>
        {
            windows++;
            for (int i = 0; i < 2_000; i++)
                Round();
        }));
        long expected = (200L + 2_000L * windows) * chain.Length;
        Assert.Equal(expected, client.Received);
        Assert.Equal(expected, miniport.ForeignReturns);
        Assert.True(translation.IsIdle);
        Assert.Equal(0, runtime.Verifier.FindingCount);
    }
}
