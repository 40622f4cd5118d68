using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Hardware.Miniports;

/// <summary>
/// A stand-alone CoNDIS call manager for the device (a protocol, written only against <see cref="Ndis"/>), for
/// either reference miniport: the 5.x one under the translation layer, or the native one with its integrated call
/// manager switched off. It registers the device's AF on its binding (NdisCmRegisterAddressFamilyEx), creates its
/// own VC on the signalling channel 0 and signals over it with NdisCoSendNetBufferLists, as a UNI call manager does
/// on VCI 5. The calls it sets up are bound to link channels through the call parameters at activation
/// (NdisCmActivateVc → MiniportCoActivateVc), and it speaks the same signalling as the integrated call manager, so
/// hosts of either kind call each other over a pair link.
/// </summary>
public sealed class DeviceCallManager : ICoCallManager, ICoProtocol, ICallSignalingHost
{
    private static readonly object s_signallingVc = new();

    private readonly ICallSignaling _signalling;
    private NetBufferListPool? _pool;
    private VirtualConnection? _ownVc;
    private long _signalsSent;
    private long _signalsReceived;

    /// <summary>A call manager that allocates receive channels among <paramref name="channels"/> (the NIC's channel count).</summary>
    public DeviceCallManager(int channels = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 2);
        _signalling = new CallSignaling(this, channels);
    }

    /// <summary>A call manager running another signalling protocol (UNI on an ATM device: <c>AtmDevice.CreateCallManager</c>).</summary>
    internal DeviceCallManager(Func<ICallSignalingHost, ICallSignaling> signalling)
    {
        ArgumentNullException.ThrowIfNull(signalling);
        _signalling = signalling(this);
    }

    /// <summary>The call manager's binding (NdisBindingHandle) once bound.</summary>
    public CoBinding Binding { get; private set; } = null!;

    /// <summary>Its own signalling VC.</summary>
    public VirtualConnection? SignallingVc => _ownVc;

    /// <summary>Calls set up or being set up.</summary>
    public int ActiveCalls => _signalling.ActiveCalls;

    public long SignalsSent => Interlocked.Read(ref _signalsSent);

    public long SignalsReceived => Interlocked.Read(ref _signalsReceived);

    /// <summary>Signalling NBLs in flight (0 at rest).</summary>
    public int OutstandingPoolObjects => _pool?.Outstanding ?? 0;

    /// <summary>
    /// ProtocolBindAdapterEx: binds to <paramref name="adapter"/> (NdisOpenAdapterEx), registers the device's AF, and
    /// creates and activates its signalling VC on channel 0.
    /// </summary>
    public CoBinding Bind(CoNdisRuntime runtime, CoMiniportAdapter adapter, string name = "device call manager")
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(adapter);
        Binding = runtime.OpenAdapter(adapter, name, this, protocolBindingContext: this);
        _pool = Ndis.AllocateNetBufferListPool(Binding.Handle, new NetBufferListPoolParameters
        {
            AllocateNetBuffer = true,
            DataSize = _signalling.MaximumMessageLength,
        });
        var status = Ndis.CoCreateVc(Binding, null, s_signallingVc, out var vc);
        Check(status, "NdisCoCreateVc (signalling VC)");
        _ownVc = vc;
        status = Ndis.CmActivateVc(vc!, DeviceCallParameters.ForChannels(ChannelBinding.Both(_signalling.SignallingChannel), (uint)_signalling.MaximumMessageLength));
        if (status != NdisStatus.Pending)
            Check(status, "NdisCmActivateVc (signalling VC)");
        Check(Ndis.CmRegisterAddressFamilyEx(Binding, _signalling.AddressFamily), "NdisCmRegisterAddressFamilyEx");
        _signalling.Start();
        return Binding;
    }

    /// <summary>ProtocolUnbindAdapterEx: deactivates and deletes the signalling VC and frees the pool (every call must be closed).</summary>
    public void Unbind()
    {
        if (_ownVc is { } vc)
        {
            if (vc.Activation == ActivationState.Active)
            {
                var status = Ndis.CmDeactivateVc(vc);
                if (status == NdisStatus.Pending)
                {
                    var deadline = DateTime.UtcNow.AddSeconds(10);
                    while (vc.Activation != ActivationState.Inactive && DateTime.UtcNow < deadline)
                        Thread.Sleep(1);
                }
            }
            Ndis.CoDeleteVc(vc);
            _ownVc = null;
        }
        if (_pool is not null)
        {
            Ndis.FreeNetBufferListPool(_pool);
            _pool = null;
        }
    }

    /// <summary>Offers a permanent VC on <paramref name="channels"/> to the client that registered <paramref name="sap"/> (no signalling).</summary>
    public VirtualConnection? OfferPermanentVc(CoSap sap, ChannelBinding channels, uint maxSduSize = 9216)
    {
        ArgumentNullException.ThrowIfNull(sap);
        return _signalling.OfferPermanentVc(sap, channels, maxSduSize)?.Vc;
    }

    /// <summary>The far end closed the call on <paramref name="vc"/> (NdisCmDispatchIncomingCloseCall).</summary>
    public void DispatchRemoteClose(VirtualConnection vc, NdisStatus closeStatus = NdisStatus.Success)
    {
        ArgumentNullException.ThrowIfNull(vc);
        var call = CallOf(vc) ?? throw new ArgumentException($"{vc} carries no call of this call manager.", nameof(vc));
        _signalling.RemoteRelease(call, closeStatus);
    }

    private readonly Dictionary<VirtualConnection, SignalCall> _calls = [];

    private SignalCall? CallOf(VirtualConnection vc)
    {
        lock (_calls)
            return _calls.GetValueOrDefault(vc);
    }

    private void Track(SignalCall call)
    {
        if (call.Vc is null)
            return;
        lock (_calls)
            _calls[call.Vc] = call;
    }

    private static void Check(NdisStatus status, string what)
    {
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"{what} failed: {status.Describe()}");
    }

    // ---- ICoCallManager --------------------------------------------------------------------------------

    /// <summary>ProtocolCoCreateVc (CmCreateVcHandler): a client created a VC for an outgoing call.</summary>
    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
    {
        var call = new SignalCall { Vc = ndisVcHandle };
        Track(call);
        protocolVcContext = call;
        return NdisStatus.Success;
    }

    /// <summary>ProtocolCoDeleteVc (CmDeleteVcHandler).</summary>
    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
    {
        if (protocolVcContext is SignalCall { Vc: { } vc })
        {
            lock (_calls)
                _calls.Remove(vc);
        }
        return NdisStatus.Success;
    }

    public NdisStatus ProtocolCmOpenAf(object? callMgrBindingContext, CoAddressFamily addressFamily, CoAfHandle ndisAfHandle, out object? callMgrAfContext)
    {
        callMgrAfContext = ndisAfHandle;
        return addressFamily.AddressFamily == _signalling.AddressFamily.AddressFamily ? NdisStatus.Success : NdisStatus.Failure;
    }

    public NdisStatus ProtocolCmRegisterSap(object? callMgrAfContext, CoSap sap, CoSapHandle ndisSapHandle, out object? callMgrSapContext)
    {
        callMgrSapContext = ndisSapHandle;
        return _signalling.RegisterSap(sap, ndisSapHandle);
    }

    public NdisStatus ProtocolCmDeregisterSap(object? callMgrSapContext)
    {
        _signalling.DeregisterSap((CoSapHandle)callMgrSapContext!);
        return NdisStatus.Success;
    }

    /// <summary>ProtocolCmMakeCall: SETUP on the signalling VC; NdisCmMakeCallComplete when the far end answers.</summary>
    public NdisStatus ProtocolCmMakeCall(object? callMgrVcContext, CoCallParameters callParameters, CoParty? ndisPartyHandle, out object? callMgrPartyContext)
    {
        callMgrPartyContext = null;
        return _signalling.MakeCall((SignalCall)callMgrVcContext!, callParameters, ndisPartyHandle);
    }

    /// <summary>ProtocolCmCloseCall: RELEASE, NdisCmDeactivateVc (the miniport drains the VC), NdisCmCloseCallComplete.</summary>
    public NdisStatus ProtocolCmCloseCall(object? callMgrVcContext, object? callMgrPartyContext, ReadOnlyMemory<byte> closeData) =>
        _signalling.CloseCall((SignalCall)callMgrVcContext!);

    public void ProtocolCmIncomingCallComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters) =>
        _signalling.IncomingCallComplete(status, (SignalCall)callMgrVcContext!);

    /// <summary>ProtocolCmActivateVcComplete: the miniport finished a pended activation.</summary>
    public void ProtocolCmActivateVcComplete(NdisStatus status, object? callMgrVcContext, CoCallParameters callParameters)
    {
        if (callMgrVcContext is SignalCall call)
            _signalling.ActivateVcComplete(call, status);
    }

    /// <summary>ProtocolCmDeactivateVcComplete: the miniport drained and deactivated the VC.</summary>
    public void ProtocolCmDeactivateVcComplete(NdisStatus status, object? callMgrVcContext)
    {
        if (callMgrVcContext is SignalCall call)
            _signalling.VcDeactivated(call);
    }

    // ---- ICoProtocol: the signalling VC's data path --------------------------------------------------------

    /// <summary>ProtocolCoSendNetBufferListsComplete: signalling NBLs go back to the pool.</summary>
    public void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            nbl.Next = null;
            var nb = nbl.FirstNetBuffer!;
            nb.DataLength = nb.MdlChain!.ByteCount;
            Ndis.FreeNetBufferList(nbl);
            nbl = next;
        }
    }

    /// <summary>ProtocolCoReceiveNetBufferLists: signalling from the far end (on the signalling VC only).</summary>
    public void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        Span<byte> message = stackalloc byte[_signalling.MaximumMessageLength];
        for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
        {
            int length = nbl.FirstNetBuffer!.CopyUsedDataTo(0, message);
            Interlocked.Increment(ref _signalsReceived);
            _signalling.OnSignal(message[..length]);
        }
        if ((receiveFlags & ReceiveFlags.Resources) == 0)
            Ndis.ReturnNetBufferLists(Binding, netBufferLists, ReturnFlags.None);
    }

    // ---- ICallSignalingHost: the stand-alone CM's NDIS calls ------------------------------------------------

    void ICallSignalingHost.SendSignal(ReadOnlySpan<byte> message)
    {
        var vc = _ownVc;
        var nbl = _pool is null || vc is null ? null : Ndis.AllocateNetBufferList(_pool, 0, 0);
        if (nbl is null)
            return;
        var nb = nbl.FirstNetBuffer!;
        message.CopyTo(nb.MdlChain!.Span);
        nb.DataLength = message.Length;
        nbl.SourceHandle = vc;
        Interlocked.Increment(ref _signalsSent);
        Ndis.CoSendNetBufferLists(vc!, nbl, SendFlags.None);
    }

    NdisStatus ICallSignalingHost.ActivateVc(SignalCall call, CoCallParameters parameters) => Ndis.CmActivateVc(call.Vc!, parameters);

    void ICallSignalingHost.DeactivateVc(SignalCall call)
    {
        if (call.Vc!.Activation != ActivationState.Active)
        {
            _signalling.VcDeactivated(call);
            return;
        }
        if (Ndis.CmDeactivateVc(call.Vc) == NdisStatus.Success)
            _signalling.VcDeactivated(call);
    }

    NdisStatus ICallSignalingHost.CreateIncomingVc(SignalCall call, CoAfHandle clientAf)
    {
        var status = Ndis.CoCreateVc(Binding, clientAf, call, out var vc);
        call.Vc = vc;
        Track(call);
        return status;
    }

    void ICallSignalingHost.DeleteVc(SignalCall call)
    {
        lock (_calls)
            _calls.Remove(call.Vc!);
        Check(Ndis.CoDeleteVc(call.Vc!), "NdisCoDeleteVc");
    }

    void ICallSignalingHost.MakeCallComplete(NdisStatus status, SignalCall call, CoCallParameters parameters) =>
        Ndis.CmMakeCallComplete(status, call.Vc!, call.Party, call.PartyContext, parameters);

    void ICallSignalingHost.CloseCallComplete(NdisStatus status, SignalCall call) => Ndis.CmCloseCallComplete(status, call.Vc!, call.Party);

    NdisStatus ICallSignalingHost.DispatchIncomingCall(CoSapHandle sap, SignalCall call, CoCallParameters parameters) =>
        Ndis.CmDispatchIncomingCall(sap, call.Vc!, parameters);

    void ICallSignalingHost.DispatchCallConnected(SignalCall call) => Ndis.CmDispatchCallConnected(call.Vc!);

    void ICallSignalingHost.DispatchIncomingCloseCall(NdisStatus status, SignalCall call) =>
        Ndis.CmDispatchIncomingCloseCall(status, call.Vc!, ReadOnlyMemory<byte>.Empty);
}
