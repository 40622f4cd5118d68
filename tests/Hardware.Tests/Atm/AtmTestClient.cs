using System.Collections.Concurrent;
using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Tests.Miniports;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Hardware.Tests.Atm;

/// <summary>
/// A native CoNDIS client of the ATM device (written against <see cref="Ndis"/>): it opens the Q.2931 AF, registers the
/// SAP of its ATM address, makes and accepts calls keeping the parameters it saw, sends frames (one NBL each) and
/// keeps what it receives per VC, and closes from either side.
/// </summary>
internal sealed class AtmTestClient : ICoClient
{
    private readonly ConcurrentDictionary<VirtualConnection, ConcurrentQueue<byte[]>> _received = new();
    private readonly ConcurrentQueue<string> _events = new();
    private NetBufferListPool _nbls = null!;
    private long _completed;
    private long _failed;
    private long _receivedCount;

    public CoBinding Binding { get; private set; } = null!;

    public CoAfHandle Af { get; private set; } = null!;

    public VirtualConnection? LastIncomingVc { get; private set; }

    /// <summary>The parameters of the last incoming call, as ProtocolClIncomingCall saw them.</summary>
    public CoCallParameters? LastIncomingParameters { get; private set; }

    /// <summary>Keep the bytes of every frame received (off: count them only, allocating nothing).</summary>
    public bool RecordFrames { get; set; } = true;

    /// <summary>Frames received on every VC.</summary>
    public long ReceivedCount => Interlocked.Read(ref _receivedCount);

    public long Completed => Interlocked.Read(ref _completed);

    public long Failed => Interlocked.Read(ref _failed);

    public IReadOnlyList<string> Events => [.. _events];

    public int OutstandingPoolObjects => _nbls.Outstanding;

    public AtmTestClient Bind(CoNdisRuntime runtime, CoMiniportAdapter adapter, string name)
    {
        Binding = runtime.OpenAdapter(adapter, name, this, protocolBindingContext: this);
        _nbls = new NetBufferListPool(Binding.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 9216 }, name: $"{name} NBLs");
        var status = Ndis.ClOpenAddressFamilyEx(Binding, AtmCallParameters.AddressFamily, this, out var af);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisClOpenAddressFamilyEx: {status.Describe()}");
        Af = af!;
        return this;
    }

    public void RegisterSap(CoSap sap)
    {
        var status = Ndis.ClRegisterSap(Af, this, sap, out _);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisClRegisterSap: {status.Describe()}");
    }

    /// <summary>Creates a VC and makes the call; returns it with the final status and the parameters the completion carried.</summary>
    public (VirtualConnection Vc, NdisStatus Status, CoCallParameters? Parameters) Call(CoCallParameters parameters)
    {
        var context = new Vc();
        var status = Ndis.CoCreateVc(Binding, Af, context, out var vc);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoCreateVc: {status.Describe()}");
        context.Handle = vc!;
        status = Ndis.ClMakeCall(vc!, parameters, null, out _);
        if (status == NdisStatus.Pending)
        {
            Wait.Until(() => context.MakeCallStatus is not null, "the make-call to complete");
            status = context.MakeCallStatus!.Value;
        }
        return (vc!, status, context.MakeCallParameters);
    }

    public IReadOnlyList<byte[]> ReceivedOn(VirtualConnection vc) => _received.TryGetValue(vc, out var queue) ? [.. queue] : [];

    public void Send(VirtualConnection vc, IReadOnlyList<byte[]> frames)
    {
        NetBufferList? head = null, tail = null;
        for (int i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            var nbl = _nbls.AllocateNetBufferList() ?? throw new InvalidOperationException("client NBL pool exhausted");
            var nb = nbl.FirstNetBuffer!;
            frame.CopyTo(nb.MdlChain!.Span);
            nb.DataLength = frame.Length;
            nbl.SourceHandle = vc;
            if (tail is null)
                head = nbl;
            else
                tail.Next = nbl;
            tail = nbl;
        }
        Ndis.CoSendNetBufferLists(vc, head!, SendFlags.None);
    }

    /// <summary>NdisClCloseCall (unless the call is closed already) and wait for it; a VC the client created is deleted.</summary>
    public void Close(VirtualConnection vc)
    {
        var status = vc.State is VcState.Created or VcState.Deleted ? NdisStatus.Success : Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty);
        if (status == NdisStatus.Pending)
            Wait.Until(() => vc.State is VcState.Created or VcState.Deleted, "the close to complete");
        if (!vc.CreatedByCallManager && vc.State != VcState.Deleted)
        {
            status = Ndis.CoDeleteVc(vc);
            if (status != NdisStatus.Success)
                throw new InvalidOperationException($"NdisCoDeleteVc: {status.Describe()}");
        }
    }

    public bool HasEvent(string prefix) => _events.Any(e => e.StartsWith(prefix, StringComparison.Ordinal));

    public void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            nbl.Next = null;
            if (nbl.Status != NdisStatus.Success)
                Interlocked.Increment(ref _failed);
            var nb = nbl.FirstNetBuffer!;
            nb.DataLength = nb.MdlChain!.ByteCount;
            _nbls.FreeNetBufferList(nbl);
            Interlocked.Increment(ref _completed);
            nbl = next;
        }
    }

    public void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        Interlocked.Add(ref _receivedCount, numberOfNetBufferLists);
        if (RecordFrames)
        {
            var queue = _received.GetOrAdd(((Vc)protocolVcContext!).Handle, _ => new ConcurrentQueue<byte[]>());
            for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
                queue.Enqueue(nbl.FirstNetBuffer!.ToArray());
        }
        if ((receiveFlags & ReceiveFlags.Resources) == 0)
            Ndis.ReturnNetBufferLists(Binding, netBufferLists, ReturnFlags.None);
    }

    public void ProtocolCoStatusEx(object? protocolBindingContext, object? protocolVcContext, NdisStatusIndication statusIndication)
    {
    }

    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = new Vc { Handle = ndisVcHandle };
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext) => NdisStatus.Success;

    public void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle)
    {
    }

    public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
        var vc = (Vc)protocolVcContext!;
        vc.MakeCallParameters = callParameters;
        vc.MakeCallStatus = status;
        _events.Enqueue($"MakeCallComplete {status}");
    }

    public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext) => _events.Enqueue($"CloseCallComplete {status}");

    public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters)
    {
        LastIncomingParameters = callParameters;
        LastIncomingVc = ((Vc)protocolVcContext!).Handle;
        _events.Enqueue("IncomingCall");
        return NdisStatus.Success;
    }

    public void ProtocolClCallConnected(object? protocolVcContext) => _events.Enqueue("CallConnected");

    public void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, ReadOnlyMemory<byte> closeData)
    {
        _events.Enqueue($"IncomingCloseCall {closeStatus}");
        var vc = ((Vc)protocolVcContext!).Handle;
        Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty);
    }

    private sealed class Vc
    {
        public VirtualConnection Handle = null!;
        public NdisStatus? MakeCallStatus;
        public CoCallParameters? MakeCallParameters;
    }
}
