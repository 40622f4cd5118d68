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
    private NdisHandle _handle = null!;
    private NdisPacketPool _packets = null!;
    private NdisBufferPool _buffers = null!;

    public void Initialize(NdisHandle miniportAdapterHandle)
    {
        _handle = miniportAdapterHandle;
        Ndis5.AllocatePacketPool(out _, out var packets, 64, 16, _handle);
        Ndis5.AllocateBufferPool(out _, out _buffers, 64, _handle);
        _packets = packets!;
    }

    public bool HoldSends { get; set; }

    public bool Loopback { get; set; }

    public Queue<NdisPacket> Held { get; } = new();

    public NdisPacket NewBarePacket()
    {
        Ndis5.AllocatePacket(out _, out var packet, _packets);
        return packet!;
    }

    public NdisPacket NewPacket(byte[] frame)
    {
        Ndis5.AllocatePacket(out _, out var packet, _packets);
        var memory = NdisMemory.AllocatePinned(frame.Length);
        frame.CopyTo(memory.Span);
        Ndis5.AllocateBuffer(out _, out var buffer, _buffers, memory, (uint)frame.Length);
        Ndis5.ChainBufferAtBack(packet!, buffer!);
        return packet!;
    }

    public void FreePacket(NdisPacket packet)
    {
        Ndis5.UnchainBufferAtFront(packet, out var buffer);
        if (buffer is not null)
            Ndis5.FreeBuffer(buffer);
        Ndis5.FreePacket(packet);
    }

    public void FreePools()
    {
        Ndis5.FreePacketPool(_packets);
        Ndis5.FreeBufferPool(_buffers);
        Initialize(_handle); // fresh ones, so traffic can go on
    }

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
            var echo = Loopback ? NewPacket(Bytes(packet)) : null;
            Ndis5.MCoSendComplete(NdisStatus.Success, vc, packet);
            if (echo is not null)
                Indicate(vc, echo);
        }
    }

    public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet) => FreePacket(packet);

    private static byte[] Bytes(NdisPacket packet)
    {
        Ndis5.QueryPacket(packet, out _, out _, out var buffer, out uint total);
        var bytes = new byte[total];
        int at = 0;
        for (; buffer is not null; Ndis5.GetNextBuffer(buffer, out buffer))
        {
            Ndis5.QueryBuffer(buffer, out var va, out uint length);
            va.Span[..(int)length].CopyTo(bytes.AsSpan(at));
            at += (int)length;
        }
        return bytes;
    }
}
