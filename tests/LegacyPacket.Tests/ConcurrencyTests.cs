using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;

namespace CoNdis.LegacyPacket.Tests;

public sealed class ConcurrencyTests
{
    private sealed class Counting : ILegacyCoMiniport, ILegacyCoClient
    {
        private readonly int[] _returns;
        private readonly Action<NdisPacket> _hand;

        public Counting(int packets, Action<NdisPacket> hand)
        {
            _returns = new int[packets];
            _hand = hand;
        }

        public int ReturnsOf(NdisPacket packet) => Volatile.Read(ref _returns[packet.PoolIndex]);
        public NdisStatus MiniportCoCreateVc(object? c, LegacyCoVc h, out object? v) { v = null; return NdisStatus.Success; }
        public NdisStatus MiniportCoDeleteVc(object? v) => NdisStatus.Success;
        public NdisStatus MiniportCoActivateVc(object? v, object? p) => NdisStatus.Success;
        public NdisStatus MiniportCoDeactivateVc(object? v) => NdisStatus.Success;
        public void MiniportCoSendPackets(object? v, NdisPacket[] a, uint n) { }
        public void MiniportReturnPacket(object? c, NdisPacket packet) => Interlocked.Increment(ref _returns[packet.PoolIndex]);
        public void ProtocolCoSendComplete(NdisStatus s, object? vc, NdisPacket p) { }

        public uint ProtocolCoReceivePacket(object? b, object? vc, NdisPacket packet)
        {
            _hand(packet); // three other threads will each return it once, maybe before this returns
            return 3;
        }

        public void ProtocolCoStatus(object? b, object? vc, NdisStatus s, byte[]? buffer, uint size) { }
        public void ProtocolReceiveComplete(object? b) { }
    }

    [Fact]
    public async Task Packets_returned_from_several_threads_reach_MiniportReturnPacket_exactly_once()
    {
        const int packets = 2000;
        var ndis = Strict.Handle("concurrent");
        var pool = Strict.PacketPool(ndis, packets);
        using var work = new System.Collections.Concurrent.BlockingCollection<NdisPacket>();
        var driver = new Counting(packets, p =>
        {
            for (int i = 0; i < 3; i++)
                work.Add(p);
        });
        var binding = new LegacyCoBinding(ndis, driver, null, driver, null);
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
        Assert.All(all, p => Assert.Equal(1, driver.ReturnsOf(p)));
        Assert.Equal(0, vc!.OutstandingReceives);
        Assert.Equal(0, ndis.Verifier.FindingCount);
    }
}
