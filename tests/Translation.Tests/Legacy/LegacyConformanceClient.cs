using CoNdis.Conformance;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;
using CoNdis.Translation.Adapters;

namespace CoNdis.Translation.Tests.Legacy;

/// <summary>
/// An NDIS 5.x CoNDIS client for the conformance suite: its data path is written only against <see cref="Ndis5"/>
/// (packets, buffers, NdisCoSendPackets, ProtocolCoReceivePacket with a reference count, NdisReturnPackets) and it
/// runs over the NBL runtime through a <see cref="LegacyClientAdapter"/>. A "send" of the suite (one NBL of frames)
/// is one packet per frame here; it counts as complete when all its packets are, with the first failure.
/// </summary>
public sealed class LegacyConformanceClient : ILegacyCoClient, IConformanceClient
{
    private readonly object _sync = new();
    private readonly LegacyClientAdapter _adapter;
    private readonly NdisPacketPool _packets;
    private readonly NdisBufferPool _buffers;
    private readonly Dictionary<VirtualConnection, LegacyCoVc> _vcs = [];
    private readonly Dictionary<NdisPacket, SendRecord> _inFlight = [];
    private readonly List<CompletedSend> _completed = [];
    private readonly List<byte[]> _received = [];
    private readonly List<uint> _receivedTags = [];
    private readonly List<NdisPacket> _held = [];
    private int _nextTag;

    public LegacyConformanceClient(CoNdisRuntime runtime, CoMiniportAdapter adapter)
    {
        _adapter = new LegacyClientAdapter(runtime, adapter, "5.x test client", this, protocolBindingContext: this);
        _adapter.IncomingVcCreated += legacy =>
        {
            lock (_sync)
                _vcs[((TranslatedVc)legacy.MiniportVcContext!).Runtime] = legacy;
        };
        Ndis5.AllocatePacketPool(out _, out var packets, 2048, 16, _adapter.Binding.Handle);
        Ndis5.AllocateBufferPool(out _, out _buffers, 8192, _adapter.Binding.Handle);
        _packets = packets!;
    }

    public LegacyClientAdapter Translation => _adapter;

    public CoBinding Binding => _adapter.Binding;

    public ReceiveHandling ReceiveHandling { get; set; }

    public IReadOnlyList<CompletedSend> Completed
    {
        get { lock (_sync) return [.. _completed]; }
    }

    public IReadOnlyList<byte[]> Received
    {
        get { lock (_sync) return [.. _received]; }
    }

    public IReadOnlyList<uint> ReceivedIeee8021Q
    {
        get { lock (_sync) return [.. _receivedTags]; }
    }

    public int HeldCount
    {
        get { lock (_sync) return _held.Count; }
    }

    public int OutstandingPoolObjects => (int)Ndis5.PacketPoolUsage(_packets) + _buffers.Counters.Outstanding + (_adapter.IsIdle ? 0 : 1);

    public VirtualConnection CreateVc(CoAfHandle af)
    {
        var status = _adapter.CreateVc(af, legacyVcContext: this, out var vc);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"CreateVc: {status}");
        lock (_sync)
            _vcs[vc!.Runtime] = vc.Legacy;
        return vc!.Runtime;
    }

    public int[] Send(VirtualConnection vc, IReadOnlyList<byte[][]> nbls, int mdlsPerNb = 1, nint cancelId = 0, uint ieee8021Q = 0)
    {
        LegacyCoVc legacy;
        lock (_sync)
            legacy = _vcs[vc];
        var tags = new int[nbls.Count];
        var packets = new List<NdisPacket>();
        for (int i = 0; i < nbls.Count; i++)
        {
            var record = new SendRecord(Interlocked.Increment(ref _nextTag), nbls[i]);
            tags[i] = record.Tag;
            foreach (var frame in nbls[i])
            {
                var packet = BuildPacket(frame, mdlsPerNb);
                Ndis5.SetPacketCancelId(packet, cancelId);
                packet.Extension.Ieee8021Q = new NetBufferCore.Info.Ieee8021QInfo(ieee8021Q); // NDIS_PER_PACKET_INFO Ieee8021QInfo
                lock (_sync)
                    _inFlight[packet] = record;
                packets.Add(packet);
            }
        }
        Ndis5.CoSendPackets(legacy, [.. packets], (uint)packets.Count);
        return tags;
    }

    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
    {
        SendRecord record;
        lock (_sync)
        {
            record = _inFlight[packet];
            _inFlight.Remove(packet);
            if (status != NdisStatus.Success && record.Status == NdisStatus.Success)
                record.Status = status;
            if (++record.Done == record.Frames.Length)
                _completed.Add(new CompletedSend(record.Tag, record.Status, record.Frames));
        }
        FreePacket(packet);
    }

    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
    {
        // NdisQueryPacket + NdisQueryBuffer walk: the bytes, copied (required with RESOURCES).
        Ndis5.QueryPacket(packet, out _, out _, out var buffer, out uint total);
        var frame = new byte[total];
        int at = 0;
        while (buffer is not null)
        {
            Ndis5.QueryBuffer(buffer, out var va, out uint length);
            va.Span[..(int)length].CopyTo(frame.AsSpan(at));
            at += (int)length;
            Ndis5.GetNextBuffer(buffer, out buffer);
        }
        lock (_sync)
        {
            _received.Add(frame);
            _receivedTags.Add(packet.Extension.Ieee8021Q.Value);
            if (packet.Status == NdisStatus.Resources || ReceiveHandling == ReceiveHandling.ReturnAtOnce)
                return 0;
            _held.Add(packet);
        }
        return 1;
    }

    public void ReturnHeld(int threads, int seed)
    {
        List<NdisPacket> held;
        lock (_sync)
        {
            held = [.. _held];
            _held.Clear();
        }
        var random = new Random(seed);
        var groups = held.OrderBy(_ => random.Next()).Chunk(3).ToList();
        Parallel.ForEach(groups, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
            group => Ndis5.ReturnPackets(group, (uint)group.Length));
    }

    public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
    {
    }

    public void ProtocolReceiveComplete(object? protocolBindingContext)
    {
    }

    private NdisPacket BuildPacket(byte[] frame, int mdls)
    {
        Ndis5.AllocatePacket(out var status, out var packet, _packets);
        if (packet is null)
            throw new InvalidOperationException($"5.x client packet pool: {status}");
        var memory = NdisMemory.AllocatePinned(frame.Length);
        frame.CopyTo(memory.Span);
        mdls = Math.Clamp(mdls, 1, Math.Max(1, frame.Length));
        int at = 0;
        for (int i = 0; i < mdls; i++)
        {
            int length = i == mdls - 1 ? frame.Length - at : frame.Length / mdls;
            Ndis5.AllocateBuffer(out _, out var buffer, _buffers, memory.Slice(at, length), (uint)length);
            Ndis5.ChainBufferAtBack(packet, buffer!);
            at += length;
        }
        return packet;
    }

    private static void FreePacket(NdisPacket packet)
    {
        Ndis5.UnchainBufferAtFront(packet, out var buffer);
        while (buffer is not null)
        {
            Ndis5.FreeBuffer(buffer);
            Ndis5.UnchainBufferAtFront(packet, out buffer);
        }
        Ndis5.FreePacket(packet);
    }

    private sealed class SendRecord(int tag, byte[][] frames)
    {
        public int Tag { get; } = tag;

        public byte[][] Frames { get; } = frames;

        public int Done { get; set; }

        public NdisStatus Status { get; set; } = NdisStatus.Success;
    }
}
