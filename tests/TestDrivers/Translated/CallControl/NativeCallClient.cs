using CoNdis.TestDrivers;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.TestDrivers.Translated.CallControl;

/// <summary>
/// An NDIS 6 CoNDIS client for the call-control suite, written against <see cref="Ndis"/>: it records every call
/// event, completes its own synchronous calls as the reference tells a client to, answers one vendor OID, sends one
/// frame per NBL and copies what it receives.
/// </summary>
public sealed class NativeCallClient : ICoClient, ICallClient
{
    private readonly object _sync = new();
    private readonly List<string> _events = [];
    private readonly List<byte[]> _received = [];
    private NetBufferListPool _nbls = null!;
    private NetBufferPool _nbs = null!;
    private int _sendsCompleted;
    private int _sendsFailed;

    public CoBinding Binding { get; private set; } = null!;

    public IReadOnlyList<string> Events
    {
        get { lock (_sync) return [.. _events]; }
    }

    public NdisStatus IncomingCallAnswer { get; set; } = NdisStatus.Success;

    public CoAfHandle? Af { get; private set; }

    public CoSapHandle? Sap { get; private set; }

    public VirtualConnection? CallVc { get; private set; }

    public CoParty? FirstParty { get; private set; }

    public uint LastRequestAnswer { get; private set; }

    public uint ClientInfo => 0x6B6B;

    public bool PendRequests { get; set; }

    public int SendsCompleted => Volatile.Read(ref _sendsCompleted);

    public int SendsFailed => Volatile.Read(ref _sendsFailed);

    public IReadOnlyList<byte[]> Received
    {
        get { lock (_sync) return [.. _received]; }
    }

    public CoBinding Bind(CoNdisRuntime runtime, CoMiniportAdapter adapter)
    {
        Binding = runtime.OpenAdapter(adapter, "native call client", this, protocolBindingContext: this);
        _nbls = new NetBufferListPool(Binding.Handle, new NetBufferListPoolParameters(), name: "call client NBLs");
        _nbs = new NetBufferPool(Binding.Handle, new NetBufferPoolParameters(), name: "call client NBs");
        return Binding;
    }

    public NdisStatus OpenAf(CoAddressFamily addressFamily)
    {
        var status = Ndis.ClOpenAddressFamilyEx(Binding, addressFamily, this, out var af);
        if (status == NdisStatus.Success)
            Af = af;
        return status;
    }

    public NdisStatus RegisterSap(CoSap sap)
    {
        var status = Ndis.ClRegisterSap(Af!, this, sap, out var handle);
        if (status == NdisStatus.Success)
            Sap = handle;
        return status;
    }

    public NdisStatus DeregisterSap()
    {
        var status = Ndis.ClDeregisterSap(Sap!);
        if (status == NdisStatus.Success)
            Sap = null;
        return status;
    }

    public NdisStatus CloseAf()
    {
        var status = Ndis.ClCloseAddressFamily(Af!);
        if (status == NdisStatus.Success)
            Af = null;
        return status;
    }

    public NdisStatus MakeCall(CoCallParameters callParameters, object? partyContext, out VirtualConnection vc)
    {
        var context = new ClientVc();
        var status = Ndis.CoCreateVc(Binding, Af, context, out var created);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoCreateVc: {status}");
        vc = context.Vc = created!;
        CallVc = vc;
        status = Ndis.ClMakeCall(vc, callParameters, partyContext, out var party);
        if (status != NdisStatus.Pending)
            ProtocolClMakeCallComplete(status, context, party, callParameters);
        return status;
    }

    public NdisStatus MakeCallAgain(VirtualConnection vc, CoCallParameters callParameters)
    {
        var status = Ndis.ClMakeCall(vc, callParameters, null, out var party);
        if (status != NdisStatus.Pending)
            ProtocolClMakeCallComplete(status, vc.ClientContext, party, callParameters);
        return status;
    }

    public NdisStatus CloseCall(VirtualConnection vc, CoParty? party)
    {
        var status = Ndis.ClCloseCall(vc, party, ReadOnlyMemory<byte>.Empty);
        if (status != NdisStatus.Pending)
            ProtocolClCloseCallComplete(status, vc.ClientContext, null);
        return status;
    }

    public NdisStatus DeleteVc(VirtualConnection vc) => Ndis.CoDeleteVc(vc);

    public NdisStatus AddParty(VirtualConnection vc, object? partyContext, CoCallParameters callParameters, out CoParty? party)
    {
        var status = Ndis.ClAddParty(vc, partyContext, callParameters, out var added);
        party = added;
        if (status != NdisStatus.Pending)
            ProtocolClAddPartyComplete(status, partyContext, added, callParameters);
        return status;
    }

    public NdisStatus DropParty(CoParty party)
    {
        var status = Ndis.ClDropParty(party, ReadOnlyMemory<byte>.Empty);
        if (status != NdisStatus.Pending)
            ProtocolClDropPartyComplete(status, null);
        return status;
    }

    public NdisStatus ModifyCallQoS(VirtualConnection vc, CoCallParameters callParameters)
    {
        var status = Ndis.ClModifyCallQoS(vc, callParameters);
        if (status != NdisStatus.Pending)
            ProtocolClModifyCallQoSComplete(status, vc.ClientContext, callParameters);
        return status;
    }

    public NdisStatus QueryCallManager(uint oid)
    {
        var request = new NdisOidRequest(NdisRequestType.QueryInformation, oid, 4);
        var status = Ndis.CoOidRequest(Binding, Af, null, null, request);
        if (status == NdisStatus.Success)
            LastRequestAnswer = request.ReadUInt32();
        return status;
    }

    public NdisStatus QueryMiniport(uint oid, out uint value)
    {
        var request = new NdisOidRequest(NdisRequestType.QueryInformation, oid, 4);
        var status = Ndis.CoOidRequest(Binding, null, request);
        value = status == NdisStatus.Success ? request.ReadUInt32() : 0;
        return status;
    }

    public void Send(VirtualConnection vc, byte[] frame)
    {
        var nbl = _nbls.AllocateNetBufferList() ?? throw new InvalidOperationException("NBL pool exhausted");
        nbl.FirstNetBuffer = TestFrames.Build(Binding.Handle, _nbs, frame, 1);
        nbl.SourceHandle = vc;
        Ndis.CoSendNetBufferLists(vc, nbl, SendFlags.None);
    }

    // ---- ICoClient ----------------------------------------------------------------------------------------

    public void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            nbl.Next = null;
            Interlocked.Increment(ref _sendsCompleted);
            if (nbl.Status != NdisStatus.Success)
                Interlocked.Increment(ref _sendsFailed);
            var nb = nbl.FirstNetBuffer!;
            nbl.FirstNetBuffer = null;
            TestFrames.Free(nb);
            Ndis.FreeNetBufferList(nbl);
            nbl = next;
        }
    }

    public void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        foreach (var nbl in netBufferLists.Chain)
        {
            lock (_sync)
                _received.Add(nbl.FirstNetBuffer!.ToArray());
        }
        if ((receiveFlags & ReceiveFlags.Resources) == 0)
            Ndis.ReturnNetBufferLists(Binding, netBufferLists, ReturnFlags.None);
    }

    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        Record("CreateVc");
        protocolVcContext = new ClientVc { Vc = ndisVcHandle };
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
    {
        Record("DeleteVc");
        return NdisStatus.Success;
    }

    public void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle)
    {
        Record($"OpenAfComplete {status}");
        if (status == NdisStatus.Success)
            Af = ndisAfHandle;
    }

    public void ProtocolClCloseAfComplete(NdisStatus status, object? protocolAfContext) => Record($"CloseAfComplete {status}");

    public void ProtocolClRegisterSapComplete(NdisStatus status, object? protocolSapContext, CoSap sap, CoSapHandle ndisSapHandle)
    {
        Record($"RegisterSapComplete {status}");
        if (status == NdisStatus.Success)
            Sap = ndisSapHandle;
    }

    public void ProtocolClDeregisterSapComplete(NdisStatus status, object? protocolSapContext) => Record($"DeregisterSapComplete {status}");

    public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
        Record($"MakeCallComplete {status}");
        if (status == NdisStatus.Success)
            FirstParty ??= ndisPartyHandle;
    }

    public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext)
    {
        Record($"CloseCallComplete {status}");
        if (status == NdisStatus.Success)
            FirstParty = null;
    }

    public void ProtocolClModifyCallQoSComplete(NdisStatus status, object? protocolVcContext, CoCallParameters callParameters) => Record($"ModifyCallQoSComplete {status}");

    public void ProtocolClAddPartyComplete(NdisStatus status, object? protocolPartyContext, CoParty? ndisPartyHandle, CoCallParameters callParameters) =>
        Record($"AddPartyComplete {status}");

    public void ProtocolClDropPartyComplete(NdisStatus status, object? protocolPartyContext) => Record($"DropPartyComplete {status}");

    public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters)
    {
        Record($"IncomingCall -> {IncomingCallAnswer}");
        if (IncomingCallAnswer == NdisStatus.Success)
            CallVc = ((ClientVc)protocolVcContext!).Vc;
        return IncomingCallAnswer;
    }

    public void ProtocolClIncomingCallQoSChange(object? protocolVcContext, CoCallParameters callParameters) => Record("IncomingCallQoSChange");

    public void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, ReadOnlyMemory<byte> closeData) => Record($"IncomingCloseCall {closeStatus}");

    public void ProtocolClIncomingDropParty(NdisStatus dropStatus, object? protocolPartyContext, ReadOnlyMemory<byte> closeData) => Record($"IncomingDropParty {dropStatus}");

    public void ProtocolClCallConnected(object? protocolVcContext) => Record("CallConnected");

    public NdisStatus ProtocolCoOidRequest(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest)
    {
        Record($"Request 0x{oidRequest.Oid:X8}");
        if (oidRequest.Oid != CallControlRig.OidClientInfo)
            return NdisStatus.NotSupported;
        if (!PendRequests)
            return oidRequest.WriteUInt32(ClientInfo);
        var af = Af!;
        ThreadPool.QueueUserWorkItem(_ => Ndis.CoOidRequestComplete(af, null, null, oidRequest, oidRequest.WriteUInt32(ClientInfo)));
        return NdisStatus.Pending;
    }

    public void ProtocolCoOidRequestComplete(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisOidRequest oidRequest, NdisStatus status)
    {
        if (status == NdisStatus.Success)
            LastRequestAnswer = oidRequest.ReadUInt32();
        Record($"RequestComplete {status}");
    }

    /// <summary>ProtocolCoOidRequestComplete for a request to the miniport that pended.</summary>
    public void ProtocolCoOidRequestComplete(object? protocolVcContext, NdisOidRequest oidRequest, NdisStatus status)
    {
        if (status == NdisStatus.Success)
            LastRequestAnswer = oidRequest.ReadUInt32();
        Record($"RequestComplete {status}");
    }

    private void Record(string text)
    {
        lock (_sync)
            _events.Add(text);
    }

    private sealed class ClientVc
    {
        public VirtualConnection Vc { get; set; } = null!;
    }
}
