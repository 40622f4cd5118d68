using CoNdis.Hardware.Miniports;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Info;
using CoNdis.Translation;
using CoNdis.Translation.Adapters;

namespace Condis.Cli;

/// <summary>
/// The 5.x client of <c>condis convert</c> and <c>condis demo</c>: its data path is written against <see cref="Ndis5"/>
/// (NdisAllocatePacket, NdisAllocateBuffer over the batch's memory with the same split as
/// <see cref="FrameNetBufferListBuilder"/>, the tag and checksum requests in the per-packet info, NdisCoSendPackets of
/// one array per batch; ProtocolCoSendComplete frees each packet and its buffers; ProtocolCoReceivePacket hands the frame
/// to the sink and returns 0, so the packet goes back at once). It sits on the NBL runtime under
/// <see cref="LegacyClientAdapter"/>, and makes its call through the runtime as the device tests do.
/// </summary>
internal sealed class LegacyFrameClient : ILegacyCoClient, IFrameClient
{
    private static readonly object s_outgoing = "outgoing";

    private readonly LegacyClientAdapter _adapter;
    private readonly IFrameSink _sink;
    private readonly NdisPacketPool _packets;
    private readonly NdisBufferPool _buffers;
    private readonly NdisPacket[] _array;
    private readonly byte[] _scratch;
    private readonly List<SendSlots> _sendSlots = [];
    private readonly CoAfHandle _af;
    private CoSapHandle? _sap;
    private TranslatedVc? _outgoing;
    private VirtualConnection? _incomingVc;
    private long _completed;
    private long _failed;
    private long _received;
    private long _unexpected;
    private int _firstFailure;

    public LegacyFrameClient(CoNdisRuntime runtime, CoMiniportAdapter adapter, CoAddressFamily addressFamily, IFrameSink sink, int batchCapacity, int maxFrameLength)
    {
        _sink = sink;
        _adapter = new LegacyClientAdapter(runtime, adapter, "condis 5.x client", this, this);
        _adapter.IncomingVcCreated += legacy => _incomingVc = LegacyClientAdapter.RuntimeVcOf(legacy);
        int packetCount = batchCapacity * (CaptureConverter.Batches + 1);
        Ndis5.AllocatePacketPool(out var status, out var packets, (uint)packetCount, 16, _adapter.Binding.Handle);
        DeviceHost.Check(status, "NdisAllocatePacketPool");
        Ndis5.AllocateBufferPool(out status, out _buffers, (uint)(packetCount * 2), _adapter.Binding.Handle);
        DeviceHost.Check(status, "NdisAllocateBufferPool");
        _packets = packets!;
        _array = new NdisPacket[batchCapacity];
        _scratch = GC.AllocateUninitializedArray<byte>(maxFrameLength);
        DeviceHost.Check(Ndis.ClOpenAddressFamilyEx(_adapter.Binding, addressFamily, this, out var af), "NdisClOpenAddressFamilyEx");
        _af = af!;
    }

    public long Completed => Interlocked.Read(ref _completed);

    public long Failed => Interlocked.Read(ref _failed);

    public NdisStatus FirstFailure => (NdisStatus)Volatile.Read(ref _firstFailure);

    public long Received => Interlocked.Read(ref _received);

    public long Unexpected => Interlocked.Read(ref _unexpected);

    public int OutstandingPoolObjects => _packets.Usage + _buffers.Counters.Outstanding + (_adapter.IsIdle ? 0 : 1);

    public TranslationCounts? Translation => _adapter.Counters;

    public VirtualConnection? OutgoingVc => _outgoing?.Runtime;

    public VirtualConnection? IncomingVc => _incomingVc;

    public void RegisterSap(CoSap sap)
    {
        DeviceHost.Check(Ndis.ClRegisterSap(_af, this, sap, out var sapHandle), "NdisClRegisterSap");
        _sap = sapHandle;
    }

    public void MakeCall(CoCallParameters parameters)
    {
        DeviceHost.Check(_adapter.CreateVc(_af, s_outgoing, out var translated), "NdisCoCreateVc");
        _outgoing = translated!;
        var vc = _outgoing.Runtime;
        var status = Ndis.ClMakeCall(vc, parameters, null, out _);
        if (status != NdisStatus.Pending)
            DeviceHost.Check(status, "NdisClMakeCall");
        CallWait.Until(() => vc.State != VcState.Calling, "the call to connect");
        if (vc.State != VcState.Connected)
            throw new InvalidOperationException($"NdisClMakeCall did not connect: the VC is {vc.State}");
    }

    public void CloseCall(VirtualConnection? callee)
    {
        if (_outgoing is null)
            return;
        DeviceHost.CloseCall(_outgoing.Runtime, callee);
        DeviceHost.Check(_adapter.DeleteVc(_outgoing), "NdisCoDeleteVc");
        _outgoing = null;
    }

    /// <summary>
    /// NdisCoSendPackets of the batch's carried frames as one array. Each slot of the batch has its NDIS_PACKET with two
    /// NDIS_BUFFERs over the slot's memory (the MAC header and the rest, the split of
    /// <see cref="FrameNetBufferListBuilder"/>), made once; for each frame the packet is reinitialized
    /// (NdisReinitializePacket), the buffers re-measured (NdisAdjustBufferLength) and chained again, and the tag and the
    /// checksum requests set in the per-packet info, as a 5.x protocol reuses its packets after ProtocolCoSendComplete.
    /// </summary>
    public void Send(FrameBatch batch)
    {
        var state = batch.ClientState as SendSlots ?? CreateSlots(batch);
        var slots = batch.Slots;
        uint count = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            ref var slot = ref slots[i];
            if (slot.PassThrough != PassThroughReason.None)
                continue;
            var packet = state.Packets[i];
            var header = state.Headers[i];
            var payload = state.Payloads[i];
            int length = slot.Length;
            int first = FrameNetBufferListBuilder.FirstMdlLength(slot.LinkType, length);
            Ndis5.ReinitializePacket(packet);
            header.Next = null;
            payload.Next = null;
            Ndis5.AdjustBufferLength(header, (uint)first);
            Ndis5.ChainBufferAtBack(packet, header);
            if (first < length)
            {
                Ndis5.AdjustBufferLength(payload, (uint)(length - first));
                Ndis5.ChainBufferAtBack(packet, payload);
            }

            packet.Extension.Ieee8021Q = new Ieee8021QInfo(slot.Tag);
            packet.Extension.Checksum = new NdisTcpIpChecksumPacketInfo(slot.ChecksumRequest);
            _array[count++] = packet;
        }

        if (count > 0)
            Ndis5.CoSendPackets(_outgoing!.Legacy, _array, count);
        Array.Clear(_array, 0, (int)count);
    }

    private SendSlots CreateSlots(FrameBatch batch)
    {
        int capacity = batch.Slots.Length;
        var state = new SendSlots(capacity);
        for (int i = 0; i < capacity; i++)
        {
            Ndis5.AllocatePacket(out var status, out var packet, _packets);
            DeviceHost.Check(status, "NdisAllocatePacket");
            var memory = batch.SlotMemory(i);
            state.Packets[i] = packet!;
            state.Headers[i] = Buffer(memory.Slice(0, FrameNetBufferListBuilder.MacHeader));
            state.Payloads[i] = Buffer(memory.Slice(FrameNetBufferListBuilder.MacHeader));
        }

        batch.ClientState = state;
        _sendSlots.Add(state);
        return state;
    }

    private Mdl Buffer(CoNdis.NetBufferCore.Memory.NdisMemory memory)
    {
        Ndis5.AllocateBuffer(out var status, out var buffer, _buffers, memory, (uint)memory.Length);
        DeviceHost.Check(status, "NdisAllocateBuffer");
        return buffer!;
    }

    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
    {
        if (status != NdisStatus.Success)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstFailure, (int)status, 0);
        }

        Interlocked.Increment(ref _completed);
    }

    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
    {
        if (ReferenceEquals(protocolVcContext, s_outgoing))
        {
            Interlocked.Increment(ref _unexpected);
            return 0;
        }

        Ndis5.QueryPacket(packet, out _, out _, out var buffer, out uint total);
        if (buffer is not null && (uint)buffer.ByteCount >= total)
        {
            _sink.Received(buffer.Span[..(int)total]);
        }
        else
        {
            int at = 0;
            while (buffer is not null && at < total)
            {
                Ndis5.QueryBuffer(buffer, out var va, out uint length);
                int take = (int)Math.Min(length, total - (uint)at);
                va.Span[..take].CopyTo(_scratch.AsSpan(at));
                at += take;
                Ndis5.GetNextBuffer(buffer, out buffer);
            }

            CopyCounters.Count(at);
            _sink.Received(_scratch.AsSpan(0, at));
        }

        Interlocked.Increment(ref _received);
        return 0;
    }

    public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
    {
    }

    public void ProtocolReceiveComplete(object? protocolBindingContext)
    {
    }

    public int Close()
    {
        CloseCall(_incomingVc);

        if (_sap is not null)
            DeviceHost.Check(Ndis.ClDeregisterSap(_sap), "NdisClDeregisterSap");
        foreach (var state in _sendSlots)
        {
            for (int i = 0; i < state.Packets.Length; i++)
            {
                Ndis5.ReinitializePacket(state.Packets[i]);
                state.Headers[i].Next = null;
                state.Payloads[i].Next = null;
                Ndis5.FreeBuffer(state.Headers[i]);
                Ndis5.FreeBuffer(state.Payloads[i]);
                Ndis5.FreePacket(state.Packets[i]);
            }
        }

        _sendSlots.Clear();
        int leaked = _packets.Usage + _buffers.Counters.Outstanding;
        Ndis5.FreePacketPool(_packets);
        Ndis5.FreeBufferPool(_buffers);
        return leaked + _adapter.FreePools();
    }

    /// <summary>A batch's send packets and their two buffers, slot by slot.</summary>
    private sealed class SendSlots(int capacity)
    {
        public NdisPacket[] Packets { get; } = new NdisPacket[capacity];

        public Mdl[] Headers { get; } = new Mdl[capacity];

        public Mdl[] Payloads { get; } = new Mdl[capacity];
    }
}
