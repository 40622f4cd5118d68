using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.TestDrivers.Legacy;

namespace CoNdis.LegacyPacket.Tests;

/// <summary>The steady state allocates nothing per packet (ARCHITECTURE.md, speed rules).</summary>
public sealed class ZeroAllocationTests
{
    [Fact]
    public void Allocate_chain_query_copy_send_indicate_return_and_free_allocate_zero_bytes_after_warm_up()
    {
        var ndis = Strict.Handle("zero");
        var packets = Strict.PacketPool(ndis, 8);
        var buffers = Strict.BufferPool(ndis, 16);
        var data = Strict.Pattern(3000);
        var miniport = new LegacyTestMiniport(ndis, receivePackets: 1) { RecordSentFrames = false }; // completes every send inline
        var client = new CountingLegacyClient { ReceiveReferences = 1 }; // holds each normal receive for one NdisReturnPackets
        var binding = new LegacyCoBinding(ndis, miniport, null, client, null);
        Ndis5.CoCreateVc(binding, null, null, out var vc);
        Ndis5.CmActivateVc(vc!, null);
        var array = new NdisPacket[2];

        void Loop()
        {
            Ndis5.AllocatePacket(out _, out var p, packets);
            Ndis5.AllocatePacket(out _, out var q, packets);
            Ndis5.AllocateBuffer(out _, out var b1, buffers, data, 1500);
            Ndis5.AllocateBuffer(out _, out var b2, buffers, data.Slice(1500), 1500);
            Ndis5.CopyBuffer(out _, out var b3, buffers, b1!, 100, 200);
            Ndis5.AllocateBuffer(out _, out var b4, buffers, data.Slice(2000), 1000);
            Ndis5.ChainBufferAtBack(p!, b1!);
            Ndis5.ChainBufferAtFront(p!, b2!);
            Ndis5.ChainBufferAtBack(q!, b4!);
            Ndis5.QueryPacket(p!, out _, out _, out _, out _);
            Ndis5.ChainBufferAtBack(p!, b3!);
            Ndis5.QueryPacket(p!, out _, out _, out _, out _);
            Ndis5.QueryPacketLength(p!, out _);
            Ndis5.GetFirstBufferFromPacket(p!, out _, out _, out _, out _);
            Ndis5.SetPacketCancelId(p!, 7);
            p!.Extension.Checksum = new NdisTcpIpChecksumPacketInfo { NdisPacketChecksumV4 = true };
            Ndis5.CopyFromPacketToPacket(q!, 10, 500, p!, 1400, out _);
            array[0] = p!;
            array[1] = q!;
            Ndis5.CoSendPackets(vc!, array, 2);
            q!.Status = NdisStatus.Resources;
            p!.Status = NdisStatus.Success;
            Ndis5.MCoIndicateReceivePacket(vc!, array, 2);
            Ndis5.ReturnPackets(array, 1);
            Ndis5.UnchainBufferAtBack(p!, out var u3);
            Ndis5.UnchainBufferAtFront(p!, out var u2);
            Ndis5.UnchainBufferAtFront(p!, out var u1);
            Ndis5.UnchainBufferAtFront(q!, out var u4);
            Ndis5.FreeBuffer(u1!);
            Ndis5.FreeBuffer(u2!);
            Ndis5.FreeBuffer(u3!);
            Ndis5.FreeBuffer(u4!);
            Ndis5.FreePacket(p!);
            Ndis5.FreePacket(q!);
        }

        for (int i = 0; i < 200; i++)
            Loop();
        int windows = 0;
        long allocated = CoNdis.TestDrivers.Allocations.Minimum(() =>
        {
            windows++;
            for (int i = 0; i < 10_000; i++)
                Loop();
        });
        Assert.Equal(0, allocated);
        long loops = 200 + (10_000L * windows);
        Assert.Equal(2 * loops, client.Completed); // both packets sent and completed every time
        Assert.Equal(0, client.Failed);
        Assert.Equal(2 * loops, client.Received);
        Assert.Equal(loops, miniport.ForeignReturns); // the normal receive came back once; the RESOURCES one was reclaimed
        Assert.Equal(0u, Ndis5.PacketPoolUsage(packets));
        Assert.Equal(0, buffers.Counters.Outstanding);
        Assert.Equal(0, ndis.Verifier.FindingCount);
    }
}
