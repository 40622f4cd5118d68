using CoNdis.Hardware.Miniports;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.TestDrivers.Device;

/// <summary>
/// The rig's own sender on the miniport under test: a call-manager binding beside the suite's client and call manager
/// that registers no AF and has one VC of its own (NdisCoCreateVc without an AF, activated on channels nobody listens
/// on: a call manager's signalling VC), sending minimum frames, one transmit descriptor each. While the link partner pauses the NIC, the
/// primer fills the transmit ring, so every send the suite makes after it waits in the miniport's own send queue: a
/// real miniport holds sends there, and its cancel, ring-full RESOURCES and deactivation rules apply to them.
/// </summary>
internal sealed class TransmitPrimer : ICoProtocol, ICoCallManager, IDisposable
{
    /// <summary>Frame length: short enough that a frame never spans a page, so each is one SG element and one descriptor.</summary>
    private const int FrameLength = 60;
    private const int Stride = 64;

    private readonly object _sync = new();
    private readonly Stack<Mdl> _freeMdls = new();
    private readonly List<Mdl> _mdls = [];
    private readonly CoBinding _binding;
    private readonly NetBufferListPool _nbls;
    private readonly NdisMemory _memory;
    private VirtualConnection? _vc;
    private long _sent;
    private long _completed;
    private long _resources;

    public TransmitPrimer(CoNdisRuntime runtime, CoMiniportAdapter adapter, ChannelBinding channels, int frames)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(adapter);
        _binding = runtime.OpenAdapter(adapter, "conformance rig primer", this, this);
        _nbls = Ndis.AllocateNetBufferListPool(_binding.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true });
        _memory = NdisMemory.AllocatePinned(frames * Stride + Stride);
        int start = (int)((Stride - (_memory.Address & (Stride - 1))) & (Stride - 1)); // 64-byte aligned: no frame crosses a page
        for (int i = 0; i < frames; i++)
        {
            var slice = _memory.Slice(start + i * Stride, FrameLength);
            slice.Span.Fill(0x5A);
            var mdl = _binding.Handle.Mdls.Allocate(slice) ?? throw new InvalidOperationException("primer: MDL pool exhausted");
            _mdls.Add(mdl);
            _freeMdls.Push(mdl);
        }
        var status = Ndis.CoCreateVc(_binding, null, this, out _vc);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"primer: NdisCoCreateVc: {status.Describe()}");
        status = Ndis.CmActivateVc(_vc!, DeviceCallParameters.ForChannels(channels, FrameLength));
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"primer: NdisCmActivateVc: {status.Describe()}");
    }

    /// <summary>Primer NBLs sent and not yet completed.</summary>
    public int InFlight => (int)(Interlocked.Read(ref _sent) - Interlocked.Read(ref _completed));

    /// <summary>Primer NBLs that completed with NDIS_STATUS_RESOURCES.</summary>
    public long CompletedWithResources => Interlocked.Read(ref _resources);

    /// <summary>Pool objects not home (0 when every primer frame completed).</summary>
    public int OutstandingPoolObjects => _nbls.Outstanding;

    /// <summary>Sends <paramref name="count"/> primer frames as one chain (NdisCoSendNetBufferLists).</summary>
    public void Send(int count)
    {
        NetBufferList? head = null, tail = null;
        for (int i = 0; i < count; i++)
        {
            Mdl mdl;
            lock (_sync)
            {
                if (!_freeMdls.TryPop(out mdl!))
                    throw new InvalidOperationException($"primer: all {_mdls.Count} frames are in flight");
            }
            var nbl = Ndis.AllocateNetBufferAndNetBufferList(_nbls, 0, 0, mdl, 0, FrameLength)
                ?? throw new InvalidOperationException("primer: NBL pool exhausted");
            nbl.SourceHandle = _vc;
            if (tail is null)
                head = nbl;
            else
                tail.Next = nbl;
            tail = nbl;
        }
        if (head is null)
            return;
        Interlocked.Add(ref _sent, count);
        Ndis.CoSendNetBufferLists(_vc!, head, SendFlags.None);
    }

    public void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        int count = 0;
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            nbl.Next = null;
            if (nbl.Status == NdisStatus.Resources)
                Interlocked.Increment(ref _resources);
            var mdl = nbl.FirstNetBuffer!.MdlChain!;
            Ndis.FreeNetBufferList(nbl);
            lock (_sync)
                _freeMdls.Push(mdl);
            count++;
            nbl = next;
        }
        Interlocked.Add(ref _completed, count);
    }

    /// <summary>Nothing listens on the primer's receive channel; anything that came would go straight back.</summary>
    public void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        if ((receiveFlags & ReceiveFlags.Resources) == 0)
            Ndis.ReturnNetBufferLists(_binding, netBufferLists, ReturnFlags.None);
    }

    // ---- ICoCallManager: no AF is registered, so no client ever reaches these ---------------------------------

    NdisStatus ICoCallManager.ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        protocolVcContext = null;
        return NdisStatus.NotSupported;
    }

    NdisStatus ICoCallManager.ProtocolCoDeleteVc(object? protocolVcContext) => NdisStatus.Success;

    NdisStatus ICoCallManager.ProtocolCmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext)
    {
        callMgrAfContext = null;
        return NdisStatus.Failure;
    }

    NdisStatus ICoCallManager.ProtocolCmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext)
    {
        callMgrSapContext = null;
        return NdisStatus.Failure;
    }

    NdisStatus ICoCallManager.ProtocolCmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext)
    {
        callMgrPartyContext = null;
        return NdisStatus.NotSupported;
    }

    NdisStatus ICoCallManager.ProtocolCmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, ReadOnlyMemory<byte> closeData) => NdisStatus.NotSupported;

    /// <summary>Deactivates and deletes the primer's VC and frees its pools (every frame must have completed).</summary>
    public void Dispose()
    {
        if (_vc is not { } vc)
            return;
        _vc = null;
        if (vc.Activation == ActivationState.Active && Ndis.CmDeactivateVc(vc) == NdisStatus.Pending)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (vc.Activation != ActivationState.Inactive && DateTime.UtcNow < deadline)
                Thread.Sleep(1);
        }
        Ndis.CoDeleteVc(vc);
        foreach (var mdl in _mdls)
            Ndis.FreeMdl(mdl);
        Ndis.FreeNetBufferListPool(_nbls);
    }
}
