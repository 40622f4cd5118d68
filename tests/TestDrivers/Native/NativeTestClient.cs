using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.TestDrivers;

/// <summary>
/// An NDIS 6 CoNDIS client for the tests, written against the <see cref="Ndis"/> facade. It checks on every
/// completion that the NBL comes back exactly once, with its NB list unchanged and its SourceHandle
/// restored, and keeps what it received (copying when the indication carries the resources flag).
/// </summary>
public sealed class NativeTestClient : ICoClient, IConformanceClient
{
    private readonly object _sync = new();
    private readonly ClientRecord<NetBufferList> _record = new();
    private NetBufferListPool _nbls = null!;
    private NetBufferPool _nbs = null!;
    private int _nextTag;

    public CoBinding Binding { get; private set; } = null!;

    public ReceiveHandling ReceiveHandling { get; set; }

    /// <summary>Every call-control event in order, for assertions ("MakeCallComplete Success", …).</summary>
    public List<string> Events { get; } = [];

    /// <summary>Address families announced by ProtocolCoAfRegisterNotify.</summary>
    public List<CoAddressFamily> AnnouncedFamilies { get; } = [];

    public List<NdisStatusIndication> StatusIndications { get; } = [];

    /// <summary>What ProtocolClIncomingCall answers.</summary>
    public NdisStatus IncomingCallAnswer { get; set; } = NdisStatus.Success;

    /// <summary>The VC of the last incoming call the client accepted.</summary>
    public VirtualConnection? IncomingVc { get; private set; }

    public IReadOnlyList<CompletedSend> Completed => _record.Completed;

    public IReadOnlyList<byte[]> Received => _record.Received;

    public IReadOnlyList<uint> ReceivedIeee8021Q => _record.ReceivedIeee8021Q;

    public int HeldCount => _record.HeldCount;

    public int OutstandingPoolObjects => _nbls.Counters.Outstanding + _nbs.Counters.Outstanding + Binding.Handle.Mdls.Counters.Outstanding;

    /// <summary>Binds to <paramref name="adapter"/> and makes the client's pools.</summary>
    public CoBinding Bind(CoNdisRuntime runtime, CoMiniportAdapter adapter)
    {
        Binding = runtime.OpenAdapter(adapter, "test client", this, protocolBindingContext: this);
        _nbls = new NetBufferListPool(Binding.Handle, new NetBufferListPoolParameters(), name: "client NBLs");
        _nbs = new NetBufferPool(Binding.Handle, new NetBufferPoolParameters(), name: "client NBs");
        return Binding;
    }

    public VirtualConnection CreateVc(CoAfHandle af)
    {
        var context = new ClientVc();
        var status = Ndis.CoCreateVc(Binding, af, context, out var vc);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoCreateVc: {status}");
        context.Vc = vc!;
        return vc!;
    }

    public int[] Send(VirtualConnection vc, IReadOnlyList<byte[][]> nbls, int mdlsPerNb = 1, nint cancelId = 0, uint ieee8021Q = 0)
    {
        NetBufferList? head = null, tail = null;
        var tags = new int[nbls.Count];
        for (int i = 0; i < nbls.Count; i++)
        {
            var nbl = _nbls.AllocateNetBufferList() ?? throw new InvalidOperationException("client NBL pool exhausted");
            NetBuffer? last = null;
            foreach (var frame in nbls[i])
            {
                var nb = TestFrames.Build(Binding.Handle, _nbs, frame, mdlsPerNb);
                if (last is null)
                    nbl.FirstNetBuffer = nb;
                else
                    last.Next = nb;
                last = nb;
            }
            tags[i] = Interlocked.Increment(ref _nextTag);
            nbl.ProtocolReserved[0] = new SendRecord(tags[i], nbl.FirstNetBuffer, nbls[i]);
            nbl.SourceHandle = vc; // the sender sets SourceHandle to the NdisVcHandle it sends on (NdisCoSendNetBufferLists)
            nbl.Info.CancelId = cancelId;
            nbl.Info.Ieee8021Q = new NetBufferCore.Info.Ieee8021QInfo(ieee8021Q);
            if (tail is null)
                head = nbl;
            else
                tail.Next = nbl;
            tail = nbl;
        }
        Ndis.CoSendNetBufferLists(vc, head, SendFlags.None);
        return tags;
    }

    public void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        var vc = ((ClientVc)protocolVcContext!).Vc;
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            nbl.Next = null;
            var record = (SendRecord)nbl.ProtocolReserved[0]!;
            if (Interlocked.Exchange(ref record.CompletedFlag, 1) != 0)
                throw new InvalidOperationException($"send {record.Tag} completed twice");
            if (!ReferenceEquals(nbl.FirstNetBuffer, record.FirstNetBuffer))
                throw new InvalidOperationException($"send {record.Tag} came back with another NB list");
            if (!ReferenceEquals(nbl.SourceHandle, vc))
                throw new InvalidOperationException($"send {record.Tag} came back with SourceHandle {nbl.SourceHandle}, not its VC");
            _record.AddCompleted(new CompletedSend(record.Tag, nbl.Status, record.Frames));
            FreeSend(nbl);
            nbl = next;
        }
    }

    public void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        bool resources = (receiveFlags & ReceiveFlags.Resources) != 0;
        bool hold = !resources && ReceiveHandling == ReceiveHandling.Hold;
        var returnNow = new NetBufferListQueue();
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            var frame = nbl.FirstNetBuffer!.ToArray(); // a copy: required with RESOURCES, harmless otherwise
            if (!resources)
                nbl.Next = null; // each is ours on its own now; the held ones go back in groups of the test's choosing
            _record.AddReceived(frame, nbl.Info.Ieee8021Q.Value, hold ? nbl : null);
            if (!resources && !hold)
                returnNow.Enqueue(nbl);
            nbl = next;
        }
        // With RESOURCES the chain stays linked as it came: it is the miniport's again when we return.
        if (returnNow.DequeueAll() is { } chain)
            Ndis.ReturnNetBufferLists(Binding, chain, ReturnFlags.None);
    }

    /// <summary>Returns the held receives (NdisReturnNetBufferLists) in random groups of up to five, from <paramref name="threads"/> threads.</summary>
    public void ReturnHeld(int threads, int seed)
    {
        var groups = _record.TakeHeldInRandomGroups(seed, largest: 5);
        Parallel.ForEach(groups, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, group =>
        {
            for (int i = 0; i < group.Length; i++)
                group[i].Next = i + 1 < group.Length ? group[i + 1] : null;
            Ndis.ReturnNetBufferLists(Binding, group[0], ReturnFlags.None);
        });
    }

    public void ProtocolCoAfRegisterNotify(object? protocolBindingContext, CoAddressFamily addressFamily)
    {
        lock (_sync)
            AnnouncedFamilies.Add(addressFamily);
    }

    public void ProtocolCoStatusEx(object? protocolBindingContext, object? protocolVcContext, NdisStatusIndication statusIndication)
    {
        lock (_sync)
            StatusIndications.Add(statusIndication);
    }

    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        Record("ProtocolCoCreateVc");
        protocolVcContext = new ClientVc { Vc = ndisVcHandle };
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
    {
        Record("ProtocolCoDeleteVc");
        return NdisStatus.Success;
    }

    public void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle) => Record($"OpenAfComplete {status}");

    public void ProtocolClRegisterSapComplete(NdisStatus status, object? protocolSapContext, CoSap sap, CoSapHandle ndisSapHandle) => Record($"RegisterSapComplete {status}");

    public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters) =>
        Record($"MakeCallComplete {status}");

    public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext) => Record($"CloseCallComplete {status}");

    public void ProtocolClAddPartyComplete(NdisStatus status, object? protocolPartyContext, CoParty? ndisPartyHandle, CoCallParameters callParameters) =>
        Record($"AddPartyComplete {status}");

    public void ProtocolClDropPartyComplete(NdisStatus status, object? protocolPartyContext) => Record($"DropPartyComplete {status}");

    public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters)
    {
        Record($"IncomingCall -> {IncomingCallAnswer}");
        if (IncomingCallAnswer == NdisStatus.Success)
            IncomingVc = ((ClientVc)protocolVcContext!).Vc;
        return IncomingCallAnswer;
    }

    public void ProtocolClCallConnected(object? protocolVcContext) => Record("CallConnected");

    public void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, ReadOnlyMemory<byte> closeData) =>
        Record($"IncomingCloseCall {closeStatus}");

    public void ProtocolClIncomingDropParty(NdisStatus dropStatus, object? protocolPartyContext, ReadOnlyMemory<byte> closeData) =>
        Record($"IncomingDropParty {dropStatus}");

    public void ProtocolClModifyCallQoSComplete(NdisStatus status, object? protocolVcContext, CoCallParameters callParameters) =>
        Record($"ModifyCallQoSComplete {status}");

    private void Record(string text)
    {
        lock (_sync)
            Events.Add(text);
    }

    private void FreeSend(NetBufferList nbl)
    {
        var nb = nbl.FirstNetBuffer;
        nbl.FirstNetBuffer = null;
        while (nb is not null)
        {
            var next = nb.Next;
            nb.Next = null;
            TestFrames.Free(nb);
            nb = next;
        }
        Ndis.FreeNetBufferList(nbl);
    }

    /// <summary>The client's ProtocolVcContext: known before NDIS hands out the VC handle, filled in after.</summary>
    private sealed class ClientVc
    {
        public VirtualConnection Vc { get; set; } = null!;
    }

    private sealed class SendRecord(int tag, NetBuffer? firstNetBuffer, byte[][] frames)
    {
        public int Tag { get; } = tag;

        public NetBuffer? FirstNetBuffer { get; } = firstNetBuffer;

        public byte[][] Frames { get; } = frames;

        public int CompletedFlag;
    }
}
