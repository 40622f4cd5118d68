using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;

namespace CoNdis.TestDrivers.Legacy;

/// <summary>
/// The NDIS 5.x CoNDIS test client (ProtocolCo* handlers, written only against <see cref="Ndis5"/>: packets,
/// buffers, NdisCoSendPackets, ProtocolCoReceivePacket with a reference count, NdisReturnPackets), for a direct
/// binding or over the NBL runtime through the translation layer. A "send" (one NBL of frames in the conformance
/// suite's terms) is one packet per frame here; it counts as complete when all its packets are, with the first
/// failure. Receives are copied out (required with RESOURCES) and held or released at once.
/// </summary>
public sealed class LegacyTestClient : ILegacyCoClient
{
    private readonly object _sync = new();
    private readonly NdisPacketPool _packets;
    private readonly NdisBufferPool _buffers;
    private readonly Dictionary<NdisPacket, SendRecord> _inFlight = [];
    private readonly ClientRecord<NdisPacket> _record = new();
    private int _nextTag;

    /// <summary>Allocates the send pools (NdisAllocatePacketPool, NdisAllocateBufferPool) from <paramref name="ndis"/>.</summary>
    public LegacyTestClient(NdisHandle ndis)
    {
        ArgumentNullException.ThrowIfNull(ndis);
        Ndis5.AllocatePacketPool(out var status, out var packets, 2048, 16, ndis);
        _packets = packets ?? throw new InvalidOperationException($"5.x test client: NdisAllocatePacketPool: {status}");
        Ndis5.AllocateBufferPool(out status, out _buffers, 8192, ndis);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"5.x test client: NdisAllocateBufferPool: {status}");
    }

    public ReceiveHandling ReceiveHandling { get; set; }

    public IReadOnlyList<CompletedSend> Completed => _record.Completed;

    public IReadOnlyList<byte[]> Received => _record.Received;

    /// <summary>The Ieee8021QInfo per-packet info of each received frame, in order.</summary>
    public IReadOnlyList<uint> ReceivedIeee8021Q => _record.ReceivedIeee8021Q;

    public int HeldCount => _record.HeldCount;

    /// <summary>Send packets and buffers still out.</summary>
    public int OutstandingPoolObjects => (int)Ndis5.PacketPoolUsage(_packets) + _buffers.Counters.Outstanding;

    /// <summary>
    /// Sends one packet per frame of each entry of <paramref name="sends"/> in one NdisCoSendPackets, each packet in
    /// <paramref name="buffersPerPacket"/> buffers with <paramref name="cancelId"/> and Ieee8021QInfo
    /// <paramref name="ieee8021Q"/>; returns one tag per entry.
    /// </summary>
    public int[] Send(LegacyCoVc vc, IReadOnlyList<byte[][]> sends, int buffersPerPacket = 1, nint cancelId = 0, uint ieee8021Q = 0)
    {
        ArgumentNullException.ThrowIfNull(vc);
        ArgumentNullException.ThrowIfNull(sends);
        var tags = new int[sends.Count];
        var packets = new List<NdisPacket>();
        for (int i = 0; i < sends.Count; i++)
        {
            var record = new SendRecord(Interlocked.Increment(ref _nextTag), sends[i]);
            tags[i] = record.Tag;
            foreach (var frame in sends[i])
            {
                var packet = LegacyFrames.Build(_packets, _buffers, frame, buffersPerPacket);
                Ndis5.SetPacketCancelId(packet, cancelId);
                packet.Extension.Ieee8021Q = new Ieee8021QInfo(ieee8021Q); // NDIS_PER_PACKET_INFO Ieee8021QInfo
                lock (_sync)
                    _inFlight[packet] = record;
                packets.Add(packet);
            }
        }
        Ndis5.CoSendPackets(vc, [.. packets], (uint)packets.Count);
        return tags;
    }

    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
    {
        lock (_sync)
        {
            if (!_inFlight.Remove(packet, out var record))
                throw new InvalidOperationException($"{packet} completed but this client has no send of it in flight (completed twice?)");
            if (status != NdisStatus.Success && record.Status == NdisStatus.Success)
                record.Status = status;
            if (++record.Done == record.Frames.Length)
                _record.AddCompleted(new CompletedSend(record.Tag, record.Status, record.Frames));
        }
        LegacyFrames.Free(packet);
    }

    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var frame = LegacyFrames.Bytes(packet); // a copy: required with RESOURCES, harmless otherwise
        bool hold = packet.Status != NdisStatus.Resources && ReceiveHandling == ReceiveHandling.Hold;
        _record.AddReceived(frame, packet.Extension.Ieee8021Q.Value, hold ? packet : null);
        return hold ? 1u : 0u; // the NdisReturnPackets calls this client will make for it
    }

    /// <summary>Returns the held receives (NdisReturnPackets) in random groups of up to three, from <paramref name="threads"/> threads.</summary>
    public void ReturnHeld(int threads, int seed)
    {
        var groups = _record.TakeHeldInRandomGroups(seed, largest: 3);
        Parallel.ForEach(groups, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
            group => Ndis5.ReturnPackets(group, (uint)group.Length));
    }

    public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
    {
    }

    public void ProtocolReceiveComplete(object? protocolBindingContext)
    {
    }

    private sealed class SendRecord(int tag, byte[][] frames)
    {
        public int Tag { get; } = tag;

        public byte[][] Frames { get; } = frames;

        public int Done { get; set; }

        public NdisStatus Status { get; set; } = NdisStatus.Success;
    }
}
