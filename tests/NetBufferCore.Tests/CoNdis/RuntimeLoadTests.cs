using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;
using CoNdis.TestDrivers;

namespace CoNdis.NetBufferCore.Tests.CoNdis;

/// <summary>Concurrency and steady state of the send path (measured alone: see <see cref="AllocationCollection"/>).</summary>
[Collection(nameof(AllocationCollection))]
public sealed class RuntimeLoadTests
{
    private static (NativeTestMiniport Miniport, CountingClient Client, VirtualConnection Vc, CoNdisRuntime Runtime) Setup(SendCompletion completion, int poolCapacity)
    {
        var runtime = new CoNdisRuntime();
        var miniport = new NativeTestMiniport { SendCompletion = completion, RecordSentFrames = false };
        var adapter = miniport.Register(runtime);
        new TestCallManager().Bind(runtime, adapter);
        var client = new CountingClient();
        var binding = client.Bind(runtime, adapter);
        client.FreeTo = new NetBufferListPool(binding.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 64 }, poolCapacity);
        runtime.ClOpenAddressFamilyEx(binding, TestCallManager.AddressFamily, null, out var af);
        runtime.CoCreateVc(binding, af, null, out var vc);
        Assert.Equal(NdisStatus.Success, runtime.ClMakeCall(vc!, ConformanceRig.CallParameters, null, out _));
        return (miniport, client, vc!, runtime);
    }

    [Fact]
    public async Task Four_threads_send_a_million_nbls_and_each_completes_exactly_once_on_another_thread()
    {
        const int threads = 4, perThread = 250_000, batch = 32;
        var (miniport, client, vc, runtime) = Setup(SendCompletion.Thread, poolCapacity: 8192);
        using var _ = miniport;
        var once = client.CompletionsBySequence = new int[threads * perThread];
        var senders = Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            int sent = 0;
            while (sent < perThread)
            {
                NetBufferList? head = null;
                int n = 0;
                for (; n < batch && sent + n < perThread; n++)
                {
                    var nbl = client.FreeTo!.AllocateNetBufferList();
                    if (nbl is null)
                        break; // pool dry: send what we have, the completions refill it
                    nbl.Info.HashValue = (uint)(t * perThread + sent + n);
                    nbl.SourceHandle = vc;
                    nbl.Next = head;
                    head = nbl;
                }
                if (head is not null)
                    Ndis.CoSendNetBufferLists(vc, head, SendFlags.None);
                else
                    Thread.Yield();
                sent += n;
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(240), TestContext.Current.CancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (client.Completed < threads * perThread && DateTime.UtcNow < deadline)
            await Task.Delay(5, TestContext.Current.CancellationToken);
        Assert.Equal(threads * perThread, client.Completed);
        Assert.All(once, c => Assert.Equal(1, c));
        Assert.Equal(0, vc.OutstandingSends);
        Assert.Equal(0, client.FreeTo!.Counters.Outstanding);
        Assert.Equal(0, runtime.Verifier.FindingCount);
    }

    [Fact]
    public void A_steady_send_and_complete_loop_on_an_active_vc_allocates_nothing()
    {
        var (miniport, client, vc, runtime) = Setup(SendCompletion.Inline, poolCapacity: 64);
        using var _ = miniport;
        var pool = client.FreeTo!;
        client.FreeTo = null; // the sender keeps its NBLs for the next round
        var chain = new NetBufferList[32];
        for (int i = 0; i < chain.Length; i++)
            chain[i] = pool.AllocateNetBufferList()!;
        void SendBatch()
        {
            for (int i = 0; i < chain.Length; i++)
            {
                chain[i].Next = i + 1 < chain.Length ? chain[i + 1] : null;
                chain[i].SourceHandle = vc;
            }
            Ndis.CoSendNetBufferLists(vc, chain[0], SendFlags.None);
        }
        for (int i = 0; i < 1000; i++)
            SendBatch();
        int windows = 0;
        long allocated = global::CoNdis.TestDrivers.Allocations.Minimum(() =>
        {
            windows++;
            for (int i = 0; i < 20_000; i++)
                SendBatch();
        });
        Assert.Equal(0, allocated);
        Assert.Equal((1000L + 20_000L * windows) * chain.Length, client.Completed);
        Assert.Equal(0, runtime.Verifier.FindingCount); // the verifier was on the whole time
    }
}
