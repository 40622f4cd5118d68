using System.Collections.Concurrent;
using CoNdis.Hardware.Miniports;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Info;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Hardware.Tests.Miniports;

/// <summary>One frame as the test client received it.</summary>
internal sealed record ReceivedFrame(VirtualConnection Vc, byte[] Bytes, TcpIpChecksumInfo Checksum, Ieee8021QInfo Ieee8021Q, bool Resources);

/// <summary>
/// A CoNDIS client for the device tests, written against <see cref="Ndis"/>: it opens the device's AF, registers a
/// SAP, makes and accepts calls, sends frames (one NBL each, split over MDLs, with checksum and 802.1Q info), keeps
/// what it receives (copying when the indication carries RESOURCES), holds receives on request, closes calls from
/// either side, and checks that every send comes back exactly once.
/// </summary>
internal sealed class DeviceTestClient : ICoClient
{
    private readonly ConcurrentQueue<ReceivedFrame> _received = new();
    private readonly ConcurrentQueue<NetBufferList> _held = new();
    private static readonly object s_reusable = new();
    private readonly Dictionary<NdisStatus, long> _failures = [];
    private long _succeeded;
    private readonly ConcurrentQueue<string> _events = new();
    private NetBufferListPool _nbls = null!;
    private NetBufferPool _nbs = null!;
    private long _completed;
    private long _receivedCount;
    private long _resourcesCount;

    public CoBinding Binding { get; private set; } = null!;

    public CoAfHandle Af { get; private set; } = null!;

    /// <summary>Keep the bytes of every received frame (load tests count only).</summary>
    public bool RecordFrames { get; set; } = true;

    /// <summary>Hold receives instead of returning them at once.</summary>
    public bool HoldReceives { get; set; }

    /// <summary>Answer to ProtocolClIncomingCall.</summary>
    public NdisStatus IncomingCallAnswer { get; set; } = NdisStatus.Success;

    /// <summary>Call NdisClCloseCall from ProtocolClIncomingCloseCall.</summary>
    public bool CloseOnIncomingClose { get; set; } = true;

    public VirtualConnection? LastIncomingVc { get; private set; }

    public IReadOnlyList<ReceivedFrame> Received => [.. _received];

    public long ReceivedCount => Interlocked.Read(ref _receivedCount);

    public long ResourcesReceivedCount => Interlocked.Read(ref _resourcesCount);

    public long CompletedCount => Interlocked.Read(ref _completed);

    public long CompletedWith(NdisStatus status)
    {
        if (status == NdisStatus.Success)
            return Interlocked.Read(ref _succeeded);
        lock (_failures)
            return _failures.GetValueOrDefault(status);
    }

    /// <summary>Failed completions by status.</summary>
    public IReadOnlyDictionary<NdisStatus, long> Failures
    {
        get { lock (_failures) return new Dictionary<NdisStatus, long>(_failures); }
    }

    public IReadOnlyList<string> Events => [.. _events];

    public int HeldCount => _held.Count;

    public List<NdisStatusIndication> StatusIndications { get; } = [];

    public int OutstandingPoolObjects => _nbls.Outstanding + _nbs.Outstanding + Binding.Handle.Mdls.Outstanding;

    public DeviceTestClient Bind(CoNdisRuntime runtime, CoMiniportAdapter adapter, string name = "device test client")
    {
        Binding = runtime.OpenAdapter(adapter, name, this, protocolBindingContext: this);
        _nbls = new NetBufferListPool(Binding.Handle, new NetBufferListPoolParameters(), name: $"{name} NBLs");
        _nbs = new NetBufferPool(Binding.Handle, new NetBufferPoolParameters(), name: $"{name} NBs");
        var status = Ndis.ClOpenAddressFamilyEx(Binding, DeviceCallParameters.AddressFamily, this, out var af);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisClOpenAddressFamilyEx: {status.Describe()}");
        Af = af!;
        return this;
    }

    public CoSapHandle RegisterSap(CoSap sap)
    {
        var status = Ndis.ClRegisterSap(Af, this, sap, out var handle);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisClRegisterSap: {status.Describe()}");
        return handle;
    }

    /// <summary>Creates a VC and calls <paramref name="sap"/>; returns the VC and the make-call's final status.</summary>
    public (VirtualConnection Vc, NdisStatus Status) Call(CoSap sap, uint maxSdu = 9216)
    {
        var context = new ClientVc();
        var status = Ndis.CoCreateVc(Binding, Af, context, out var vc);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoCreateVc: {status.Describe()}");
        context.Vc = vc!;
        status = Ndis.ClMakeCall(vc!, DeviceCallParameters.ForCall(sap, maxSdu), null, out _);
        if (status == NdisStatus.Pending)
        {
            Wait.Until(() => context.MakeCallStatus is not null, "the make-call to complete");
            status = context.MakeCallStatus!.Value;
        }
        return (vc!, status);
    }

    /// <summary>Calls and asserts it connected.</summary>
    public VirtualConnection Connect(CoSap sap)
    {
        var (vc, status) = Call(sap);
        if (status != NdisStatus.Success || vc.State != VcState.Connected)
            throw new InvalidOperationException($"the call to SAP {sap.SapType} ended with {status.Describe()}, VC {vc.State}");
        return vc;
    }

    /// <summary>NdisClCloseCall and wait for the close; a client-created VC is then deleted.</summary>
    public void Close(VirtualConnection vc)
    {
        var status = Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty);
        if (status == NdisStatus.Pending)
            Wait.Until(() => vc.State is VcState.Created or VcState.Deleted, "the close to complete");
        else if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisClCloseCall: {status.Describe()}");
        if (!vc.CreatedByCallManager)
        {
            status = Ndis.CoDeleteVc(vc);
            if (status != NdisStatus.Success)
                throw new InvalidOperationException($"NdisCoDeleteVc: {status.Describe()}");
        }
    }

    /// <summary>Sends one NBL per frame, as one chain.</summary>
    public void Send(VirtualConnection vc, IReadOnlyList<byte[]> frames, int mdlsPerNb = 1, uint checksum = 0, uint ieee8021Q = 0, nint cancelId = 0)
    {
        NetBufferList? head = null, tail = null;
        foreach (var frame in frames)
        {
            var nbl = _nbls.AllocateNetBufferList() ?? throw new InvalidOperationException("client NBL pool exhausted");
            nbl.FirstNetBuffer = Build(frame, mdlsPerNb);
            nbl.SourceHandle = vc;
            nbl.Info.Checksum = new TcpIpChecksumInfo(checksum);
            nbl.Info.Ieee8021Q = new Ieee8021QInfo(ieee8021Q);
            nbl.Info.CancelId = cancelId;
            nbl.ProtocolReserved[0] = nbl.FirstNetBuffer;
            if (tail is null)
                head = nbl;
            else
                tail.Next = nbl;
            tail = nbl;
        }
        Ndis.CoSendNetBufferLists(vc, head, SendFlags.None);
    }

    /// <summary>Sends one NBL holding one NB per frame.</summary>
    public void SendAsOneNbl(VirtualConnection vc, IReadOnlyList<byte[]> frames, int mdlsPerNb = 1)
    {
        var nbl = _nbls.AllocateNetBufferList() ?? throw new InvalidOperationException("client NBL pool exhausted");
        NetBuffer? last = null;
        foreach (var frame in frames)
        {
            var nb = Build(frame, mdlsPerNb);
            if (last is null)
                nbl.FirstNetBuffer = nb;
            else
                last.Next = nb;
            last = nb;
        }
        nbl.SourceHandle = vc;
        nbl.ProtocolReserved[0] = nbl.FirstNetBuffer;
        Ndis.CoSendNetBufferLists(vc, nbl, SendFlags.None);
    }

    /// <summary>NBLs (one per frame) kept for <see cref="SendPrepared"/>: completions count them but do not free them.</summary>
    public NetBufferList[] PrepareChain(VirtualConnection vc, IReadOnlyList<byte[]> frames)
    {
        var nbls = new NetBufferList[frames.Count];
        for (int i = 0; i < nbls.Length; i++)
        {
            nbls[i] = _nbls.AllocateNetBufferList() ?? throw new InvalidOperationException("client NBL pool exhausted");
            nbls[i].FirstNetBuffer = Build(frames[i], 1);
            nbls[i].ProtocolReserved[1] = s_reusable;
        }
        return nbls;
    }

    /// <summary>Sends prepared NBLs as one chain (they must all have completed since the last send).</summary>
    public void SendPrepared(VirtualConnection vc, NetBufferList[] nbls)
    {
        for (int i = 0; i < nbls.Length; i++)
        {
            var nbl = nbls[i];
            nbl.Next = i + 1 < nbls.Length ? nbls[i + 1] : null;
            nbl.SourceHandle = vc;
            nbl.ProtocolReserved[0] = nbl.FirstNetBuffer;
        }
        Ndis.CoSendNetBufferLists(vc, nbls[0], SendFlags.None);
    }

    public void ReleasePrepared(NetBufferList[] nbls)
    {
        foreach (var nbl in nbls)
        {
            nbl.ProtocolReserved[1] = null;
            nbl.Next = null;
            FreeSend(nbl);
        }
    }

    public void ReturnHeld()
    {
        NetBufferList? head = null;
        while (_held.TryDequeue(out var nbl))
        {
            nbl.Next = head;
            head = nbl;
        }
        if (head is not null)
            Ndis.ReturnNetBufferLists(Binding, head, ReturnFlags.None);
    }

    public void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            nbl.Next = null;
            if (!ReferenceEquals(nbl.ProtocolReserved[0], nbl.FirstNetBuffer))
                throw new InvalidOperationException($"{nbl} came back with another NB list (or twice)");
            nbl.ProtocolReserved[0] = null;
            if (nbl.Status == NdisStatus.Success)
            {
                Interlocked.Increment(ref _succeeded);
            }
            else
            {
                lock (_failures)
                    _failures[nbl.Status] = _failures.GetValueOrDefault(nbl.Status) + 1;
            }
            if (!ReferenceEquals(nbl.ProtocolReserved[1], s_reusable))
                FreeSend(nbl);
            Interlocked.Increment(ref _completed);
            nbl = next;
        }
    }

    public void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        bool resources = (receiveFlags & ReceiveFlags.Resources) != 0;
        var vc = ((ClientVc)protocolVcContext!).Vc;
        int count = 0;
        for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
        {
            count++;
            if (nbl.FirstNetBuffer is null || nbl.FirstNetBuffer.Next is not null)
                throw new InvalidOperationException($"{nbl} indicated with {nbl.NetBufferCount} NBs");
            if (RecordFrames)
                _received.Enqueue(new ReceivedFrame(vc, nbl.FirstNetBuffer.ToArray(), nbl.Info.Checksum, nbl.Info.Ieee8021Q, resources));
        }
        Interlocked.Add(ref _receivedCount, count);
        if (resources)
        {
            Interlocked.Add(ref _resourcesCount, count);
            return;
        }
        if (HoldReceives)
        {
            for (var nbl = netBufferLists; nbl is not null;)
            {
                var next = nbl.Next;
                nbl.Next = null;
                _held.Enqueue(nbl);
                nbl = next;
            }
            return;
        }
        Ndis.ReturnNetBufferLists(Binding, netBufferLists, ReturnFlags.DispatchLevel);
    }

    public void ProtocolCoStatusEx(object? protocolBindingContext, object? protocolVcContext, NdisStatusIndication statusIndication)
    {
        lock (StatusIndications)
            StatusIndications.Add(statusIndication);
    }

    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = new ClientVc { Vc = ndisVcHandle };
        _events.Enqueue("CreateVc");
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
    {
        _events.Enqueue("DeleteVc");
        return NdisStatus.Success;
    }

    public void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle) => _events.Enqueue($"OpenAfComplete {status}");

    public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
        _events.Enqueue($"MakeCallComplete {status}");
        ((ClientVc)protocolVcContext!).MakeCallStatus = status;
    }

    public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext) =>
        _events.Enqueue($"CloseCallComplete {status}");

    public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters)
    {
        _events.Enqueue($"IncomingCall -> {IncomingCallAnswer}");
        if (IncomingCallAnswer == NdisStatus.Success)
            LastIncomingVc = ((ClientVc)protocolVcContext!).Vc;
        return IncomingCallAnswer;
    }

    public void ProtocolClCallConnected(object? protocolVcContext) => _events.Enqueue("CallConnected");

    public void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, ReadOnlyMemory<byte> closeData)
    {
        _events.Enqueue($"IncomingCloseCall {closeStatus}");
        if (!CloseOnIncomingClose)
            return;
        var vc = ((ClientVc)protocolVcContext!).Vc;
        var status = Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty);
        _events.Enqueue($"ClCloseCall {status}");
    }

    public bool HasEvent(string prefix) => _events.Any(e => e.StartsWith(prefix, StringComparison.Ordinal));

    private NetBuffer Build(byte[] frame, int mdls)
    {
        var handle = Binding.Handle;
        mdls = Math.Clamp(mdls, 1, Math.Max(1, frame.Length));
        Mdl? head = null, tail = null;
        int done = 0;
        for (int i = 0; i < mdls; i++)
        {
            int length = i == mdls - 1 ? frame.Length - done : frame.Length / mdls;
            var mdl = handle.Mdls.AllocateWithMemory(handle.Memory, length, MdlOrigin.AllocateMdl) ?? throw new InvalidOperationException("MDL pool exhausted");
            frame.AsSpan(done, length).CopyTo(mdl.Span);
            done += length;
            if (tail is null)
                head = mdl;
            else
                tail.Next = mdl;
            tail = mdl;
        }
        return _nbs.AllocateNetBuffer(head, 0, frame.Length) ?? throw new InvalidOperationException("NB pool exhausted");
    }

    private void FreeSend(NetBufferList nbl)
    {
        var nb = nbl.FirstNetBuffer;
        nbl.FirstNetBuffer = null;
        while (nb is not null)
        {
            var next = nb.Next;
            nb.Next = null;
            var chain = nb.MdlChain;
            nb.Initialize(null, 0, 0);
            MdlChainBuilder.FreeChain(chain);
            Ndis.FreeNetBuffer(nb);
            nb = next;
        }
        Ndis.FreeNetBufferList(nbl);
    }

    private sealed class ClientVc
    {
        public VirtualConnection Vc { get; set; } = null!;

        public NdisStatus? MakeCallStatus { get; set; }
    }
}
