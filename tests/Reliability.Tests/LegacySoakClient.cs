using System.Collections.Concurrent;
using CoNdis.Hardware.Miniports;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;
using CoNdis.Translation.Adapters;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// An NDIS 5.x CoNDIS client for the soaks, written against <see cref="Ndis5"/> only (its call control through
/// NdisClOpenAddressFamily's Cl* handlers, its data path NdisCoSendPackets / ProtocolCoReceivePacket), bound over the
/// runtime by <see cref="LegacyClientAdapter"/>: one packet and one buffer per frame, every completion through the
/// <see cref="SendLedger"/>; every fourth receive held (ProtocolCoReceivePacket returns 1) and given back by the
/// janitor with NdisReturnPackets, a RESOURCES packet never held.
/// </summary>
internal sealed class LegacySoakClient : ILegacyCoClient, ILegacyCoCallClient, ISoakClient
{
    private readonly ConcurrentDictionary<VirtualConnection, SoakVc> _vcs = new();
    private readonly ConcurrentQueue<NdisPacket> _held = new();
    private readonly LegacyClientAdapter _adapter;
    private readonly CoAfHandle _af;
    private readonly NdisPacketPool _packets;
    private readonly NdisBufferPool _buffers;
    private readonly SoakCalls _calls;
    private long _sequence;
    private long _received, _intact, _resources, _returned, _allocationFailures, _holdTicket;

    public LegacySoakClient(CoNdisRuntime runtime, CoMiniportAdapter adapter, string name, int poolCapacity, Translation.TranslatorOptions? translation, SoakCalls? calls = null)
    {
        _calls = calls ?? SoakCalls.Device;
        _adapter = new LegacyClientAdapter(runtime, adapter, name, this, this, translation);
        _adapter.IncomingVcCreated += legacy =>
        {
            if (legacy.ProtocolVcContext is SoakVc vc)
            {
                vc.Runtime = LegacyClientAdapter.RuntimeVcOf(legacy);
                _vcs[vc.Runtime] = vc;
            }
        };
        Ndis5.AllocatePacketPool(out var status, out var packets, (uint)poolCapacity, 16, _adapter.Binding.Handle);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisAllocatePacketPool: {status.Describe()}");
        _packets = packets!;
        Ndis5.AllocateBufferPool(out status, out _buffers, (uint)poolCapacity, _adapter.Binding.Handle);
        var characteristics = new NdisClientCharacteristics { MajorVersion = 5, Handlers = this };
        status = Ndis5.ClOpenAddressFamily(_adapter.LegacyBinding, _calls.AddressFamily, this, characteristics, NdisClientCharacteristics.Size, out var af);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisClOpenAddressFamily: {status.Describe()}");
        _af = af!;
    }

    public string Kind => "5.x";

    public LegacyClientAdapter Adapter => _adapter;

    public SendLedger Ledger { get; } = new();

    public int LiveVcs => _vcs.Count;

    public long Received => Interlocked.Read(ref _received);

    public long ReceivedIntact => Interlocked.Read(ref _intact);

    public long ReceivedWithResources => Interlocked.Read(ref _resources);

    public long Returned => Interlocked.Read(ref _returned);

    public int Holding => _held.Count;

    public long AllocationFailures => Interlocked.Read(ref _allocationFailures);

    public int OutstandingPoolObjects => _packets.Usage + _buffers.Counters.Outstanding + (_adapter.IsIdle ? 0 : 1);

    public void RegisterSap(CoSap sap)
    {
        var status = Ndis5.ClRegisterSap(_af, this, sap, out _);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisClRegisterSap: {status.Describe()}");
    }

    public SoakVc? Find(VirtualConnection vc) => _vcs.GetValueOrDefault(vc);

    public SoakVc? TryCall(CoSap sap, TimeSpan timeout)
    {
        var context = new SoakVc();
        var status = Ndis5.CoCreateVc(_adapter.LegacyBinding, _af, context, out var legacy);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoCreateVc: {status.Describe()}");
        context.Legacy = legacy;
        context.Runtime = LegacyClientAdapter.RuntimeVcOf(legacy!);
        _vcs[context.Runtime] = context;
        status = Ndis5.ClMakeCall(legacy!, _calls.ForCall(sap), null, out _);
        if (status == NdisStatus.Pending)
        {
            if (!Bounded.TryUntil(() => context.MakeCall.Value is not null, timeout))
                throw new TimeoutException($"the make-call on {context.Runtime} did not complete in {timeout.TotalSeconds} s");
            status = context.MakeCall.Value!.Value;
        }
        if (status == NdisStatus.Success)
            return context;
        Forget(context, Ndis5.CoDeleteVc(legacy!));
        return null;
    }

    public int Send(SoakVc vc, int count, Random random)
    {
        var array = new NdisPacket[count];
        int built = 0;
        for (; built < count; built++)
        {
            Ndis5.AllocatePacket(out var status, out var packet, _packets);
            if (status != NdisStatus.Success)
            {
                Interlocked.Increment(ref _allocationFailures);
                break;
            }
            int length = SoakFrame.RandomLength(random);
            var memory = NdisMemory.AllocatePinned(length);
            SoakFrame.Write(memory.Span, (uint)Interlocked.Increment(ref _sequence), random);
            Ndis5.AllocateBuffer(out status, out var buffer, _buffers, memory, (uint)length);
            if (status != NdisStatus.Success)
            {
                Ndis5.FreePacket(packet!);
                Interlocked.Increment(ref _allocationFailures);
                break;
            }
            Ndis5.ChainBufferAtBack(packet!, buffer!);
            array[built] = packet!;
        }
        if (built == 0)
            return 0;
        vc.AddSends(built);
        for (int i = 0; i < built; i++)
            Ledger.Enter(array[i]);
        Ndis5.CoSendPackets(vc.Legacy!, array, (uint)built);
        return built;
    }

    public bool CloseOwn(SoakVc vc, TimeSpan timeout)
    {
        var status = Ndis5.ClCloseCall(vc.Legacy!, null, null, 0);
        if (status == NdisStatus.Pending && !Bounded.TryUntil(() => vc.CloseCall.Value is not null, timeout))
            return false;
        Forget(vc, Ndis5.CoDeleteVc(vc.Legacy!));
        return true;
    }

    public void Janitor()
    {
        var array = new NdisPacket[64];
        int count = 0;
        while (_held.TryDequeue(out var packet))
        {
            array[count++] = packet;
            if (count == array.Length)
            {
                ReturnHeld(array, count);
                count = 0;
            }
        }
        if (count > 0)
            ReturnHeld(array, count);
        foreach (var vc in _vcs.Values)
        {
            if (vc.Incoming && vc.TakeClose())
                _ = Ndis5.ClCloseCall(vc.Legacy!, null, null, 0); // the call manager deletes the VC
        }
    }

    private void ReturnHeld(NdisPacket[] array, int count)
    {
        Interlocked.Add(ref _returned, count);
        Ndis5.ReturnPackets(array, (uint)count);
    }

    public int FreePools()
    {
        int leaked = _packets.Usage + _buffers.Counters.Outstanding;
        Ndis5.FreePacketPool(_packets);
        Ndis5.FreeBufferPool(_buffers);
        return leaked + _adapter.FreePools();
    }

    private void Forget(SoakVc vc, NdisStatus deleted)
    {
        if (deleted != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoDeleteVc({vc.Runtime}): {deleted.Describe()}");
        vc.Deleted = true;
        _vcs.TryRemove(vc.Runtime, out _);
    }

    // ---- ILegacyCoClient: the data path ----------------------------------------------------------------------------

    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
    {
        Ledger.Leave(packet, status);
        ((SoakVc)protocolVcContext!).CompleteSends(1);
        Ndis5.UnchainBufferAtFront(packet, out var buffer);
        if (buffer is not null)
            Ndis5.FreeBuffer(buffer);
        Ndis5.FreePacket(packet);
    }

    [ThreadStatic]
    private static byte[]? t_scratch;

    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
    {
        var vc = (SoakVc)protocolVcContext!;
        Ndis5.QueryPacket(packet, out _, out _, out var buffer, out uint total);
        var scratch = t_scratch ??= new byte[16 * 1024];
        bool fits = total <= scratch.Length;
        int at = 0;
        while (fits && buffer is not null)
        {
            Ndis5.QueryBuffer(buffer, out var va, out uint length);
            va.Span[..(int)length].CopyTo(scratch.AsSpan(at));
            at += (int)length;
            Ndis5.GetNextBuffer(buffer, out buffer);
        }
        bool intact = fits && SoakFrame.IsIntact(scratch.AsSpan(0, at));
        vc.CountReceive(intact);
        Interlocked.Increment(ref _received);
        if (intact)
            Interlocked.Increment(ref _intact);
        if (packet.Status == NdisStatus.Resources)
        {
            Interlocked.Increment(ref _resources);
            return 0;
        }
        if (Interlocked.Increment(ref _holdTicket) % 4 == 0)
        {
            _held.Enqueue(packet);
            return 1;
        }
        Interlocked.Increment(ref _returned);
        return 0;
    }

    public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
    {
    }

    public void ProtocolReceiveComplete(object? protocolBindingContext)
    {
    }

    // ---- ILegacyCoCallClient: the Cl* handlers of NdisClOpenAddressFamily --------------------------------------------

    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, LegacyCoVc ndisVcHandle, out object? protocolVcContext)
    {
        // The runtime VC is known once the adapter raised IncomingVcCreated (just after this handler).
        protocolVcContext = new SoakVc { Legacy = ndisVcHandle, Incoming = true };
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
    {
        var vc = (SoakVc)protocolVcContext!;
        vc.Deleted = true;
        if (vc.Runtime is not null)
            _vcs.TryRemove(vc.Runtime, out _);
        return NdisStatus.Success;
    }

    public void ProtocolClOpenAfComplete(NdisStatus status, object? protocolAfContext, CoAfHandle? ndisAfHandle)
    {
    }

    public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters) =>
        ((SoakVc)protocolVcContext!).MakeCall.Set(status);

    public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext) =>
        ((SoakVc)protocolVcContext!).CloseCall.Set(status);

    public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters) => NdisStatus.Success;

    public void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, byte[]? closeData, uint size) =>
        ((SoakVc)protocolVcContext!).RequestClose();
}
