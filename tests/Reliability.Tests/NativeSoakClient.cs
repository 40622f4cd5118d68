using System.Collections.Concurrent;
using CoNdis.Hardware.Miniports;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// A native CoNDIS client written against <see cref="Ndis"/> for the soaks: one NBL (with its NB and data) per frame
/// from its own pool, sends as chains, every completion through the <see cref="SendLedger"/>; receives checked for
/// damage, every fourth held and given back later by the janitor (from another thread), RESOURCES ones copied and
/// never held; calls the far end releases are closed by the janitor.
/// </summary>
internal sealed class NativeSoakClient : ICoClient, ISoakClient
{
    private readonly ConcurrentDictionary<VirtualConnection, SoakVc> _vcs = new();
    private readonly ConcurrentQueue<NetBufferList> _held = new();
    private readonly CoBinding _binding;
    private readonly CoAfHandle _af;
    private readonly NetBufferListPool _nbls;
    private readonly SoakCalls _calls;
    private long _sequence;
    private long _received, _intact, _resources, _returned, _allocationFailures, _holdTicket;

    public NativeSoakClient(CoNdisRuntime runtime, CoMiniportAdapter adapter, string name, int poolCapacity, SoakCalls? calls = null)
    {
        _calls = calls ?? SoakCalls.Device;
        _binding = runtime.OpenAdapter(adapter, name, this, protocolBindingContext: this);
        _nbls = new NetBufferListPool(_binding.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = SoakFrame.MaximumLength },
            poolCapacity, $"{name} NBLs");
        var status = Ndis.ClOpenAddressFamilyEx(_binding, _calls.AddressFamily, this, out var af);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisClOpenAddressFamilyEx: {status.Describe()}");
        _af = af!;
    }

    public string Kind => "native";

    public SendLedger Ledger { get; } = new();

    public int LiveVcs => _vcs.Count;

    public long Received => Interlocked.Read(ref _received);

    public long ReceivedIntact => Interlocked.Read(ref _intact);

    public long ReceivedWithResources => Interlocked.Read(ref _resources);

    public long Returned => Interlocked.Read(ref _returned);

    public int Holding => _held.Count;

    public long AllocationFailures => Interlocked.Read(ref _allocationFailures);

    public int OutstandingPoolObjects => _nbls.Outstanding;

    public NetBufferListPool Pool => _nbls;

    /// <summary>Hold every receive (not every fourth) until <see cref="ReturnHeld"/>.</summary>
    public bool HoldEveryReceive { get; set; }

    /// <summary>Called inside ProtocolCoSendNetBufferListsComplete, before anything is freed: the VC and the chain's length.</summary>
    public Action<SoakVc, int>? SendCompleting { get; set; }

    public void RegisterSap(CoSap sap)
    {
        var status = Ndis.ClRegisterSap(_af, this, sap, out _);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisClRegisterSap: {status.Describe()}");
    }

    public SoakVc? Find(VirtualConnection vc) => _vcs.GetValueOrDefault(vc);

    public SoakVc? TryCall(CoSap sap, TimeSpan timeout)
    {
        var context = new SoakVc();
        var status = Ndis.CoCreateVc(_binding, _af, context, out var vc);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoCreateVc: {status.Describe()}");
        context.Runtime = vc!;
        _vcs[vc!] = context;
        status = Ndis.ClMakeCall(vc!, _calls.ForCall(sap), null, out _);
        if (status == NdisStatus.Pending)
        {
            if (!Bounded.TryUntil(() => context.MakeCall.Value is not null, timeout))
                throw new TimeoutException($"the make-call on {vc} did not complete in {timeout.TotalSeconds} s");
            status = context.MakeCall.Value!.Value;
        }
        if (status == NdisStatus.Success)
            return context;
        Forget(context, Ndis.CoDeleteVc(vc!));
        return null;
    }

    public int Send(SoakVc vc, int count, Random random)
    {
        NetBufferList? head = null, tail = null;
        int built = 0;
        for (; built < count; built++)
        {
            var nbl = _nbls.AllocateNetBufferList();
            if (nbl is null)
            {
                Interlocked.Increment(ref _allocationFailures);
                break;
            }
            var nb = nbl.FirstNetBuffer!;
            int length = SoakFrame.RandomLength(random);
            SoakFrame.Write(nb.MdlChain!.Span[..length], (uint)Interlocked.Increment(ref _sequence), random);
            nb.DataLength = length;
            nbl.SourceHandle = vc.Runtime;
            if (tail is null)
                head = nbl;
            else
                tail.Next = nbl;
            tail = nbl;
        }
        if (head is null)
            return 0;
        vc.AddSends(built);
        for (var nbl = head; nbl is not null; nbl = nbl.Next)
            Ledger.Enter(nbl);
        Ndis.CoSendNetBufferLists(vc.Runtime, head, SendFlags.None);
        return built;
    }

    public bool CloseOwn(SoakVc vc, TimeSpan timeout)
    {
        var status = Ndis.ClCloseCall(vc.Runtime, null, ReadOnlyMemory<byte>.Empty);
        if (status == NdisStatus.Pending && !Bounded.TryUntil(() => vc.CloseCall.Value is not null, timeout))
            return false;
        Forget(vc, Ndis.CoDeleteVc(vc.Runtime));
        return true;
    }

    public void Janitor()
    {
        ReturnHeld();
        CloseReleased();
    }

    /// <summary>Gives back every receive held so far, as one chain.</summary>
    public void ReturnHeld()
    {
        NetBufferList? head = null;
        int count = 0;
        while (_held.TryDequeue(out var nbl))
        {
            nbl.Next = head;
            head = nbl;
            count++;
        }
        if (head is not null)
        {
            Interlocked.Add(ref _returned, count);
            Ndis.ReturnNetBufferLists(_binding, head, ReturnFlags.None);
        }
    }

    /// <summary>NdisClCloseCall on every call the far end released.</summary>
    public void CloseReleased()
    {
        foreach (var vc in _vcs.Values)
        {
            if (vc.Incoming && vc.TakeClose())
                _ = Ndis.ClCloseCall(vc.Runtime, null, ReadOnlyMemory<byte>.Empty); // the call manager deletes the VC
        }
    }

    public int FreePools()
    {
        int leaked = _nbls.Outstanding;
        Ndis.FreeNetBufferListPool(_nbls);
        return leaked;
    }

    private void Forget(SoakVc vc, NdisStatus deleted)
    {
        if (deleted != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoDeleteVc({vc.Runtime}): {deleted.Describe()}");
        vc.Deleted = true;
        _vcs.TryRemove(vc.Runtime, out _);
    }

    // ---- ICoClient ----------------------------------------------------------------------------------------------

    public void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        if (SendCompleting is { } hook)
            hook((SoakVc)protocolVcContext!, NetBufferListChain.Count(netBufferLists));
        int count = 0;
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            nbl.Next = null;
            count++;
            Ledger.Leave(nbl, nbl.Status);
            var nb = nbl.FirstNetBuffer!;
            nb.DataLength = nb.MdlChain!.ByteCount;
            _nbls.FreeNetBufferList(nbl);
            nbl = next;
        }
        ((SoakVc)protocolVcContext!).CompleteSends(count);
    }

    public void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        var vc = (SoakVc)protocolVcContext!;
        bool resources = (receiveFlags & ReceiveFlags.Resources) != 0;
        NetBufferList? giveBack = null, giveBackTail = null;
        int count = 0, back = 0;
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            count++;
            bool intact = IsIntact(nbl.FirstNetBuffer!);
            vc.CountReceive(intact);
            if (intact)
                Interlocked.Increment(ref _intact);
            if (!resources)
            {
                nbl.Next = null;
                if (HoldEveryReceive || Interlocked.Increment(ref _holdTicket) % 4 == 0)
                {
                    _held.Enqueue(nbl);
                }
                else
                {
                    back++;
                    if (giveBackTail is null)
                        giveBack = nbl;
                    else
                        giveBackTail.Next = nbl;
                    giveBackTail = nbl;
                }
            }
            nbl = next;
        }
        Interlocked.Add(ref _received, count);
        if (resources)
        {
            Interlocked.Add(ref _resources, count);
            return;
        }
        if (giveBack is not null)
        {
            Interlocked.Add(ref _returned, back);
            Ndis.ReturnNetBufferLists(_binding, giveBack, ReturnFlags.DispatchLevel);
        }
    }

    [ThreadStatic]
    private static byte[]? t_scratch;

    private static bool IsIntact(NetBuffer nb)
    {
        var scratch = t_scratch ??= new byte[16 * 1024];
        int length = nb.DataLength;
        if (length > scratch.Length)
            return false;
        nb.CopyUsedDataTo(0, scratch.AsSpan(0, length));
        return SoakFrame.IsIntact(scratch.AsSpan(0, length));
    }

    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        var vc = new SoakVc { Runtime = ndisVcHandle, Incoming = true };
        _vcs[ndisVcHandle] = vc;
        protocolVcContext = vc;
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
    {
        var vc = (SoakVc)protocolVcContext!;
        vc.Deleted = true;
        _vcs.TryRemove(vc.Runtime, out _);
        return NdisStatus.Success;
    }

    public void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle)
    {
    }

    public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters) =>
        ((SoakVc)protocolVcContext!).MakeCall.Set(status);

    public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext) =>
        ((SoakVc)protocolVcContext!).CloseCall.Set(status);

    public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters) => NdisStatus.Success;

    public void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, ReadOnlyMemory<byte> closeData) =>
        ((SoakVc)protocolVcContext!).RequestClose();
}
