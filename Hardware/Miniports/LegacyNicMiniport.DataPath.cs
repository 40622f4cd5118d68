using CoNdis.Hardware.Nic;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;

namespace CoNdis.Hardware.Miniports;

// The 5.x miniport's data path, in a frame's order: MiniportCoSendPackets queues packets (linked through
// MiniportReservedEx, the CoNDIS miniport's part of the packet), TransmitQueuedSends maps each packet's buffer chain
// onto transmit descriptors (the SG list NDIS 5.1 would have put in ScatterGatherListPacketInfo, built by the DMA
// adapter when NDIS did not), the DPC completes each packet with NdisMCoSendComplete and indicates received frames in
// arrays of pre-allocated packets (status RESOURCES when buffers run low), MiniportReturnPacket reposts them.
public sealed partial class LegacyNicMiniport
{
    private static readonly object s_heldByProtocol = new();

    private struct TxSlot
    {
        /// <summary>The packet whose last descriptor this is.</summary>
        public NdisPacket? Packet;
        /// <summary>On a frame's first descriptor: the SG list in _txLists[slot] is ours and freed at completion.</summary>
        public bool OwnsList;
    }

    private readonly TxSlot[] _txSlots;
    private readonly ScatterGatherList[] _txLists;
    private readonly NdisPacket?[] _rxSlots;
    private readonly NdisPacket[] _receivePackets;
    private readonly NdisPacket[] _indicateArray;

    private NdisPacket? _pendingSends;
    private int _txGuard;
    private int _txRetry;
    private NdisPacket? _waitHead;
    private NdisPacket? _waitTail;
    private uint _txTail;
    private uint _txClean;

    private NdisPacket? _returnedReceives;
    private int _rxGuard;
    private int _rxRetry;
    private uint _rxTail;
    private uint _rxClean;

    private long _sends, _sendsSucceeded, _sendsFailed, _indicated, _indicatedWithResources, _returned, _discarded, _resets, _hangs;
    private long _signalsSent, _signalsReceived;

    private static LegacyNicVc VcOf(NdisPacket packet) => (LegacyNicVc)packet.MiniportReservedEx[0]!;

    private static NdisPacket? NextOf(NdisPacket packet) => (NdisPacket?)packet.MiniportReservedEx[1];

    private static void SetNext(NdisPacket packet, NdisPacket? next) => packet.MiniportReservedEx[1] = next;

    /// <summary>
    /// MiniportCoSendPackets: the array is wire order and is the caller's again when this returns, so each packet is
    /// linked into the miniport's send queue through its MiniportReservedEx. Packets that cannot go complete at once
    /// (NdisMCoSendComplete): RESET_IN_PROGRESS, MEDIA_DISCONNECTED, VC_NOT_ACTIVATED, INVALID_LENGTH.
    /// </summary>
    public void MiniportCoSendPackets(object? miniportVcContext, NdisPacket[] packetArray, uint numberOfPackets)
    {
        ArgumentNullException.ThrowIfNull(packetArray);
        var vc = (LegacyNicVc)miniportVcContext!;
        NdisStatus refusal = _resetInProgress ? NdisStatus.ResetInProgress
            : !_mediaConnected ? NdisStatus.MediaDisconnected
            : Volatile.Read(ref vc.TransmitChannel) < 0 ? NdisStatus.VcNotActivated
            : NdisStatus.Success;
        NdisPacket? head = null, tail = null;
        int limit = Nic.Options.MaximumFrameSize;
        Interlocked.Add(ref _sends, numberOfPackets);
        for (int i = 0; i < (int)numberOfPackets; i++)
        {
            var packet = packetArray[i];
            var status = refusal;
            if (status == NdisStatus.Success)
            {
                Ndis5.QueryPacketLength(packet, out uint length);
                if (length == 0 || length + (packet.Extension.Ieee8021Q.Value != 0 ? 4 : 0) > limit)
                    status = NdisStatus.InvalidLength;
            }
            if (status != NdisStatus.Success)
            {
                Interlocked.Increment(ref _sendsFailed);
                Ndis5.MCoSendComplete(status, vc.Vc!, packet);
                continue;
            }
            packet.MiniportReservedEx[0] = vc;
            SetNext(packet, null);
            if (tail is null)
                head = packet;
            else
                SetNext(tail, packet);
            tail = packet;
        }
        if (head is null)
            return;
        QueuePackets(head);
        TransmitQueuedSends();
    }

    /// <summary>
    /// Pushes a list of packets (linked through MiniportReservedEx[1]) onto the lock-free pending stack: its head
    /// carries the previous top in MiniportReservedEx[2], so the list keeps its order.
    /// </summary>
    private void QueuePackets(NdisPacket head)
    {
        NdisPacket? top;
        do
        {
            top = Volatile.Read(ref _pendingSends);
            head.MiniportReservedEx[2] = top;
        }
        while (Interlocked.CompareExchange(ref _pendingSends, head, top) != top);
    }

    /// <summary>Whoever holds the transmit guard maps queued packets onto descriptors; the doorbell rings after the guard is let go.</summary>
    private void TransmitQueuedSends()
    {
        while (true)
        {
            if (Interlocked.CompareExchange(ref _txGuard, 1, 0) != 0)
            {
                Volatile.Write(ref _txRetry, 1);
                if (Interlocked.CompareExchange(ref _txGuard, 1, 0) != 0)
                    return;
            }
            bool posted;
            List<NdisPacket>? failed = null;
            try
            {
                Volatile.Write(ref _txRetry, 0);
                TakePendingSends();
                posted = PostWaitingPackets(ref failed);
            }
            finally
            {
                Volatile.Write(ref _txGuard, 0);
            }
            if (posted)
                Nic.RingTransmitDoorbell();
            if (failed is not null)
            {
                foreach (var packet in failed)
                    CompletePacket(packet, NdisStatus.Resources);
            }
            if (Volatile.Read(ref _pendingSends) is null && Volatile.Read(ref _txRetry) == 0)
                return;
        }
    }

    private void TakePendingSends()
    {
        var top = Interlocked.Exchange(ref _pendingSends, null);
        NdisPacket? oldest = null;
        while (top is not null)
        {
            var below = (NdisPacket?)top.MiniportReservedEx[2];
            top.MiniportReservedEx[2] = oldest;
            oldest = top;
            top = below;
        }
        for (var chain = oldest; chain is not null;)
        {
            var following = (NdisPacket?)chain.MiniportReservedEx[2];
            chain.MiniportReservedEx[2] = null;
            if (_waitTail is null)
                _waitHead = chain;
            else
                SetNext(_waitTail, chain);
            var tail = chain;
            while (NextOf(tail) is { } next)
                tail = next;
            _waitTail = tail;
            chain = following;
        }
    }

    /// <summary>
    /// Maps queued packets onto descriptors while the ring has room: the packet's SG list (its
    /// ScatterGatherListPacketInfo when NDIS supplied one, else built from NdisQueryPacket's buffer chain), one
    /// descriptor per element, the checksum and 802.1Q commands from the per-packet info.
    /// </summary>
    private bool PostWaitingPackets(ref List<NdisPacket>? failed)
    {
        var ring = Nic.TransmitRing;
        uint tail = _txTail;
        int room = ring.Size - (int)(tail - Volatile.Read(ref _txClean));
        bool posted = false;
        while (_waitHead is { } packet)
        {
            var list = packet.Extension.ScatterGatherList as ScatterGatherList;
            bool own = list is null;
            bool mapped;
            if (own)
            {
                list = _txLists[tail & ring.Mask];
                Ndis5.QueryPacket(packet, out _, out _, out var first, out uint length);
                mapped = room > 0 && Nic.Dma.BuildScatterGatherList(first, 0, (int)length, list);
            }
            else
            {
                mapped = true;
            }
            if (mapped && list!.NumberOfElements > room)
            {
                if (own)
                    Nic.Dma.FreeScatterGatherList(list);
                mapped = false;
            }
            if (!mapped)
            {
                if (TransmitRingFull == TransmitRingFullPolicy.CompleteWithResources)
                {
                    DequeueWaiting(packet);
                    (failed ??= []).Add(packet);
                    continue;
                }
                break;
            }
            var vc = VcOf(packet);
            var command = TransmitCommand(packet.Extension.Checksum, packet.Extension.Ieee8021Q, out ushort tci);
            int channel = Volatile.Read(ref vc.TransmitChannel);
            int elements = list!.NumberOfElements;
            for (int k = 0; k < elements; k++)
            {
                var element = list[k];
                ring[tail + (uint)k] = new NicTxDescriptor
                {
                    BufferAddress = element.Address,
                    Length = element.Length,
                    Command = (k == 0 ? command : NicTxCommand.None) | (k == elements - 1 ? NicTxCommand.EndOfPacket : NicTxCommand.None),
                    VlanTag = tci,
                    Channel = channel,
                };
            }
            _txSlots[tail & ring.Mask].OwnsList = own;
            _txSlots[(tail + (uint)elements - 1) & ring.Mask].Packet = packet;
            tail += (uint)elements;
            room -= elements;
            posted = true;
            DequeueWaiting(packet);
        }
        if (posted)
        {
            _txTail = tail;
            ring.Post(tail);
        }
        return posted;
    }

    private void DequeueWaiting(NdisPacket packet)
    {
        _waitHead = NextOf(packet);
        if (_waitHead is null)
            _waitTail = null;
        SetNext(packet, null);
    }

    /// <summary>Descriptor commands from NDIS_TCP_IP_CHECKSUM_PACKET_INFO (transmit) and NDIS_PACKET_8021Q_INFO.</summary>
    private static NicTxCommand TransmitCommand(NdisTcpIpChecksumPacketInfo checksum, Ieee8021QInfo tag, out ushort tci)
    {
        var command = NicTxCommand.None;
        if (checksum.Value != 0)
        {
            if (checksum.NdisPacketChecksumV4 && checksum.NdisPacketIpChecksum)
                command |= NicTxCommand.InsertIpChecksum;
            if (checksum.NdisPacketTcpChecksum)
                command |= NicTxCommand.InsertTcpChecksum;
            if (checksum.NdisPacketUdpChecksum)
                command |= NicTxCommand.InsertUdpChecksum;
        }
        tci = 0;
        if (tag.Value != 0)
        {
            tci = (ushort)((tag.UserPriority << 13) | (tag.CanonicalFormatId << 12) | tag.VlanId);
            command |= NicTxCommand.InsertVlan;
        }
        return command;
    }

    /// <summary>Completes every packet whose last descriptor the device wrote back, each with its own NdisMCoSendComplete.</summary>
    private void TransmitComplete()
    {
        var ring = Nic.TransmitRing;
        uint clean = _txClean;
        uint head = ring.Head;
        if (clean == head)
            return;
        int succeeded = 0, failed = 0;
        while (clean != head)
        {
            uint index = clean & ring.Mask;
            ref var slot = ref _txSlots[index];
            if (slot.OwnsList)
            {
                if (_txLists[index].IsBounced)
                    Nic.Dma.FreeScatterGatherList(_txLists[index]);
                slot.OwnsList = false;
            }
            var packet = slot.Packet;
            var status = ring[clean].Status;
            slot.Packet = null;
            clean++;
            if (packet is null)
                continue;
            Volatile.Write(ref _txClean, clean);
            if (VcOf(packet).Vc is null)
            {
                FreeSignal(packet); // the call manager's own signalling: back to its pool, nothing to complete
                continue;
            }
            var ndisStatus = status == NicTxStatus.Done ? NdisStatus.Success
                : status == NicTxStatus.NoCarrier ? NdisStatus.MediaDisconnected
                : status == NicTxStatus.FrameTooLong ? NdisStatus.InvalidLength
                : NdisStatus.Failure;
            if (ndisStatus == NdisStatus.Success)
                succeeded++;
            else
                failed++;
            var vc = VcOf(packet);
            packet.MiniportReservedEx[0] = null;
            Ndis5.MCoSendComplete(ndisStatus, vc.Vc!, packet);
        }
        Volatile.Write(ref _txClean, clean);
        Interlocked.Add(ref _sendsSucceeded, succeeded);
        if (failed > 0)
            Interlocked.Add(ref _sendsFailed, failed);
        if (_waitHead is not null || Volatile.Read(ref _pendingSends) is not null)
            TransmitQueuedSends();
    }

    private void CompletePacket(NdisPacket packet, NdisStatus status)
    {
        var vc = VcOf(packet);
        SetNext(packet, null);
        if (vc.Vc is null)
        {
            FreeSignal(packet);
            return;
        }
        packet.MiniportReservedEx[0] = null;
        if (status == NdisStatus.Success)
            Interlocked.Increment(ref _sendsSucceeded);
        else
            Interlocked.Increment(ref _sendsFailed);
        Ndis5.MCoSendComplete(status, vc.Vc!, packet);
    }

    /// <summary>
    /// MiniportCancelSendPackets: packets still in the driver's send queue whose cancel ID (NDIS_GET_PACKET_CANCEL_ID) is
    /// <paramref name="cancelId"/> complete with NDIS_STATUS_SEND_ABORTED; the ring's packets are the hardware's.
    /// </summary>
    public void MiniportCancelSendPackets(object? miniportAdapterContext, nint cancelId)
    {
        var cancelled = new List<NdisPacket>();
        AcquireGuard(ref _txGuard);
        try
        {
            TakePendingSends();
            NdisPacket? kept = null, keptTail = null;
            for (var packet = _waitHead; packet is not null;)
            {
                var next = NextOf(packet);
                SetNext(packet, null);
                if (VcOf(packet).Vc is not null && Ndis5.GetPacketCancelId(packet) == cancelId)
                {
                    cancelled.Add(packet);
                }
                else
                {
                    if (keptTail is null)
                        kept = packet;
                    else
                        SetNext(keptTail, packet);
                    keptTail = packet;
                }
                packet = next;
            }
            _waitHead = kept;
            _waitTail = keptTail;
        }
        finally
        {
            Volatile.Write(ref _txGuard, 0);
        }
        foreach (var packet in cancelled)
            CompletePacket(packet, NdisStatus.SendAborted);
    }

    private void AbortTransmits(NdisStatus status)
    {
        var aborted = new List<NdisPacket>();
        AcquireGuard(ref _txGuard);
        try
        {
            ReclaimTransmitSlots(aborted);
            TakePendingSends();
            FlushWaitQueue(aborted);
        }
        finally
        {
            Volatile.Write(ref _txGuard, 0);
        }
        foreach (var packet in aborted)
            CompletePacket(packet, status);
    }

    private void ReclaimTransmitSlots(List<NdisPacket> aborted)
    {
        uint mask = (uint)_txSlots.Length - 1;
        for (uint i = _txClean; i != _txTail; i++)
        {
            ref var slot = ref _txSlots[i & mask];
            if (slot.OwnsList && _txLists[i & mask].IsBounced)
                Nic.Dma.FreeScatterGatherList(_txLists[i & mask]);
            if (slot.Packet is { } packet)
                aborted.Add(packet);
            slot = default;
        }
        Volatile.Write(ref _txClean, _txTail);
    }

    private void FlushWaitQueue(List<NdisPacket> aborted)
    {
        while (_waitHead is { } packet)
        {
            DequeueWaiting(packet);
            aborted.Add(packet);
        }
    }

    // ---- Receive ------------------------------------------------------------------------------------------

    /// <summary>
    /// Indicates what the NIC wrote into posted packets: each packet's buffer trimmed to the frame
    /// (NdisAdjustBufferLength), checksum results and the stripped tag in its per-packet info, its status RESOURCES
    /// when few buffers are left posted, in arrays of one VC (NdisMCoIndicateReceivePacket), then
    /// NdisMCoReceiveComplete once. RESOURCES packets are reposted when the indication returns.
    /// </summary>
    private void ReceiveIndicate()
    {
        var ring = Nic.ReceiveRing;
        uint clean = _rxClean;
        uint head = ring.Head;
        if (clean == head)
            return;
        // While VCs looked up here are not yet indicated, no drain may finish (see IsDrained): marked before the first
        // channel lookup, with a full fence, and cleared once the last array is indicated.
        Interlocked.Exchange(ref _rxIndicating, 1);
        try
        {
            IndicateReceived(ring, clean, head);
        }
        finally
        {
            Volatile.Write(ref _rxIndicating, 0);
        }
    }

    /// <summary>1 while the DPC holds VCs it looked up by channel and has not indicated on yet.</summary>
    private int _rxIndicating;

    private void IndicateReceived(DescriptorRing<NicRxDescriptor> ring, uint clean, uint head)
    {
        uint mask = ring.Mask;
        LegacyNicVc? runVc = null;
        bool runResources = false;
        int count = 0;
        bool indicated = false;
        while (clean != head)
        {
            ref var descriptor = ref ring[clean];
            var packet = _rxSlots[clean & mask]!;
            _rxSlots[clean & mask] = null;
            clean++;
            int channel = descriptor.Channel;
            var vc = (uint)channel < (uint)_receiveChannels.Length ? Volatile.Read(ref _receiveChannels[channel]) : null;
            if (vc is null)
            {
                Interlocked.Increment(ref _discarded);
                PushReturned(packet, packet);
                continue;
            }
            if (vc.Vc is null)
            {
                KeepSignal(packet, descriptor.Length); // copied for the integrated call manager; the packet goes straight back
                PushReturned(packet, packet);
                continue;
            }
            bool resources = (int)(ring.Tail - clean) < ReceiveLowWater;
            if (!ReferenceEquals(vc, runVc) || resources != runResources || count == _indicateArray.Length)
            {
                IndicateRun(runVc, count, runResources);
                indicated |= count > 0;
                count = 0;
                runVc = vc;
                runResources = resources;
            }
            var buffer = packet.FirstBuffer!;
            Ndis5.AdjustBufferLength(buffer, (uint)descriptor.Length);
            Ndis5.RecalculatePacketCounts(packet);
            packet.Extension.Checksum = ReceiveChecksum(descriptor.Status);
            packet.Extension.Ieee8021Q = (descriptor.Status & NicRxStatus.VlanStripped) != 0 ? Tag(descriptor.VlanTag) : default;
            _indicateArray[count++] = packet;
        }
        _rxClean = clean;
        IndicateRun(runVc, count, runResources);
        indicated |= count > 0;
        if (indicated)
            Ndis5.MCoReceiveComplete(AdapterHandle);
        if (!InDpc)
            PostReceivePackets();
    }

    private void IndicateRun(LegacyNicVc? vc, int count, bool resources)
    {
        if (vc is null || count == 0)
            return;
        for (int i = 0; i < count; i++)
        {
            var packet = _indicateArray[i];
            packet.Status = resources ? NdisStatus.Resources : NdisStatus.Success;
            if (!resources)
                packet.MiniportReservedEx[0] = s_heldByProtocol;
        }
        if (resources)
            Interlocked.Add(ref _indicatedWithResources, count);
        else
            Interlocked.Add(ref _indicated, count);
        Ndis5.MCoIndicateReceivePacket(vc.Vc!, _indicateArray, (uint)count);
        for (int i = 0; i < count; i++)
        {
            if (resources)
                RestoreAndPush(_indicateArray[i]);
            _indicateArray[i] = null!;
        }
    }

    private static NdisTcpIpChecksumPacketInfo ReceiveChecksum(NicRxStatus status)
    {
        var info = default(NdisTcpIpChecksumPacketInfo);
        if ((status & NicRxStatus.IpChecksumChecked) != 0)
        {
            info.NdisPacketIpChecksumFailed = (status & NicRxStatus.IpChecksumError) != 0;
            info.NdisPacketIpChecksumSucceeded = !info.NdisPacketIpChecksumFailed;
        }
        if ((status & NicRxStatus.TcpChecksumChecked) != 0)
        {
            info.NdisPacketTcpChecksumFailed = (status & NicRxStatus.L4ChecksumError) != 0;
            info.NdisPacketTcpChecksumSucceeded = !info.NdisPacketTcpChecksumFailed;
        }
        if ((status & NicRxStatus.UdpChecksumChecked) != 0)
        {
            info.NdisPacketUdpChecksumFailed = (status & NicRxStatus.L4ChecksumError) != 0;
            info.NdisPacketUdpChecksumSucceeded = !info.NdisPacketUdpChecksumFailed;
        }
        return info;
    }

    private static Ieee8021QInfo Tag(ushort tci) => new()
    {
        UserPriority = tci >> 13,
        CanonicalFormatId = (tci >> 12) & 1,
        VlanId = tci & 0xFFF,
    };

    /// <summary>MiniportReturnPacket: a packet a protocol held is the miniport's again; its buffer is posted.</summary>
    public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        Interlocked.Increment(ref _returned);
        RestoreAndPush(packet);
        if (InDpc)
            return; // the DPC posts what came back during it, once, at its end
        PostReceivePackets();
        CheckDrainedVcs();
    }

    private void RestoreAndPush(NdisPacket packet)
    {
        packet.MiniportReservedEx[0] = null;
        var buffer = packet.FirstBuffer!;
        if (buffer.ByteCount != buffer.OriginalByteCount)
            Ndis5.AdjustBufferLength(buffer, (uint)buffer.OriginalByteCount);
        packet.Status = NdisStatus.Success;
        PushReturned(packet, packet);
    }

    private void PushReturned(NdisPacket head, NdisPacket tail)
    {
        NdisPacket? top;
        do
        {
            top = Volatile.Read(ref _returnedReceives);
            SetNext(tail, top);
        }
        while (Interlocked.CompareExchange(ref _returnedReceives, head, top) != top);
    }

    /// <summary>Posts every returned packet's buffer on the receive ring; the doorbell rings after the guard is let go.</summary>
    private void PostReceivePackets()
    {
        if (!_initialized || _halted)
            return;
        while (true)
        {
            if (Interlocked.CompareExchange(ref _rxGuard, 1, 0) != 0)
            {
                Volatile.Write(ref _rxRetry, 1);
                if (Interlocked.CompareExchange(ref _rxGuard, 1, 0) != 0)
                    return;
            }
            bool posted = false;
            try
            {
                Volatile.Write(ref _rxRetry, 0);
                var packet = Interlocked.Exchange(ref _returnedReceives, null);
                if (packet is not null)
                {
                    var ring = Nic.ReceiveRing;
                    uint tail = _rxTail;
                    while (packet is not null)
                    {
                        var next = NextOf(packet);
                        SetNext(packet, null);
                        var buffer = packet.FirstBuffer!;
                        ring[tail] = new NicRxDescriptor { BufferAddress = buffer.VirtualAddress, BufferLength = buffer.ByteCount };
                        _rxSlots[tail & ring.Mask] = packet;
                        tail++;
                        packet = next;
                    }
                    _rxTail = tail;
                    ring.Post(tail);
                    posted = true;
                }
            }
            finally
            {
                Volatile.Write(ref _rxGuard, 0);
            }
            if (posted)
                Nic.RingReceiveDoorbell();
            if (Volatile.Read(ref _returnedReceives) is null && Volatile.Read(ref _rxRetry) == 0)
                return;
        }
    }
}
