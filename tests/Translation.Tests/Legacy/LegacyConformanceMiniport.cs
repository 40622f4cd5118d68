using System.Collections.Concurrent;
using CoNdis.Conformance;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;
using CoNdis.Translation.Adapters;

namespace CoNdis.Translation.Tests.Legacy;

/// <summary>
/// An NDIS 5.x CoNDIS miniport for the conformance suite, written only against <see cref="Ndis5"/>, run under the NBL
/// runtime by a <see cref="LegacyMiniportAdapter"/>. Like the native test miniport it completes sends inline, on
/// demand or on its own thread, echoes frames, pends activation/deactivation on request, waits for its sends and
/// receives before a deactivation completes, and cancels by packet cancel ID.
/// </summary>
public sealed class LegacyConformanceMiniport : ILegacyCoMiniport, ILegacyMiniportCancelSendPackets, ILegacyMiniportCoRequest, IConformanceMiniport, IDisposable
{
    private readonly object _sync = new();
    private readonly List<byte[]> _sent = [];
    private readonly List<MiniportVc> _vcs = [];
    private readonly BlockingCollection<(MiniportVc Vc, NdisPacket[] Packets)> _work = [];
    private readonly Thread _worker;
    private readonly NdisHandle _handle;
    private readonly NdisPacketPool _packets;
    private readonly NdisBufferPool _buffers;
    private int _returned;

    public LegacyConformanceMiniport(CoNdisRuntime runtime)
    {
        _handle = new NdisHandle("5.x test miniport", runtime.Verifier);
        Ndis5.AllocatePacketPool(out var status, out var packets, 1024, 16, _handle);
        Ndis5.AllocateBufferPool(out status, out _buffers, 4096, _handle);
        _packets = packets!;
        Translation = new LegacyMiniportAdapter(_handle, this, miniportAdapterContext: this);
        Adapter = Translation.Register(runtime, "5.x test miniport");
        _worker = new Thread(Work) { IsBackground = true, Name = "5.x miniport DPC" };
        _worker.Start();
    }

    public LegacyMiniportAdapter Translation { get; }

    public CoMiniportAdapter Adapter { get; }

    public SendCompletion SendCompletion { get; set; }

    public bool Loopback { get; set; }

    public bool PendActivate { get; set; }

    public bool PendDeactivate { get; set; }

    public bool RecordSentFrames { get; set; } = true;

    public int QueuedSends
    {
        get { lock (_sync) return _vcs.Sum(v => v.Queue.Count); }
    }

    public int ReturnedReceives => Volatile.Read(ref _returned);

    public IReadOnlyList<byte[]> SentFrames
    {
        get { lock (_sent) return [.. _sent]; }
    }

    public int OutstandingPoolObjects => (int)Ndis5.PacketPoolUsage(_packets) + _buffers.Counters.Outstanding + (Translation.IsIdle ? 0 : 1);

    // ---- MiniportCo* handlers (5.x) ------------------------------------------------------------------

    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, LegacyCoVc ndisVcHandle, out object? miniportVcContext)
    {
        var vc = new MiniportVc(ndisVcHandle);
        lock (_sync)
            _vcs.Add(vc);
        miniportVcContext = vc;
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext)
    {
        lock (_sync)
            _vcs.Remove((MiniportVc)miniportVcContext!);
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, object? callParameters)
    {
        var vc = (MiniportVc)miniportVcContext!;
        lock (_sync)
            vc.Pending = PendActivate ? 1 : 0;
        return PendActivate ? NdisStatus.Pending : NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext)
    {
        var vc = (MiniportVc)miniportVcContext!;
        List<NdisPacket> flushed;
        lock (_sync)
        {
            flushed = [.. vc.Queue];
            vc.Queue.Clear();
        }
        foreach (var packet in flushed)
            Complete(vc, packet, NdisStatus.Closing);
        lock (_sync)
        {
            vc.Pending = PendDeactivate ? 2 : 0;
            if (!PendDeactivate && vc.InFlight == 0 && vc.HeldReceives == 0)
                return NdisStatus.Success;
            vc.CompleteDeactivationWhenIdle = !PendDeactivate;
        }
        return NdisStatus.Pending;
    }

    public void MiniportCoSendPackets(object? miniportVcContext, NdisPacket[] packetArray, uint numberOfPackets)
    {
        var vc = (MiniportVc)miniportVcContext!;
        List<byte[]>? echo = null;
        List<uint>? echoTags = null;
        var packets = new NdisPacket[numberOfPackets];
        for (int i = 0; i < numberOfPackets; i++)
        {
            var packet = packets[i] = packetArray[i];
            if (RecordSentFrames || Loopback)
            {
                var frame = Flatten(packet);
                if (RecordSentFrames)
                {
                    lock (_sent)
                        _sent.Add(frame);
                }
                if (Loopback)
                {
                    (echo ??= []).Add(frame);
                    (echoTags ??= []).Add(packet.Extension.Ieee8021Q.Value);
                }
            }
        }
        lock (_sync)
            vc.InFlight += packets.Length;
        switch (SendCompletion)
        {
            case SendCompletion.Inline:
                foreach (var packet in packets)
                    Complete(vc, packet, NdisStatus.Success);
                break;
            case SendCompletion.Held:
                lock (_sync)
                {
                    foreach (var packet in packets)
                        vc.Queue.Add(packet);
                }
                break;
            case SendCompletion.Thread:
                _work.Add((vc, packets));
                break;
        }
        if (echo is not null)
            IndicateFrames(vc, echo, resources: false, echoTags);
    }

    public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet)
    {
        var vc = (MiniportVc)packet.MiniportReserved[0]!;
        FreeReceivePacket(packet);
        Interlocked.Increment(ref _returned);
        lock (_sync)
            vc.HeldReceives--;
        MaybeFinishDeactivation(vc);
    }

    public void MiniportCancelSendPackets(object? miniportAdapterContext, nint cancelId)
    {
        MiniportVc[] vcs;
        lock (_sync)
            vcs = [.. _vcs];
        foreach (var vc in vcs)
        {
            List<NdisPacket> cancelled;
            lock (_sync)
            {
                cancelled = vc.Queue.Where(p => Ndis5.GetPacketCancelId(p) == cancelId).ToList();
                vc.Queue.RemoveAll(cancelled.Contains);
            }
            foreach (var packet in cancelled)
                Complete(vc, packet, NdisStatus.SendAborted);
        }
    }

    public NdisStatus MiniportCoRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest ndisRequest) => ndisRequest.Oid switch
    {
        NdisOid.CoLinkSpeed => ndisRequest.WriteUInt64(1_550_000UL | (1_550_000UL << 32)),
        NdisOid.GenMaximumFrameSize => ndisRequest.WriteUInt32(9180),
        NdisOid.CoMediaConnectStatus => ndisRequest.WriteUInt32(0),
        _ => NdisStatus.NotSupported,
    };

    // ---- IConformanceMiniport -------------------------------------------------------------------------

    public int CompleteQueued(NdisStatus status)
    {
        int total = 0;
        MiniportVc[] vcs;
        lock (_sync)
            vcs = [.. _vcs];
        foreach (var vc in vcs)
        {
            List<NdisPacket> queued;
            lock (_sync)
            {
                queued = [.. vc.Queue];
                vc.Queue.Clear();
            }
            foreach (var packet in queued)
                Complete(vc, packet, status);
            total += queued.Count;
        }
        // The suite counts NBLs: each queued NBL here was one packet per NB; report completed sends by NBL.
        return total;
    }

    public void FinishPendedActivation(VirtualConnection vc, NdisStatus status)
    {
        var legacy = LegacyMiniportAdapter.LegacyVcOf(vc);
        var mine = (MiniportVc)legacy.MiniportVcContext!;
        int pending;
        lock (_sync)
        {
            pending = mine.Pending;
            mine.Pending = 0;
        }
        if (pending == 1)
        {
            Ndis5.MCoActivateVcComplete(status, legacy, null);
            return;
        }
        lock (_sync)
        {
            if (mine.InFlight > 0 || mine.HeldReceives > 0)
            {
                mine.CompleteDeactivationWhenIdle = true;
                return;
            }
        }
        Ndis5.MCoDeactivateVcComplete(status, legacy);
    }

    public void Indicate(VirtualConnection vc, IReadOnlyList<byte[]> frames, bool resources) =>
        IndicateFrames((MiniportVc)LegacyMiniportAdapter.LegacyVcOf(vc).MiniportVcContext!, frames, resources, null);

    public void Dispose()
    {
        _work.CompleteAdding();
        _worker.Join(TimeSpan.FromSeconds(10));
        _work.Dispose();
    }

    private void IndicateFrames(MiniportVc vc, IReadOnlyList<byte[]> frames, bool resources, List<uint>? tags)
    {
        var packets = new NdisPacket[frames.Count];
        for (int i = 0; i < frames.Count; i++)
        {
            Ndis5.AllocatePacket(out _, out var packet, _packets);
            var memory = NdisMemory.AllocatePinned(frames[i].Length);
            frames[i].CopyTo(memory.Span);
            Ndis5.AllocateBuffer(out _, out var buffer, _buffers, memory, (uint)frames[i].Length);
            Ndis5.ChainBufferAtBack(packet!, buffer!);
            packet!.Status = resources ? NdisStatus.Resources : NdisStatus.Success;
            packet.MiniportReserved[0] = vc;
            if (tags is not null)
                packet.Extension.Ieee8021Q = new NetBufferCore.Info.Ieee8021QInfo(tags[i]);
            packets[i] = packet;
        }
        if (!resources)
        {
            lock (_sync)
                vc.HeldReceives += packets.Length;
        }
        Ndis5.MCoIndicateReceivePacket(vc.Legacy, packets, (uint)packets.Length);
        Ndis5.MCoReceiveComplete(Translation.LegacyBinding);
        if (resources)
        {
            foreach (var packet in packets)
                FreeReceivePacket(packet); // ours again the moment the indication returned
        }
    }

    private void FreeReceivePacket(NdisPacket packet)
    {
        Ndis5.UnchainBufferAtFront(packet, out var buffer);
        while (buffer is not null)
        {
            Ndis5.FreeBuffer(buffer);
            Ndis5.UnchainBufferAtFront(packet, out buffer);
        }
        packet.MiniportReserved[0] = null;
        Ndis5.FreePacket(packet);
    }

    private void Complete(MiniportVc vc, NdisPacket packet, NdisStatus status)
    {
        Ndis5.MCoSendComplete(status, vc.Legacy, packet);
        lock (_sync)
            vc.InFlight--;
        MaybeFinishDeactivation(vc);
    }

    private void MaybeFinishDeactivation(MiniportVc vc)
    {
        lock (_sync)
        {
            if (!vc.CompleteDeactivationWhenIdle || vc.InFlight > 0 || vc.HeldReceives > 0)
                return;
            vc.CompleteDeactivationWhenIdle = false;
            vc.Pending = 0;
        }
        Ndis5.MCoDeactivateVcComplete(NdisStatus.Success, vc.Legacy);
    }

    private static byte[] Flatten(NdisPacket packet)
    {
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
        return frame;
    }

    private void Work()
    {
        var random = new Random(11);
        foreach (var (vc, packets) in _work.GetConsumingEnumerable())
        {
            var order = packets.OrderBy(_ => random.Next()).ToArray();
            foreach (var packet in order)
                Complete(vc, packet, NdisStatus.Success);
        }
    }

    private sealed class MiniportVc(LegacyCoVc legacy)
    {
        public LegacyCoVc Legacy { get; } = legacy;

        public List<NdisPacket> Queue { get; } = [];

        public int InFlight;

        public int HeldReceives;

        public bool CompleteDeactivationWhenIdle;

        public int Pending;
    }
}
