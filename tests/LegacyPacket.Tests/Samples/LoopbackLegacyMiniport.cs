using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Memory;

namespace CoNdis.LegacyPacket.Tests.Samples;

/// <summary>
/// An NDIS 5.x CoNDIS miniport written only against <see cref="Ndis5"/>, for the ported-client tests:
/// it queues sends per VC in wire order, completes them on demand (as a send-complete interrupt would),
/// loops each sent frame back as a receive copied into its own receive packets, indicates with
/// NDIS_STATUS_RESOURCES when its receive packets run low, reclaims RESOURCES packets when the
/// indication returns and the others in MiniportReturnPacket, and cancels queued sends by cancel id.
/// </summary>
internal sealed class LoopbackLegacyMiniport : ILegacyCoMiniport, ILegacyMiniportCancelSendPackets
{
    private const int FrameSize = 2048;

    private sealed class MiniportVc(LegacyCoVc ndisVcHandle)
    {
        public LegacyCoVc NdisVcHandle { get; } = ndisVcHandle;
        public Queue<NdisPacket> Sends { get; } = new();
        public bool Active { get; set; }
    }

    private readonly NdisPacketPool _receivePackets;
    private readonly NdisBufferPool _receiveBuffers;
    private readonly NdisMemory _receiveArea;
    private readonly Stack<int> _freeSlots = new();
    private readonly NdisPacket[] _indicate = new NdisPacket[1];
    private readonly List<MiniportVc> _vcs = [];

    public LoopbackLegacyMiniport(NdisHandle ndis, uint receivePackets = 8)
    {
        // NdisAllocatePacketPoolEx(&Status, &Adapter->RecvPacketPool, RECV_PACKETS, 0, PROTOCOL_RESERVED_SIZE_IN_PACKET);
        Ndis5.AllocatePacketPoolEx(out var status, out var pool, receivePackets, 0, (uint)NdisPacket.ProtocolReservedSizeInPacket, ndis);
        Assert.Equal(NdisStatus.Success, status);
        _receivePackets = pool!;
        // NdisAllocateBufferPool(&Status, &Adapter->RecvBufferPool, RECV_PACKETS);
        Ndis5.AllocateBufferPool(out status, out _receiveBuffers, receivePackets, ndis);
        _receiveArea = NdisMemory.AllocatePinned(FrameSize * (int)receivePackets);
        for (int i = (int)receivePackets - 1; i >= 0; i--)
            _freeSlots.Push(i);
    }

    /// <summary>MiniportAdapterHandle NDIS gave the miniport (the binding in the direct legacy model).</summary>
    public LegacyCoBinding? AdapterHandle { get; set; }

    /// <summary>Loop each successfully sent frame back as a receive on the same VC.</summary>
    public bool Loopback { get; set; } = true;

    /// <summary>Indicate with NDIS_STATUS_RESOURCES when this many receive packets or fewer are left.</summary>
    public int LowWater { get; set; }

    public int ReturnedPackets { get; private set; }

    public int ReclaimedAtIndicationReturn { get; private set; }

    public int QueuedSends => _vcs.Sum(v => v.Sends.Count);

    public uint ReceivePacketsInUse => Ndis5.PacketPoolUsage(_receivePackets);

    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, LegacyCoVc ndisVcHandle, out object? miniportVcContext)
    {
        var vc = new MiniportVc(ndisVcHandle);
        _vcs.Add(vc);
        miniportVcContext = vc;
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext)
    {
        _vcs.Remove((MiniportVc)miniportVcContext!);
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, object? callParameters)
    {
        ((MiniportVc)miniportVcContext!).Active = true;
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext)
    {
        ((MiniportVc)miniportVcContext!).Active = false;
        return NdisStatus.Success;
    }

    public void MiniportCoSendPackets(object? miniportVcContext, NdisPacket[] packetArray, uint numberOfPackets)
    {
        var vc = (MiniportVc)miniportVcContext!;
        // for (i = 0; i < NumberOfPackets; i++) InsertTailList(&pVc->SendQueue, MP_RSVD(PacketArray[i])->Link);
        for (int i = 0; i < (int)numberOfPackets; i++)
            vc.Sends.Enqueue(packetArray[i]);
    }

    /// <summary>The "transmit done" interrupt: completes every queued send, in wire order.</summary>
    public void CompleteSends(NdisStatus status = NdisStatus.Success)
    {
        foreach (var vc in _vcs)
        {
            while (vc.Sends.TryDequeue(out var packet))
            {
                if (Loopback && status == NdisStatus.Success)
                    IndicateCopyOf(vc, packet);
                // NdisMCoSendComplete(Status, pVc->NdisVcHandle, pPacket);
                Ndis5.MCoSendComplete(status, vc.NdisVcHandle, packet);
            }
        }
    }

    public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet)
    {
        ReturnedPackets++;
        Reclaim(packet);
    }

    public void MiniportCancelSendPackets(object? miniportAdapterContext, nint cancelId)
    {
        foreach (var vc in _vcs)
        {
            int count = vc.Sends.Count;
            for (int i = 0; i < count; i++)
            {
                var packet = vc.Sends.Dequeue();
                // if (NDIS_GET_PACKET_CANCEL_ID(pPacket) == CancelId) NdisMCoSendComplete(NDIS_STATUS_SEND_ABORTED, …);
                if (Ndis5.GetPacketCancelId(packet) == cancelId)
                    Ndis5.MCoSendComplete(NdisStatus.SendAborted, vc.NdisVcHandle, packet);
                else
                    vc.Sends.Enqueue(packet);
            }
        }
    }

    /// <summary>Frees the miniport's pools (MiniportHalt).</summary>
    public void Halt()
    {
        Ndis5.FreePacketPool(_receivePackets);
        Ndis5.FreeBufferPool(_receiveBuffers);
    }

    private void IndicateCopyOf(MiniportVc vc, NdisPacket sent)
    {
        if (_freeSlots.Count == 0)
            return; // out of receive buffers: the frame is dropped
        int slot = _freeSlots.Pop();
        // NdisAllocatePacket(&Status, &pRecv, Adapter->RecvPacketPool);
        Ndis5.AllocatePacket(out var status, out var receive, _receivePackets);
        Assert.Equal(NdisStatus.Success, status);
        // NdisAllocateBuffer(&Status, &pBuffer, Adapter->RecvBufferPool, Adapter->RecvArea + Slot * FRAME, FRAME);
        Ndis5.AllocateBuffer(out status, out var buffer, _receiveBuffers, _receiveArea.Slice(slot * FrameSize, FrameSize), FrameSize);
        Assert.Equal(NdisStatus.Success, status);
        receive!.MiniportReservedEx[0] = slot;
        Ndis5.ChainBufferAtFront(receive, buffer!);
        // (the "DMA" of the wire frame into the receive buffer)
        Ndis5.CopyFromPacketToPacket(receive, 0, FrameSize, sent, 0, out uint length);
        Ndis5.AdjustBufferLength(buffer!, length);
        receive.Private.ValidCounts = false;     // NDIS_PACKET_VALID_COUNTS(pRecv) = FALSE;
        receive.HeaderSize = 0;                  // NDIS_SET_PACKET_HEADER_SIZE(pRecv, 0);
        bool low = (int)(_receivePackets.Capacity - ReceivePacketsInUse) <= LowWater;
        // NDIS_SET_PACKET_STATUS(pRecv, low ? NDIS_STATUS_RESOURCES : NDIS_STATUS_SUCCESS);
        receive.Status = low ? NdisStatus.Resources : NdisStatus.Success;
        _indicate[0] = receive;
        // NdisMCoIndicateReceivePacket(pVc->NdisVcHandle, &pRecv, 1);
        Ndis5.MCoIndicateReceivePacket(vc.NdisVcHandle, _indicate, 1);
        _indicate[0] = null!;
        // Remembered before indicating, never read from the packet afterwards: a RESOURCES packet is ours again.
        if (low)
        {
            ReclaimedAtIndicationReturn++;
            Reclaim(receive);
        }
        // NdisMCoReceiveComplete(Adapter->MiniportAdapterHandle);
        Ndis5.MCoReceiveComplete(AdapterHandle!);
    }

    private void Reclaim(NdisPacket packet)
    {
        int slot = (int)packet.MiniportReservedEx[0]!;
        Ndis5.UnchainBufferAtFront(packet, out var buffer);
        Ndis5.AdjustBufferLength(buffer!, FrameSize);
        Ndis5.FreeBuffer(buffer!);
        Ndis5.FreePacket(packet);
        _freeSlots.Push(slot);
    }
}
