using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;

namespace CoNdis.LegacyPacket.Samples;

/// <summary>
/// A ported NDIS 5.x CoNDIS client (the shape of an ATM/WAN client), written only against <see cref="Ndis5"/>. Call
/// control: it opens the call manager's AF with its NDIS_CLIENT_CHARACTERISTICS (NdisClOpenAddressFamily), registers a
/// SAP, creates a VC on the AF and makes a call (NdisCoCreateVc, NdisClMakeCall), accepts incoming calls, closes calls,
/// adds and drops leaf parties, changes QoS and asks the call manager for an OID (NdisCoRequest). Data path: it sends
/// caller data on the call's VC (NdisCoSendPackets), frees what comes back in ProtocolCoSendComplete, keeps normal
/// receives and returns them later with NdisReturnPackets (reference count 1), and copies NDIS_STATUS_RESOURCES
/// receives into its own packets before returning 0. The original C is shown beside the ported lines. It lives in the
/// library (not the tests) so that users porting a client have a worked example to start from.
/// </summary>
public sealed partial class LegacyCoClientSample : ILegacyCoClient
{
    // typedef struct _SEND_RSVD { PUCHAR Data; } — our ProtocolReserved needs one PVOID slot.
    private const int SendReservedBytes = 8;

    private readonly NdisHandle _ndis;
    private readonly Queue<NdisPacket> _heldReceives;
    private readonly object _lock = new();
    private readonly NdisPacket[] _one = new NdisPacket[1];
    private NdisPacketPool? _sendPackets;
    private NdisPacketPool? _copyPackets;
    private NdisBufferPool? _buffers;
    private readonly NdisMemory _copyArea;
    private readonly int _copyFrameSize;
    private long _sendCompletions;
    private long _failedSends;
    private long _copiedReceives;
    private long _heldReceivesTotal;
    private long _receiveCompletes;

    /// <summary>Allocates the client's pools (the ProtocolBindAdapter part of a 5.x client).</summary>
    public LegacyCoClientSample(NdisHandle ndis, uint sendPackets = 64, int maxFrameSize = 2048, uint copyPackets = 8)
    {
        ArgumentNullException.ThrowIfNull(ndis);
        _ndis = ndis;
        _heldReceives = new Queue<NdisPacket>(256);
        _copyFrameSize = maxFrameSize;
        _copyArea = NdisMemory.AllocatePinned(maxFrameSize * (int)copyPackets);

        // NdisAllocatePacketPool(&Status, &pAdapter->SendPacketPool, SEND_PACKETS, sizeof(SEND_RSVD));
        Ndis5.AllocatePacketPool(out var status, out _sendPackets, sendPackets, SendReservedBytes, ndis);
        ThrowIfFailed(status, "send packet pool");
        // NdisAllocatePacketPool(&Status, &pAdapter->CopyPacketPool, COPY_PACKETS, PROTOCOL_RESERVED_SIZE_IN_PACKET);
        Ndis5.AllocatePacketPool(out status, out _copyPackets, copyPackets, (uint)NdisPacket.ProtocolReservedSizeInPacket, ndis);
        ThrowIfFailed(status, "copy packet pool");
        // NdisAllocateBufferPool(&Status, &pAdapter->BufferPool, SEND_PACKETS + COPY_PACKETS);
        Ndis5.AllocateBufferPool(out status, out _buffers, sendPackets + copyPackets, ndis);
        ThrowIfFailed(status, "buffer pool");
        for (int i = 0; i < (int)copyPackets; i++)
            FreeCopySlots.Push(i);
    }

    /// <summary>The VC the client sends on (what NdisCoCreateVc returned).</summary>
    public LegacyCoVc? Vc { get; private set; }

    /// <summary>The binding (NdisBindingHandle).</summary>
    public LegacyCoBinding? Binding { get; private set; }

    /// <summary>ProtocolCoSendComplete calls seen.</summary>
    public long SendCompletions => Interlocked.Read(ref _sendCompletions);

    /// <summary>Sends that completed with a failure status.</summary>
    public long FailedSends => Interlocked.Read(ref _failedSends);

    /// <summary>Receives copied because they came with NDIS_STATUS_RESOURCES.</summary>
    public long CopiedReceives => Interlocked.Read(ref _copiedReceives);

    /// <summary>Receives kept (reference count 1) and returned later.</summary>
    public long HeldReceives => Interlocked.Read(ref _heldReceivesTotal);

    /// <summary>ProtocolReceiveComplete calls seen.</summary>
    public long ReceiveCompletes => Interlocked.Read(ref _receiveCompletes);

    /// <summary>Received payloads, in arrival order (a test hook standing in for the layer above).</summary>
    public List<byte[]> ReceivedFrames { get; } = [];

    /// <summary>The last status ProtocolCoStatus reported.</summary>
    public NdisStatus LastStatus { get; private set; }

    /// <summary>Received packets still held (not yet given back with NdisReturnPackets).</summary>
    public int HeldNow
    {
        get { lock (_lock) return _heldReceives.Count; }
    }

    private Stack<int> FreeCopySlots { get; } = new();

    /// <summary>
    /// Opens a VC on a binding without an AF (NdisCoCreateVc with a NULL NdisAfHandle): a VC of a direct 5.x binding,
    /// activated by whoever stands for the call manager there. A call over NDIS uses <see cref="MakeCall"/>.
    /// </summary>
    public NdisStatus OpenVc(LegacyCoBinding binding, object? vcContext = null)
    {
        ArgumentNullException.ThrowIfNull(binding);
        Binding = binding;
        // Status = NdisCoCreateVc(pAdapter->NdisBindingHandle, pAdapter->NdisAfHandle, pVc, &pVc->NdisVcHandle);
        var status = Ndis5.CoCreateVc(binding, null, vcContext ?? this, out var vc);
        Vc = vc;
        return status;
    }

    /// <summary>Sends <paramref name="data"/> on the VC: one packet, one buffer, no copy.</summary>
    public NdisStatus Send(NdisMemory data)
    {
        var vc = Vc ?? throw new InvalidOperationException("OpenVc first.");
        // NdisAllocatePacket(&Status, &pPacket, pAdapter->SendPacketPool);
        Ndis5.AllocatePacket(out var status, out var packet, _sendPackets!);
        // if (Status != NDIS_STATUS_SUCCESS) return NDIS_STATUS_RESOURCES;
        if (status != NdisStatus.Success)
            return NdisStatus.Resources;
        // NdisAllocateBuffer(&Status, &pBuffer, pAdapter->BufferPool, pData, DataLength);
        Ndis5.AllocateBuffer(out status, out var buffer, _buffers!, data, (uint)data.Length);
        if (status != NdisStatus.Success)
        {
            // NdisFreePacket(pPacket);
            Ndis5.FreePacket(packet!);
            return NdisStatus.Resources;
        }
        // NdisChainBufferAtFront(pPacket, pBuffer);
        Ndis5.ChainBufferAtFront(packet!, buffer!);
        // ((PSEND_RSVD)pPacket->ProtocolReserved)->Vc = pVc;
        packet!.ProtocolReserved[0] = vc;
        // NdisCoSendPackets(pVc->NdisVcHandle, &pPacket, 1);
        lock (_one)
        {
            _one[0] = packet;
            Ndis5.CoSendPackets(vc, _one, 1);
            _one[0] = null!;
        }
        return NdisStatus.Pending;
    }

    /// <inheritdoc />
    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        // if (Status != NDIS_STATUS_SUCCESS) pVc->SendErrors++;
        if (status != NdisStatus.Success)
            Interlocked.Increment(ref _failedSends);
        // NdisUnchainBufferAtFront(pPacket, &pBuffer);
        Ndis5.UnchainBufferAtFront(packet, out var buffer);
        // while (pBuffer) { NdisFreeBuffer(pBuffer); NdisUnchainBufferAtFront(pPacket, &pBuffer); }
        while (buffer is not null)
        {
            Ndis5.FreeBuffer(buffer);
            Ndis5.UnchainBufferAtFront(packet, out buffer);
        }
        // NdisFreePacket(pPacket);
        Ndis5.FreePacket(packet);
        Interlocked.Increment(ref _sendCompletions);
    }

    /// <inheritdoc />
    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        // if (NDIS_GET_PACKET_STATUS(pPacket) == NDIS_STATUS_RESOURCES) { copy now; return 0; }
        if (packet.Status == NdisStatus.Resources)
        {
            CopyReceive(packet);
            return 0;
        }
        // InsertTailList(&pVc->ReceiveQueue, RSVD(pPacket)->Link); return 1;
        lock (_lock)
            _heldReceives.Enqueue(packet);
        Interlocked.Increment(ref _heldReceivesTotal);
        return 1;
    }

    /// <inheritdoc />
    public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize) =>
        LastStatus = generalStatus;

    /// <inheritdoc />
    public void ProtocolReceiveComplete(object? protocolBindingContext)
    {
        Interlocked.Increment(ref _receiveCompletes);
        ProcessHeldReceives();
    }

    /// <summary>Consumes every held receive and gives each back with NdisReturnPackets (the deferred half).</summary>
    public void ProcessHeldReceives()
    {
        while (true)
        {
            NdisPacket packet;
            lock (_lock)
            {
                if (_heldReceives.Count == 0)
                    return;
                packet = _heldReceives.Dequeue();
            }
            Deliver(packet);
            // NdisReturnPackets(&pPacket, 1);
            Ndis5.ReturnPackets([packet], 1);
        }
    }

    /// <summary>Frees the client's pools (ProtocolUnbindAdapter); outstanding packets are a leak finding.</summary>
    public void Close()
    {
        // NdisFreePacketPool(pAdapter->SendPacketPool); NdisFreePacketPool(pAdapter->CopyPacketPool); NdisFreeBufferPool(pAdapter->BufferPool);
        Ndis5.FreePacketPool(_sendPackets!);
        Ndis5.FreePacketPool(_copyPackets!);
        Ndis5.FreeBufferPool(_buffers!);
        _sendPackets = _copyPackets = null;
        _buffers = null;
    }

    private void CopyReceive(NdisPacket indicated)
    {
        int slot;
        lock (_lock)
        {
            if (FreeCopySlots.Count == 0)
                return; // no room: the frame is dropped, as a driver out of copy buffers would.
            slot = FreeCopySlots.Pop();
        }
        // NdisAllocatePacket(&Status, &pCopy, pAdapter->CopyPacketPool);
        Ndis5.AllocatePacket(out var status, out var copy, _copyPackets!);
        // NdisAllocateBuffer(&Status, &pBuffer, pAdapter->BufferPool, pCopyArea, MAX_FRAME);
        Ndis5.AllocateBuffer(out var bufferStatus, out var buffer, _buffers!, _copyArea.Slice(slot * _copyFrameSize, _copyFrameSize), (uint)_copyFrameSize);
        if (status == NdisStatus.Success && bufferStatus == NdisStatus.Success)
        {
            // NdisChainBufferAtFront(pCopy, pBuffer);
            Ndis5.ChainBufferAtFront(copy!, buffer!);
            // NdisQueryPacket(pPacket, NULL, NULL, NULL, &TotalLength);
            Ndis5.QueryPacket(indicated, out _, out _, out _, out uint totalLength);
            // NdisCopyFromPacketToPacket(pCopy, 0, TotalLength, pPacket, 0, &BytesCopied);
            Ndis5.CopyFromPacketToPacket(copy!, 0, totalLength, indicated, 0, out uint bytesCopied);
            // NdisAdjustBufferLength(pBuffer, BytesCopied); NDIS_PACKET_VALID_COUNTS(pCopy) = FALSE;
            Ndis5.AdjustBufferLength(buffer!, bytesCopied);
            copy!.Private.ValidCounts = false;
            Deliver(copy);
            Interlocked.Increment(ref _copiedReceives);
            // NdisAdjustBufferLength(pBuffer, MAX_FRAME); NdisUnchainBufferAtFront(pCopy, &pBuffer);
            Ndis5.AdjustBufferLength(buffer!, (uint)_copyFrameSize);
            Ndis5.UnchainBufferAtFront(copy, out _);
        }
        // NdisFreeBuffer(pBuffer); NdisFreePacket(pCopy);
        if (buffer is not null)
            Ndis5.FreeBuffer(buffer);
        if (copy is not null)
            Ndis5.FreePacket(copy);
        lock (_lock)
            FreeCopySlots.Push(slot);
    }

    private void Deliver(NdisPacket packet)
    {
        // NdisQueryPacket(pPacket, NULL, NULL, &pBuffer, &TotalLength);
        Ndis5.QueryPacket(packet, out _, out _, out var buffer, out uint totalLength);
        var frame = new byte[totalLength];
        int at = 0;
        // while (pBuffer) { NdisQueryBuffer(pBuffer, &Va, &Len); NdisMoveMemory(p, Va, Len); NdisGetNextBuffer(pBuffer, &pBuffer); }
        while (buffer is not null)
        {
            Ndis5.QueryBuffer(buffer, out var va, out uint length);
            va.Span[..(int)length].CopyTo(frame.AsSpan(at));
            at += (int)length;
            Ndis5.GetNextBuffer(buffer, out buffer);
        }
        lock (_lock)
            ReceivedFrames.Add(frame);
    }

    private static void ThrowIfFailed(NdisStatus status, string what)
    {
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"Allocating the {what} failed with {status.Describe()}.");
    }
}
