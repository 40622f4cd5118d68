using System.Collections.Concurrent;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Conformance;

/// <summary>
/// An NDIS 6 CoNDIS miniport for the tests, written against the <see cref="Ndis"/> facade: completes sends
/// inline, on demand or on its own thread (random groups, any order), echoes frames back when asked,
/// deactivates only after its sends are done and its receives are home, and cancels by cancel ID.
/// </summary>
public sealed class NativeTestMiniport : ICoMiniport, IConformanceMiniport, IDisposable
{
    private readonly object _sync = new();
    private readonly List<byte[]> _sent = [];
    private readonly BlockingCollection<(MiniportVc Vc, NetBufferList Chain)> _work = [];
    private readonly Thread _worker;
    private NetBufferListPool? _receivePool;
    private NetBufferPool? _receiveNbs;
    private int _returned;
    private int _seed = 1;

    public NativeTestMiniport()
    {
        _worker = new Thread(Work) { IsBackground = true, Name = "test miniport DPC" };
        _worker.Start();
    }

    public CoMiniportAdapter Adapter { get; private set; } = null!;

    public SendCompletion SendCompletion { get; set; }

    public bool Loopback { get; set; }

    /// <summary>Keep a copy of every frame sent (off for load tests).</summary>
    public bool RecordSentFrames { get; set; } = true;

    public bool PendActivate { get; set; }

    public bool PendDeactivate { get; set; }

    public ulong LinkSpeed { get; set; } = 1_550_000; // 155 Mbit/s in 100 bit/s units (NDIS_CO_LINK_SPEED)

    public uint MaximumFrameSize { get; set; } = 9180;

    public bool MediaConnected { get; set; } = true;

    public int QueuedSends
    {
        get
        {
            lock (_sync)
                return _vcs.Sum(v => v.Queue.Count);
        }
    }

    public int ReturnedReceives => Volatile.Read(ref _returned);

    public IReadOnlyList<byte[]> SentFrames
    {
        get { lock (_sent) return [.. _sent]; }
    }

    public int OutstandingPoolObjects =>
        (_receivePool?.Counters.Outstanding ?? 0) + (_receiveNbs?.Counters.Outstanding ?? 0) + Adapter.Handle.Mdls.Counters.Outstanding;

    private readonly List<MiniportVc> _vcs = [];

    /// <summary>Registers this miniport with <paramref name="runtime"/>.</summary>
    public CoMiniportAdapter Register(CoNdisRuntime runtime, string name = "test miniport")
    {
        Adapter = runtime.RegisterMiniport(name, this, adapterContext: this);
        _receivePool = new NetBufferListPool(Adapter.Handle, new NetBufferListPoolParameters(), name: "rx NBLs");
        _receiveNbs = new NetBufferPool(Adapter.Handle, new NetBufferPoolParameters(), name: "rx NBs");
        return Adapter;
    }

    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, VirtualConnection ndisVcHandle, out object? miniportVcContext)
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

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, CoCallParameters callParameters)
    {
        var vc = (MiniportVc)miniportVcContext!;
        if (callParameters.CallMgrParameters.Transmit.MaxSduSize is > 0 and < 64 and not FlowSpec.NotSpecified)
            return NdisStatus.InvalidData;
        lock (_sync)
            vc.PendingActivation = PendActivate ? 1 : 0;
        return PendActivate ? NdisStatus.Pending : NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext)
    {
        var vc = (MiniportVc)miniportVcContext!;
        NetBufferList? flushed;
        lock (_sync)
        {
            vc.Deactivating = true;
            flushed = vc.Queue.DequeueAll();
        }
        // Model choice (spec §4.8 UNCONFIRMED): sends flushed by a deactivation complete with NDIS_STATUS_CLOSING.
        Complete(vc, flushed, NdisStatus.Closing);
        lock (_sync)
        {
            vc.PendingActivation = PendDeactivate ? 2 : 0;
            if (!PendDeactivate && vc.InFlight == 0 && vc.HeldReceives == 0)
            {
                vc.Deactivating = false;
                return NdisStatus.Success;
            }
            vc.CompleteDeactivationWhenIdle = !PendDeactivate;
        }
        return NdisStatus.Pending;
    }

    public void FinishPendedActivation(VirtualConnection vc, NdisStatus status)
    {
        var mine = Find(vc);
        int pending;
        lock (_sync)
        {
            pending = mine.PendingActivation;
            mine.PendingActivation = 0;
        }
        if (pending == 1)
        {
            Ndis.MCoActivateVcComplete(status, vc, vc.CallParameters ?? CoCallParameters.BestEffort(MaximumFrameSize));
            return;
        }
        if (pending == 2)
        {
            lock (_sync)
            {
                if (mine.InFlight > 0 || mine.HeldReceives > 0)
                {
                    mine.CompleteDeactivationWhenIdle = true;
                    return;
                }
                mine.Deactivating = false;
            }
            Ndis.MCoDeactivateVcComplete(status, vc);
            return;
        }
        throw new InvalidOperationException($"{vc} has no pended activation or deactivation in the test miniport.");
    }

    public void MiniportCoSendNetBufferLists(object? miniportVcContext, NetBufferList netBufferLists, SendFlags sendFlags)
    {
        var vc = (MiniportVc)miniportVcContext!;
        List<byte[]>? echo = null;
        List<uint>? echoTags = null;
        int count = 0;
        for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
        {
            count++;
            if (!RecordSentFrames && !Loopback)
                continue;
            uint tag = nbl.Info.Ieee8021Q.Value;
            foreach (var nb in nbl.NetBuffers)
            {
                var frame = nb.ToArray();
                if (RecordSentFrames)
                {
                    lock (_sent)
                        _sent.Add(frame);
                }
                if (Loopback)
                {
                    (echo ??= []).Add(frame);
                    (echoTags ??= []).Add(tag); // a NIC strips the tag and reports it in the receive NBL's info
                }
            }
        }
        lock (_sync)
            vc.InFlight += count;
        switch (SendCompletion)
        {
            case SendCompletion.Inline:
                Complete(vc, netBufferLists, NdisStatus.Success);
                break;
            case SendCompletion.Held:
                lock (_sync)
                    vc.Queue.EnqueueChain(netBufferLists);
                break;
            case SendCompletion.Thread:
                _work.Add((vc, netBufferLists));
                break;
        }
        if (echo is not null)
            Indicate(vc.Vc, echo, resources: false, echoTags);
    }

    public int CompleteQueued(NdisStatus status)
    {
        int total = 0;
        MiniportVc[] vcs;
        lock (_sync)
            vcs = [.. _vcs];
        foreach (var vc in vcs)
        {
            NetBufferList? chain;
            lock (_sync)
                chain = vc.Queue.DequeueAll();
            total += NetBufferListChain.Count(chain);
            Complete(vc, chain, status);
        }
        return total;
    }

    public void MiniportCancelSend(object? miniportAdapterContext, nint cancelId)
    {
        MiniportVc[] vcs;
        lock (_sync)
            vcs = [.. _vcs];
        foreach (var vc in vcs)
        {
            NetBufferList? cancelled;
            lock (_sync)
            {
                NetBufferListChain.Partition(vc.Queue.DequeueAll(), cancelId, static (n, id) => n.Info.CancelId == id, out cancelled, out var kept);
                vc.Queue.EnqueueChain(kept);
            }
            Complete(vc, cancelled, NdisStatus.SendAborted);
        }
    }

    public void Indicate(VirtualConnection vc, IReadOnlyList<byte[]> frames, bool resources) => Indicate(vc, frames, resources, null);

    private void Indicate(VirtualConnection vc, IReadOnlyList<byte[]> frames, bool resources, List<uint>? tags)
    {
        var mine = Find(vc);
        NetBufferList? head = null, tail = null;
        for (int i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            var nb = Frames.Build(Adapter.Handle, _receiveNbs!, frame, 1 + (frame.Length % 3));
            var nbl = _receivePool!.AllocateNetBufferList() ?? throw new InvalidOperationException("rx NBL pool exhausted");
            nbl.FirstNetBuffer = nb;
            nbl.SourceHandle = vc;
            if (tags is not null)
                nbl.Info.Ieee8021Q = new NetBufferCore.Info.Ieee8021QInfo(tags[i]);
            if (tail is null)
                head = nbl;
            else
                tail.Next = nbl;
            tail = nbl;
        }
        if (head is null)
            return;
        if (!resources)
        {
            lock (_sync)
                mine.HeldReceives += frames.Count;
        }
        Ndis.MCoIndicateReceiveNetBufferLists(vc, head, frames.Count, resources ? ReceiveFlags.Resources : ReceiveFlags.None);
        if (resources)
            FreeReceives(head);
    }

    public void MiniportReturnNetBufferLists(object? miniportAdapterContext, NetBufferList netBufferLists, ReturnFlags returnFlags)
    {
        var perVc = new Dictionary<MiniportVc, int>();
        for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
        {
            var vc = Find((VirtualConnection)nbl.SourceHandle!);
            perVc[vc] = perVc.GetValueOrDefault(vc) + 1;
            Interlocked.Increment(ref _returned);
        }
        FreeReceives(netBufferLists);
        foreach (var (vc, count) in perVc)
        {
            lock (_sync)
                vc.HeldReceives -= count;
            MaybeFinishDeactivation(vc);
        }
    }

    public NdisStatus MiniportCoOidRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest oidRequest)
    {
        if (oidRequest.RequestType != NdisRequestType.QueryInformation)
            return NdisStatus.NotSupported;
        return oidRequest.Oid switch
        {
            NdisOid.CoLinkSpeed => oidRequest.WriteUInt64(LinkSpeed | (LinkSpeed << 32)),
            NdisOid.GenMaximumFrameSize => oidRequest.WriteUInt32(MaximumFrameSize),
            NdisOid.CoMediaConnectStatus => oidRequest.WriteUInt32(MediaConnected ? 0u : 1u),
            _ => NdisStatus.NotSupported,
        };
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _worker.Join(TimeSpan.FromSeconds(10));
        _work.Dispose();
    }

    private void Complete(MiniportVc vc, NetBufferList? chain, NdisStatus status)
    {
        if (chain is null)
            return;
        int count = 0;
        for (var nbl = chain; nbl is not null; nbl = nbl.Next)
        {
            nbl.Status = status;
            count++;
        }
        Ndis.MCoSendNetBufferListsComplete(vc.Vc, chain, SendCompleteFlags.None);
        lock (_sync)
            vc.InFlight -= count;
        MaybeFinishDeactivation(vc);
    }

    private void MaybeFinishDeactivation(MiniportVc vc)
    {
        lock (_sync)
        {
            if (!vc.CompleteDeactivationWhenIdle || vc.InFlight > 0 || vc.HeldReceives > 0)
                return;
            vc.CompleteDeactivationWhenIdle = false;
            vc.Deactivating = false;
            vc.PendingActivation = 0;
        }
        Ndis.MCoDeactivateVcComplete(NdisStatus.Success, vc.Vc);
    }

    private void FreeReceives(NetBufferList? chain)
    {
        while (chain is not null)
        {
            var next = chain.Next;
            chain.Next = null;
            var nb = chain.FirstNetBuffer!;
            chain.FirstNetBuffer = null;
            Frames.Free(nb);
            _receivePool!.FreeNetBufferList(chain);
            chain = next;
        }
    }

    private MiniportVc Find(VirtualConnection vc)
    {
        lock (_sync)
            return _vcs.First(v => v.Vc == vc);
    }

    private void Work()
    {
        var random = new Random(_seed++);
        foreach (var (vc, chain) in _work.GetConsumingEnumerable())
        {
            // Split the chain into random groups and complete them in a shuffled order.
            var groups = new List<NetBufferList>();
            var rest = chain;
            while (rest is not null)
            {
                var group = rest;
                var last = rest;
                for (int n = random.Next(1, 5); n > 1 && last.Next is not null; n--)
                    last = last.Next;
                rest = last.Next;
                last.Next = null;
                groups.Add(group);
            }
            if (random.Next(2) == 0)
                groups.Reverse();
            foreach (var group in groups)
                Complete(vc, group, NdisStatus.Success);
        }
    }

    private sealed class MiniportVc(VirtualConnection vc)
    {
        public VirtualConnection Vc { get; } = vc;

        public NetBufferListQueue Queue { get; } = new();

        public int InFlight;

        public int HeldReceives;

        public bool Deactivating;

        public bool CompleteDeactivationWhenIdle;

        /// <summary>1 while an activation is pended, 2 while a deactivation is pended.</summary>
        public int PendingActivation;
    }
}
