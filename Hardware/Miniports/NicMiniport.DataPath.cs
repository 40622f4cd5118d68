using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Info;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Hardware.Miniports;

// The data path of the native reference miniport, in the order a frame lives it: MiniportCoSendNetBufferLists
// queues, TXTransmitQueuedSends maps NBs onto transmit descriptors, the DPC's TXSendComplete completes NBLs,
// RXReceiveIndicate indicates what the NIC wrote into posted buffers, MiniportReturnNetBufferLists reposts them.
// No lock is taken per NBL or per frame: the send queue and the returned-buffer list are lock-free stacks, and the
// rings are filled by whoever holds a try-guard (netvmini's SendPathSpinLock "try" idiom), taken once per batch.
public sealed partial class NicMiniport
{
    /// <summary>Marks a receive NBL a protocol holds (in MiniportReserved[0], the miniport's own area).</summary>
    private static readonly object s_heldByProtocol = new();

    /// <summary>What the driver remembers about a transmit descriptor it posted (its TCB).</summary>
    private struct TxSlot
    {
        /// <summary>The NBL of the NB whose last descriptor this is (null on other descriptors).</summary>
        public NetBufferList? Owner;
        /// <summary>True on the last descriptor of the NBL's last NB: the NBL completes here.</summary>
        public bool CompletesOwner;
        /// <summary>True on a frame's first descriptor, whose SG list (in _txLists) is freed at completion.</summary>
        public bool FirstOfFrame;
    }

    private readonly TxSlot[] _txSlots;
    private readonly ScatterGatherList[] _txLists;
    private readonly NetBufferList?[] _rxSlots;
    private readonly NetBufferList[] _receiveBuffers;
    private NetBufferListPool? _receivePool;

    private NetBufferList? _pendingSends;
    private int _txGuard;
    private int _txRetry;
    private NetBufferList? _waitHead;
    private NetBufferList? _waitTail;
    private NetBuffer? _waitNextNb;
    private uint _txTail;
    private uint _txClean;

    private NetBufferList? _returnedReceives;
    private int _rxGuard;
    private int _rxRetry;
    private uint _rxTail;
    private uint _rxClean;

    private long _sends, _sendsSucceeded, _sendsFailed, _indicated, _indicatedWithResources, _returned, _discarded;
    private long _signalsSent, _signalsReceived, _resets, _hangs;

    // ---- Send ---------------------------------------------------------------------------------------------

    /// <summary>
    /// MiniportCoSendNetBufferLists (NDIS_MINIPORT_CO_CHARACTERISTICS.CoSendNetBufferListsHandler).
    /// <para>Called by NDIS when the client sends on a VC; the chain is in wire order. The miniport must accept every
    /// send: what the ring cannot take now waits in the driver's send queue, in order. NBLs that cannot go at all
    /// complete at once: during a reset (NDIS_STATUS_RESET_IN_PROGRESS), with the medium disconnected
    /// (NDIS_STATUS_MEDIA_DISCONNECTED), on a VC without channels (NDIS_STATUS_VC_NOT_ACTIVATED), or with an NB the NIC
    /// cannot carry (NDIS_STATUS_INVALID_LENGTH).</para>
    /// Runs at IRQL &lt;= DISPATCH_LEVEL, on any thread, concurrently with itself and with the DPC.
    /// </summary>
    public void MiniportCoSendNetBufferLists(object? miniportVcContext, NetBufferList netBufferLists, SendFlags sendFlags)
    {
        var vc = (NicVc)miniportVcContext!;
        int count = 0;
        NdisStatus refusal = _resetInProgress ? NdisStatus.ResetInProgress
            : !_mediaConnected ? NdisStatus.MediaDisconnected
            : Volatile.Read(ref vc.TransmitChannel) < 0 ? NdisStatus.VcNotActivated
            : NdisStatus.Success;
        NetBufferList? acceptedHead = null, acceptedTail = null, refusedHead = null, refusedTail = null;
        int limit = Nic.Options.MaximumFrameSize;
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            count++;
            var status = refusal == NdisStatus.Success ? CheckLengths(nbl, limit) : refusal;
            nbl.Status = status;
            if (status == NdisStatus.Success)
            {
                nbl.MiniportReserved[0] = vc;
                Append(ref acceptedHead, ref acceptedTail, nbl);
            }
            else
            {
                Append(ref refusedHead, ref refusedTail, nbl);
            }
            nbl = next;
        }
        Interlocked.Add(ref _sends, count);
        if (refusedHead is not null)
        {
            refusedTail!.Next = null;
            Interlocked.Add(ref _sendsFailed, NetBufferListChain.Count(refusedHead));
            Ndis.MCoSendNetBufferListsComplete(vc.Vc!, refusedHead, SendCompleteFlags.None);
        }
        if (acceptedHead is null)
            return;
        acceptedTail!.Next = null;
        QueueSends(acceptedHead);
        TXTransmitQueuedSends();
    }

    private static NdisStatus CheckLengths(NetBufferList nbl, int limit)
    {
        for (var nb = nbl.FirstNetBuffer; nb is not null; nb = nb.Next)
        {
            if (nb.DataLength == 0 || nb.DataLength + (nbl.Info.Ieee8021Q.Value != 0 ? 4 : 0) > limit)
                return NdisStatus.InvalidLength;
        }
        return NdisStatus.Success;
    }

    private static void Append(ref NetBufferList? head, ref NetBufferList? tail, NetBufferList nbl)
    {
        if (tail is null)
            head = nbl;
        else
            tail.Next = nbl;
        tail = nbl;
    }

    /// <summary>
    /// Pushes a chain onto the lock-free pending stack: the chain's head carries the previous top in its
    /// MiniportReserved[1] (the miniport's own area), so the chain keeps its order.
    /// </summary>
    private void QueueSends(NetBufferList head)
    {
        NetBufferList? top;
        do
        {
            top = Volatile.Read(ref _pendingSends);
            head.MiniportReserved[1] = top;
        }
        while (Interlocked.CompareExchange(ref _pendingSends, head, top) != top);
    }

    /// <summary>
    /// TXTransmitQueuedSends: whoever gets the transmit guard moves pending chains into the send queue (oldest
    /// first) and maps as many NBs as the ring has room for onto descriptors, then rings the doorbell once, after
    /// letting the guard go. A caller that finds the guard taken leaves a retry note: the holder looks again.
    /// </summary>
    private void TXTransmitQueuedSends()
    {
        while (true)
        {
            if (Interlocked.CompareExchange(ref _txGuard, 1, 0) != 0)
            {
                Volatile.Write(ref _txRetry, 1);
                if (Interlocked.CompareExchange(ref _txGuard, 1, 0) != 0)
                    return; // the holder will see the note
            }
            bool posted;
            var failed = default(NblList);
            try
            {
                Volatile.Write(ref _txRetry, 0);
                TakePendingSends();
                posted = PostWaitingSends(ref failed);
            }
            finally
            {
                Volatile.Write(ref _txGuard, 0);
            }
            if (posted)
                Nic.RingTransmitDoorbell();
            if (failed.Head is not null)
                CompleteChain(failed.Head);
            if (Volatile.Read(ref _pendingSends) is null && Volatile.Read(ref _txRetry) == 0)
                return;
        }
    }

    private void TransmitQueuedSends() => TXTransmitQueuedSends();

    /// <summary>Moves every pending chain, oldest first, to the tail of the send queue (guard held).</summary>
    private void TakePendingSends()
    {
        var top = Interlocked.Exchange(ref _pendingSends, null);
        NetBufferList? oldest = null;
        while (top is not null)
        {
            var below = (NetBufferList?)top.MiniportReserved[1];
            top.MiniportReserved[1] = oldest;
            oldest = top;
            top = below;
        }
        for (var chain = oldest; chain is not null;)
        {
            var following = (NetBufferList?)chain.MiniportReserved[1];
            chain.MiniportReserved[1] = null;
            var tail = chain;
            while (tail.Next is not null)
                tail = tail.Next;
            if (_waitTail is null)
                _waitHead = chain;
            else
                _waitTail.Next = chain;
            _waitTail = tail;
            chain = following;
        }
    }

    /// <summary>
    /// Maps queued NBs onto transmit descriptors while the ring has room (guard held): the NB's scatter-gather list
    /// (NdisMAllocateNetBufferSGList), one descriptor per element, checksum and 802.1Q commands from the NBL's info on
    /// the first, end of packet on the last. An NBL completes on its last NB's last descriptor; the descriptors are
    /// handed to the device in one tail write.
    /// </summary>
    private bool PostWaitingSends(ref NblList failed)
    {
        var ring = Nic.TransmitRing;
        uint tail = _txTail;
        int room = ring.Size - (int)(tail - Volatile.Read(ref _txClean));
        bool posted = false;
        while (_waitHead is { } nbl)
        {
            var nb = _waitNextNb ?? nbl.FirstNetBuffer;
            if (nb is null)
            {
                DequeueWaiting(nbl);
                failed.Add(nbl); // no NB: nothing to send, completes with SUCCESS
                continue;
            }
            var list = _txLists[tail & ring.Mask];
            bool mapped = room > 0 && Nic.Dma.AllocateNetBufferSGList(nb, list);
            if (mapped && list.NumberOfElements > room)
            {
                Nic.Dma.FreeScatterGatherList(list);
                mapped = false;
            }
            if (!mapped)
            {
                if (TransmitRingFull == TransmitRingFullPolicy.CompleteWithResources && _waitNextNb is null)
                {
                    DequeueWaiting(nbl);
                    nbl.Status = NdisStatus.Resources;
                    failed.Add(nbl);
                    continue;
                }
                break; // back-pressure: the rest waits for completions
            }
            var vc = (NicVc)nbl.MiniportReserved[0]!;
            var info = nbl.Info;
            var command = TransmitCommand(info.Checksum, info.Ieee8021Q, out ushort tci);
            int channel = Volatile.Read(ref vc.TransmitChannel);
            int elements = list.NumberOfElements;
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
            _txSlots[tail & ring.Mask].FirstOfFrame = true;
            ref var last = ref _txSlots[(tail + (uint)elements - 1) & ring.Mask];
            last.Owner = nbl;
            last.CompletesOwner = nb.Next is null;
            tail += (uint)elements;
            room -= elements;
            posted = true;
            if (nb.Next is null)
                DequeueWaiting(nbl);
            else
                _waitNextNb = nb.Next;
        }
        if (posted)
        {
            _txTail = tail;
            ring.Post(tail);
        }
        return posted;
    }

    private void DequeueWaiting(NetBufferList nbl)
    {
        _waitHead = nbl.Next;
        if (_waitHead is null)
            _waitTail = null;
        nbl.Next = null;
        _waitNextNb = null;
    }

    /// <summary>The descriptor command for an NBL's checksum and 802.1Q info (NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO.Transmit).</summary>
    private static NicTxCommand TransmitCommand(TcpIpChecksumInfo checksum, Ieee8021QInfo tag, out ushort tci)
    {
        var command = NicTxCommand.None;
        if (checksum.Value != 0)
        {
            if (checksum.IsIPv4 && checksum.IpHeaderChecksum)
                command |= NicTxCommand.InsertIpChecksum;
            if (checksum.TcpChecksum)
                command |= NicTxCommand.InsertTcpChecksum;
            if (checksum.UdpChecksum)
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

    /// <summary>
    /// TXSendComplete (from the DPC): walks the descriptors the device wrote back, frees their SG lists, puts the
    /// first failure of any NB on its NBL, and completes NBLs whose last NB is done, in runs of one VC of up to
    /// CompleteBatch NBLs (NdisMCoSendNetBufferListsComplete). Then the send queue gets the freed room.
    /// </summary>
    private void TXSendComplete()
    {
        var ring = Nic.TransmitRing;
        uint clean = _txClean;
        uint head = ring.Head;
        if (clean == head)
            return;
        var run = new CompletionRun(this);
        while (clean != head)
        {
            uint index = clean & ring.Mask;
            ref var slot = ref _txSlots[index];
            if (slot.FirstOfFrame)
            {
                var list = _txLists[index];
                if (list.IsBounced)
                    Nic.Dma.FreeScatterGatherList(list);
                slot.FirstOfFrame = false;
            }
            var owner = slot.Owner;
            if (owner is not null)
            {
                var status = ring[clean].Status;
                if (status != NicTxStatus.Done && owner.Status == NdisStatus.Success)
                    owner.Status = MapTransmitStatus(status);
                if (slot.CompletesOwner)
                    run.Add(owner);
                slot.Owner = null;
                slot.CompletesOwner = false;
            }
            clean++;
        }
        Volatile.Write(ref _txClean, clean);
        run.Flush();
        if (_waitHead is not null || Volatile.Read(ref _pendingSends) is not null)
            TXTransmitQueuedSends();
    }

    private static NdisStatus MapTransmitStatus(NicTxStatus status) => status switch
    {
        NicTxStatus.NoCarrier => NdisStatus.MediaDisconnected,
        NicTxStatus.FrameTooLong => NdisStatus.InvalidLength,
        _ => NdisStatus.Failure,
    };

    /// <summary>Completes a chain that may mix VCs, in runs of one VC.</summary>
    private void CompleteChain(NetBufferList? chain)
    {
        var run = new CompletionRun(this);
        while (chain is not null)
        {
            var next = chain.Next;
            chain.Next = null;
            run.Add(chain);
            chain = next;
        }
        run.Flush();
    }

    /// <summary>NBLs of one VC gathered for one NdisMCoSendNetBufferListsComplete; internal signalling NBLs go back to their pool.</summary>
    private ref struct CompletionRun(NicMiniport miniport)
    {
        private NicVc? _vc;
        private NetBufferList? _head;
        private NetBufferList? _tail;
        private int _count;
        private int _failed;

        public void Add(NetBufferList nbl)
        {
            var vc = (NicVc)nbl.MiniportReserved[0]!;
            if (vc.Vc is null)
            {
                FreeSignal(nbl);
                return;
            }
            if (!ReferenceEquals(vc, _vc) || _count == miniport.Options.CompleteBatch)
                Flush();
            _vc = vc;
            nbl.Next = null;
            if (_tail is null)
                _head = nbl;
            else
                _tail.Next = nbl;
            _tail = nbl;
            _count++;
            if (nbl.Status != NdisStatus.Success)
                _failed++;
        }

        public void Flush()
        {
            if (_head is null)
                return;
            Interlocked.Add(ref miniport._sendsSucceeded, _count - _failed);
            if (_failed > 0)
                Interlocked.Add(ref miniport._sendsFailed, _failed);
            var vc = _vc!.Vc!;
            var head = _head;
            _head = _tail = null;
            _count = _failed = 0;
            Ndis.MCoSendNetBufferListsComplete(vc, head, SendCompleteFlags.DispatchLevel);
        }
    }

    /// <summary>
    /// MiniportCancelSend: NBLs still in the driver's send queue that carry <paramref name="cancelId"/> complete with
    /// NDIS_STATUS_SEND_ABORTED; what is on the transmit ring (the hardware has it) is not cancelled, nor an NBL part of
    /// which is on the ring.
    /// </summary>
    public void MiniportCancelSend(object? miniportAdapterContext, nint cancelId)
    {
        var cancelled = default(NblList);
        AcquireGuard(ref _txGuard);
        try
        {
            TakePendingSends();
            NetBufferList? kept = null, keptTail = null;
            var partial = _waitNextNb is null ? null : _waitHead;
            for (var nbl = _waitHead; nbl is not null;)
            {
                var next = nbl.Next;
                nbl.Next = null;
                if (!ReferenceEquals(nbl, partial) && nbl.Info.CancelId == cancelId)
                {
                    nbl.Status = NdisStatus.SendAborted;
                    cancelled.Add(nbl);
                }
                else
                {
                    Append(ref kept, ref keptTail, nbl);
                }
                nbl = next;
            }
            _waitHead = kept;
            _waitTail = keptTail;
        }
        finally
        {
            Volatile.Write(ref _txGuard, 0);
        }
        CompleteChain(cancelled.Head);
    }

    /// <summary>Completes every send the driver holds with <paramref name="status"/> (halt).</summary>
    private void AbortTransmits(NdisStatus status)
    {
        var aborted = new NetBufferListQueue();
        AcquireGuard(ref _txGuard);
        try
        {
            ReclaimTransmitSlots(status, aborted);
            TakePendingSends();
            FlushWaitQueue(status, aborted);
        }
        finally
        {
            Volatile.Write(ref _txGuard, 0);
        }
        CompleteChain(aborted.DequeueAll());
    }

    /// <summary>The device forgot its descriptors: every posted NB fails with <paramref name="status"/> (guard held).</summary>
    private void ReclaimTransmitSlots(NdisStatus status, NetBufferListQueue aborted)
    {
        uint mask = (uint)_txSlots.Length - 1;
        for (uint i = _txClean; i != _txTail; i++)
        {
            ref var slot = ref _txSlots[i & mask];
            if (slot.FirstOfFrame && _txLists[i & mask].IsBounced)
                Nic.Dma.FreeScatterGatherList(_txLists[i & mask]);
            if (slot.Owner is { } owner)
            {
                if (owner.Status == NdisStatus.Success)
                    owner.Status = status;
                if (slot.CompletesOwner)
                    aborted.Enqueue(owner);
            }
            slot = default;
        }
        Volatile.Write(ref _txClean, _txTail);
    }

    /// <summary>Every NBL of the send queue fails with <paramref name="status"/> (guard held).</summary>
    private void FlushWaitQueue(NdisStatus status, NetBufferListQueue aborted)
    {
        while (_waitHead is { } nbl)
        {
            DequeueWaiting(nbl);
            if (nbl.Status == NdisStatus.Success)
                nbl.Status = status;
            aborted.Enqueue(nbl);
        }
    }

    // ---- Receive ------------------------------------------------------------------------------------------

    /// <summary>
    /// RXReceiveIndicate (from the DPC): for every descriptor the NIC wrote back, the receive NBL posted there gets its
    /// one NB set to the frame (length, NdisAdjustMdlLength), the checksum results and the stripped 802.1Q tag in its
    /// info, and is indicated on the VC bound to the frame's channel, in runs of one VC of up to IndicateBatch. When
    /// fewer than ReceiveLowWater buffers would be left with the miniport (posted, or filled and not yet indicated) once an
    /// NBL went up, it goes in a run with NDIS_RECEIVE_FLAGS_RESOURCES and is reposted as soon as the indication returns. Frames on a channel no active VC listens on are
    /// discarded (OID_GEN_RCV_DISCARDS); the integrated call manager's signalling on channel 0 is kept for it.
    /// </summary>
    private void RXReceiveIndicate()
    {
        var ring = Nic.ReceiveRing;
        uint clean = _rxClean;
        uint head = ring.Head;
        if (clean == head)
            return;
        // While VCs looked up here are not yet indicated, no drain may finish (see IsDrained): marked before the first
        // channel lookup, with a full fence, and cleared once the last run is indicated.
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
        var run = new ReceiveRun(this);
        NetBufferList? discardHead = null, discardTail = null;
        int discarded = 0;
        uint mask = ring.Mask;
        while (clean != head)
        {
            ref var descriptor = ref ring[clean];
            var nbl = _rxSlots[clean & mask]!;
            _rxSlots[clean & mask] = null;
            clean++;
            int channel = descriptor.Channel;
            var vc = (uint)channel < (uint)_receiveChannels.Length ? Volatile.Read(ref _receiveChannels[channel]) : null;
            if (vc is null)
            {
                discarded++;
                Append(ref discardHead, ref discardTail, nbl);
                continue;
            }
            if (vc.Vc is null)
            {
                KeepSignal(nbl, descriptor.Length); // copied for the integrated call manager; the buffer goes straight back
                Append(ref discardHead, ref discardTail, nbl);
                continue;
            }
            var nb = nbl.FirstNetBuffer!;
            Ndis.AdjustMdlLength(nb.MdlChain!, descriptor.Length);
            nb.DataOffset = 0;
            nb.DataLength = descriptor.Length;
            nbl.Info.Checksum = ReceiveChecksum(descriptor.Status);
            nbl.Info.Ieee8021Q = (descriptor.Status & NicRxStatus.VlanStripped) != 0 ? Tag(descriptor.VlanTag) : default;
            nbl.Status = NdisStatus.Success;
            // Low on buffers once this one is up with the protocol: the protocol must copy, the buffer comes straight back.
            run.Add(vc, nbl, (int)(ring.Tail - clean) < ReceiveLowWater);
        }
        _rxClean = clean;
        run.Flush();
        if (discarded > 0)
            Interlocked.Add(ref _discarded, discarded);
        if (discardHead is not null)
        {
            discardTail!.Next = null;
            ReturnReceiveChain(discardHead, discardTail);
        }
    }

    /// <summary>The receive half of NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO from the descriptor's status bits.</summary>
    private static TcpIpChecksumInfo ReceiveChecksum(NicRxStatus status)
    {
        var info = default(TcpIpChecksumInfo);
        if ((status & NicRxStatus.IpChecksumChecked) != 0)
        {
            info.IpChecksumFailed = (status & NicRxStatus.IpChecksumError) != 0;
            info.IpChecksumSucceeded = !info.IpChecksumFailed;
        }
        if ((status & NicRxStatus.TcpChecksumChecked) != 0)
        {
            info.TcpChecksumFailed = (status & NicRxStatus.L4ChecksumError) != 0;
            info.TcpChecksumSucceeded = !info.TcpChecksumFailed;
        }
        if ((status & NicRxStatus.UdpChecksumChecked) != 0)
        {
            info.UdpChecksumFailed = (status & NicRxStatus.L4ChecksumError) != 0;
            info.UdpChecksumSucceeded = !info.UdpChecksumFailed;
        }
        return info;
    }

    private static Ieee8021QInfo Tag(ushort tci) => new()
    {
        UserPriority = tci >> 13,
        CanonicalFormatId = (tci >> 12) & 1,
        VlanId = tci & 0xFFF,
    };

    /// <summary>NBLs of one VC (all with or all without RESOURCES) gathered for one NdisMCoIndicateReceiveNetBufferLists.</summary>
    private ref struct ReceiveRun(NicMiniport miniport)
    {
        private NicVc? _vc;
        private NetBufferList? _head;
        private NetBufferList? _tail;
        private int _count;
        private bool _resources;

        public void Add(NicVc vc, NetBufferList nbl, bool resources)
        {
            if (!ReferenceEquals(vc, _vc) || resources != _resources || _count == miniport.Options.IndicateBatch)
                Flush();
            _vc = vc;
            _resources = resources;
            nbl.Next = null;
            if (_tail is null)
                _head = nbl;
            else
                _tail.Next = nbl;
            _tail = nbl;
            _count++;
        }

        public void Flush()
        {
            if (_head is null)
                return;
            var head = _head;
            var tail = _tail!;
            int count = _count;
            _head = _tail = null;
            _count = 0;
            if (_resources)
            {
                Ndis.MCoIndicateReceiveNetBufferLists(_vc!.Vc!, head, count, ReceiveFlags.DispatchLevel | ReceiveFlags.Resources);
                Interlocked.Add(ref miniport._indicatedWithResources, count);
                tail.Next = null;
                miniport.ReturnReceiveChain(head, tail); // ours again: the protocol has copied what it needed
                return;
            }
            for (var nbl = head; nbl is not null; nbl = nbl.Next)
                nbl.MiniportReserved[0] = s_heldByProtocol;
            Interlocked.Add(ref miniport._indicated, count);
            Ndis.MCoIndicateReceiveNetBufferLists(_vc!.Vc!, head, count, ReceiveFlags.DispatchLevel);
        }
    }

    /// <summary>
    /// MiniportReturnNetBufferLists: receive NBLs come back from the protocols, in any grouping; their buffers are
    /// posted again (and a VC waiting for its last receive to deactivate may finish).
    /// </summary>
    public void MiniportReturnNetBufferLists(object? miniportAdapterContext, NetBufferList netBufferLists, ReturnFlags returnFlags)
    {
        int count = 0;
        NetBufferList? tail = null;
        for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
        {
            nbl.MiniportReserved[0] = null;
            tail = nbl;
            count++;
        }
        if (tail is null)
            return;
        Interlocked.Add(ref _returned, count);
        ReturnReceiveChain(netBufferLists, tail);
        if (!InDpc)
            CheckDrainedVcs();
    }

    private static bool IsHeldByProtocol(NetBufferList nbl) => ReferenceEquals(nbl.MiniportReserved[0], s_heldByProtocol);

    private void ReturnReceiveBuffer(NetBufferList nbl) => PushReturned(nbl, nbl);

    /// <summary>Gives receive NBLs back to the ring: restore the MDL, push them on the lock-free returned list, post.</summary>
    private void ReturnReceiveChain(NetBufferList head, NetBufferList tail)
    {
        PushReturned(head, tail);
        if (!InDpc)
            PostReceiveBuffers(); // inside the DPC they are posted at its end
    }

    private void PushReturned(NetBufferList head, NetBufferList tail)
    {
        NetBufferList? top;
        do
        {
            top = Volatile.Read(ref _returnedReceives);
            tail.Next = top;
        }
        while (Interlocked.CompareExchange(ref _returnedReceives, head, top) != top);
    }

    /// <summary>
    /// Posts every returned receive NBL's buffer on the receive ring (whoever holds the receive guard), then rings
    /// the receive doorbell once, after letting the guard go.
    /// </summary>
    private void PostReceiveBuffers()
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
                var chain = Interlocked.Exchange(ref _returnedReceives, null);
                if (chain is not null)
                {
                    var ring = Nic.ReceiveRing;
                    uint tail = _rxTail;
                    while (chain is not null)
                    {
                        var next = chain.Next;
                        chain.Next = null;
                        var mdl = chain.FirstNetBuffer!.MdlChain!;
                        if (mdl.ByteCount != mdl.OriginalByteCount)
                            Ndis.AdjustMdlLength(mdl, mdl.OriginalByteCount);
                        ring[tail] = new NicRxDescriptor { BufferAddress = mdl.VirtualAddress, BufferLength = mdl.ByteCount };
                        _rxSlots[tail & ring.Mask] = chain;
                        tail++;
                        chain = next;
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
