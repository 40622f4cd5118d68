using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.TestDrivers.Legacy;

namespace CoNdis.LegacyPacket.Tests;

/// <summary>NdisReturnPackets from many threads on the direct legacy binding.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Packets_returned_from_several_threads_reach_MiniportReturnPacket_exactly_once()
    {
        const int packets = 2000;
        var ndis = Strict.Handle("concurrent");
        var pool = Strict.PacketPool(ndis, packets);
        using var work = new System.Collections.Concurrent.BlockingCollection<NdisPacket>();
        var miniport = new LegacyScriptedMiniport();
        var client = new LegacyScriptedClient
        {
            OnReceive = p =>
            {
                for (int i = 0; i < 3; i++)
                    work.Add(p); // three other threads will each return it once, maybe before this handler returns
                return 3;
            },
        };
        var binding = new LegacyCoBinding(ndis, miniport, null, client, null);
        Ndis5.CoCreateVc(binding, null, null, out var vc);
        Ndis5.CmActivateVc(vc!, null);
        var returners = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var one = new NdisPacket[1];
            foreach (var packet in work.GetConsumingEnumerable())
            {
                one[0] = packet;
                Ndis5.ReturnPackets(one, 1);
            }
        })).ToArray();
        var all = new NdisPacket[packets];
        var array = new NdisPacket[1];
        for (int i = 0; i < packets; i++)
        {
            all[i] = Strict.Packet(pool);
            array[0] = all[i];
            Ndis5.MCoIndicateReceivePacket(vc!, array, 1);
        }
        work.CompleteAdding();
        await Task.WhenAll(returners);
        // Each packet reached MiniportReturnPacket exactly once, after its third return.
        Assert.Equal(all.OrderBy(p => p.PoolIndex), miniport.Returned.OrderBy(p => p.PoolIndex));
        Assert.Equal(0, vc!.OutstandingReceives);
        Assert.Equal(0, ndis.Verifier.FindingCount);
    }
}
