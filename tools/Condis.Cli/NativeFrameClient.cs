using CoNdis.Hardware.Miniports;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Info;
using CoNdis.Translation;

namespace Condis.Cli;

/// <summary>
/// The native (NDIS 6) client of <c>condis convert</c> and <c>condis demo</c>, written against <see cref="Ndis"/>:
/// NdisClOpenAddressFamilyEx, NdisClRegisterSap, NdisCoCreateVc + NdisClMakeCall to its own SAP, then
/// NdisCoSendNetBufferLists of NBLs built by <see cref="FrameNetBufferListBuilder"/> over the batch's memory;
/// ProtocolCoSendNetBufferListsComplete frees them, ProtocolCoReceiveNetBufferLists hands each frame to the sink and
/// returns the NBLs (NdisReturnNetBufferLists) unless the miniport indicated them with the RESOURCES flag.
/// </summary>
internal sealed class NativeFrameClient : ICoClient, IFrameClient
{
    private static readonly object s_outgoing = "outgoing";
    private static readonly object s_incoming = "incoming";

    private readonly CoBinding _binding;
    private readonly FrameNetBufferListBuilder _builder;
    private readonly IFrameSink _sink;
    private readonly byte[] _scratch;
    private readonly List<SendSlots> _sendSlots = [];
    private readonly CoAfHandle _af;
    private CoSapHandle? _sap;
    private VirtualConnection? _outgoingVc;
    private VirtualConnection? _incomingVc;
    private long _completed;
    private long _failed;
    private long _received;
    private long _unexpected;
    private int _firstFailure;

    public NativeFrameClient(CoNdisRuntime runtime, CoMiniportAdapter adapter, CoAddressFamily addressFamily, IFrameSink sink, int batchCapacity, int maxFrameLength)
    {
        _sink = sink;
        _binding = runtime.OpenAdapter(adapter, "condis native client", this, this);
        _builder = new FrameNetBufferListBuilder(_binding.Handle, 1, batchCapacity * (CaptureConverter.Batches + 1));
        _scratch = GC.AllocateUninitializedArray<byte>(maxFrameLength);
        DeviceHost.Check(Ndis.ClOpenAddressFamilyEx(_binding, addressFamily, this, out var af), "NdisClOpenAddressFamilyEx");
        _af = af!;
    }

    public long Completed => Interlocked.Read(ref _completed);

    public long Failed => Interlocked.Read(ref _failed);

    public NdisStatus FirstFailure => (NdisStatus)Volatile.Read(ref _firstFailure);

    public long Received => Interlocked.Read(ref _received);

    public long Unexpected => Interlocked.Read(ref _unexpected);

    public int OutstandingPoolObjects => _builder.Pool.Outstanding;

    public TranslationCounts? Translation => null;

    public VirtualConnection? OutgoingVc => _outgoingVc;

    public VirtualConnection? IncomingVc => _incomingVc;

    public void RegisterSap(CoSap sap)
    {
        DeviceHost.Check(Ndis.ClRegisterSap(_af, this, sap, out var sapHandle), "NdisClRegisterSap");
        _sap = sapHandle;
    }

    public void MakeCall(CoCallParameters parameters)
    {
        DeviceHost.Check(Ndis.CoCreateVc(_binding, _af, s_outgoing, out var vc), "NdisCoCreateVc");
        _outgoingVc = vc!;
        var status = Ndis.ClMakeCall(_outgoingVc, parameters, null, out _);
        if (status != NdisStatus.Pending)
            DeviceHost.Check(status, "NdisClMakeCall");
        CallWait.Until(() => _outgoingVc.State != VcState.Calling, "the call to connect");
        if (_outgoingVc.State != VcState.Connected)
            throw new InvalidOperationException($"NdisClMakeCall did not connect: the VC is {_outgoingVc.State}");
    }

    public void CloseCall(VirtualConnection? callee)
    {
        if (_outgoingVc is null)
            return;
        DeviceHost.CloseCall(_outgoingVc, callee);
        if (!_outgoingVc.CreatedByCallManager)
            DeviceHost.Check(Ndis.CoDeleteVc(_outgoingVc), "NdisCoDeleteVc");
        _outgoingVc = null;
    }

    /// <summary>
    /// NdisCoSendNetBufferLists of the batch's carried frames as one chain. Each slot of the batch has its NBL with two
    /// MDLs over the slot's memory (made once, by <see cref="FrameNetBufferListBuilder"/>, the MAC header and the rest),
    /// re-described for each frame (NdisAdjustMdlLength, the NB's data length, the tag and checksum requests in the NBL
    /// info) and sent again once it came back, as a protocol keeps its own send NBLs: no pool work per frame.
    /// </summary>
    public void Send(FrameBatch batch)
    {
        var state = batch.ClientState as SendSlots ?? CreateSlots(batch);
        var slots = batch.Slots;
        NetBufferList? head = null, tail = null;
        for (int i = 0; i < batch.Count; i++)
        {
            ref var slot = ref slots[i];
            if (slot.PassThrough != PassThroughReason.None)
                continue;
            var nbl = state.Nbls[i];
            var header = state.Headers[i];
            int length = slot.Length;
            int first = FrameNetBufferListBuilder.FirstMdlLength(slot.LinkType, length);
            header.AdjustLength(first);
            if (first < length)
            {
                var payload = state.Payloads[i];
                payload.AdjustLength(length - first);
                header.Next = payload;
            }
            else
            {
                header.Next = null;
            }

            var nb = nbl.FirstNetBuffer!;
            nb.MdlChain = header;
            nb.CurrentMdl = header;
            nb.CurrentMdlOffset = 0;
            nb.DataOffset = 0;
            nb.DataLength = length;
            nbl.Info.Ieee8021Q = new Ieee8021QInfo(slot.Tag);
            nbl.Info.Checksum = new TcpIpChecksumInfo(slot.ChecksumRequest);
            nbl.Status = NdisStatus.Success;
            nbl.SourceHandle = _outgoingVc;
            nbl.Next = null;
            if (tail is null)
                head = nbl;
            else
                tail.Next = nbl;
            tail = nbl;
        }

        if (head is not null)
            Ndis.CoSendNetBufferLists(_outgoingVc!, head, SendFlags.None);
    }

    private SendSlots CreateSlots(FrameBatch batch)
    {
        int capacity = batch.Slots.Length;
        var state = new SendSlots(capacity);
        for (int i = 0; i < capacity; i++)
        {
            var memory = batch.SlotMemory(i);
            var nbl = _builder.Build(memory, FrameNetBufferListBuilder.EthernetLinkType, default);
            state.Nbls[i] = nbl;
            state.Headers[i] = nbl.FirstNetBuffer!.MdlChain!;
            state.Payloads[i] = state.Headers[i].Next!;
        }

        batch.ClientState = state;
        _sendSlots.Add(state);
        return state;
    }

    public void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        long completed = 0, failed = 0;
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            nbl.Next = null;
            if (nbl.Status != NdisStatus.Success)
            {
                failed++;
                Interlocked.CompareExchange(ref _firstFailure, (int)nbl.Status, 0);
            }

            completed++;
            nbl = next;
        }

        Interlocked.Add(ref _failed, failed);
        Interlocked.Add(ref _completed, completed);
    }

    public void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        if (!ReferenceEquals(protocolVcContext, s_incoming))
        {
            Interlocked.Add(ref _unexpected, numberOfNetBufferLists);
        }
        else
        {
            for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
                _sink.Received(DataOf(nbl.FirstNetBuffer!));
            Interlocked.Add(ref _received, numberOfNetBufferLists);
        }

        if ((receiveFlags & ReceiveFlags.Resources) == 0)
            Ndis.ReturnNetBufferLists(_binding, netBufferLists, ReturnFlags.None);
    }

    /// <summary>The NB's used data: a span of its current MDL when it fits there (the reference miniport's receive buffers), else NdisGetDataBuffer's copy.</summary>
    private ReadOnlySpan<byte> DataOf(NetBuffer nb)
    {
        var mdl = nb.CurrentMdl;
        if (mdl is not null && mdl.ByteCount - nb.CurrentMdlOffset >= nb.DataLength)
            return mdl.Span.Slice(nb.CurrentMdlOffset, nb.DataLength);
        return nb.GetDataBuffer(nb.DataLength, _scratch, 1, 0);
    }

    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = s_incoming;
        _incomingVc = ndisVcHandle;
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext) => NdisStatus.Success;

    public void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle)
    {
    }

    public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
    }

    public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext)
    {
    }

    public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters) => NdisStatus.Success;

    public int Close()
    {
        CloseCall(_incomingVc);

        if (_sap is not null)
            DeviceHost.Check(Ndis.ClDeregisterSap(_sap), "NdisClDeregisterSap");
        foreach (var state in _sendSlots)
        {
            for (int i = 0; i < state.Nbls.Length; i++)
            {
                var header = state.Headers[i];
                header.Next = state.Payloads[i];
                state.Nbls[i].FirstNetBuffer!.MdlChain = header;
                _builder.Free(state.Nbls[i]);
            }
        }

        _sendSlots.Clear();
        return _builder.Pool.FreePool() + _binding.Handle.Mdls.Counters.Outstanding;
    }

    /// <summary>A batch's send NBLs and their two MDLs, slot by slot.</summary>
    private sealed class SendSlots(int capacity)
    {
        public NetBufferList[] Nbls { get; } = new NetBufferList[capacity];

        public Mdl[] Headers { get; } = new Mdl[capacity];

        public Mdl[] Payloads { get; } = new Mdl[capacity];
    }
}
