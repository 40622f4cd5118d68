using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Memory;

namespace CoNdis.TestDrivers.Legacy;

/// <summary>
/// A 5.x CoNDIS miniport written against <see cref="Ndis5"/> that tests script step by step (and make break rules): it
/// allocates its pools in <see cref="Initialize"/> with its MiniportAdapterHandle, completes sends inline unless told
/// to hold them, and with loopback echoes each frame back.
/// </summary>
public sealed class LegacyRuleBreakingMiniport : ILegacyCoMiniport
{

    /// <summary>The driver's pools and the packets it makes from them.</summary>
    public LegacyPacketPools Pools { get; } = new();

    /// <summary>Allocates the pools with the handle NDIS gave the driver.</summary>
    public void Initialize(NdisHandle miniportAdapterHandle) => Pools.Allocate(miniportAdapterHandle);

    public bool HoldSends { get; set; }

    public bool Loopback { get; set; }

    public Queue<NdisPacket> Held { get; } = new();





    public void Indicate(LegacyCoVc vc, NdisPacket packet)
    {
        Ndis5.MCoIndicateReceivePacket(vc, [packet], 1);
        Ndis5.MCoReceiveComplete(vc.Binding);
    }

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
        {
            var packet = packetArray[i];
            if (HoldSends)
            {
                Held.Enqueue(packet);
                continue;
            }
            var echo = Loopback ? Pools.NewPacket(LegacyFrames.Bytes(packet)) : null;
            Ndis5.MCoSendComplete(NdisStatus.Success, vc, packet);
            if (echo is not null)
                Indicate(vc, echo);
        }
    }

    public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet) => LegacyPacketPools.FreePacket(packet);

}
