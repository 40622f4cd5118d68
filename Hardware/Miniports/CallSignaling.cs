using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Miniports;

/// <summary>
/// The device's call signalling, shared by its two call managers (integrated in the native miniport, stand-alone
/// over either miniport). A caller allocates the channel it will receive on and sends SETUP with the called SAP; the
/// callee's call manager finds the client that registered that SAP, allocates its own receive channel, creates and
/// activates a VC, offers the call and, once accepted, dispatches call-connected and answers CONNECT; the caller binds
/// the callee's channel, activates and completes the make-call. RELEASE tears down from either side (the other
/// client hears an incoming close), RELEASE COMPLETE refuses a call with a cause or confirms a release. Over a
/// loopback link a host answers its own SETUP; over a pair link the other host does. Tables change under one lock;
/// NDIS is never called while it is held.
/// </summary>
internal sealed class CallSignaling : ICallSignaling
{
    private readonly ICallSignalingHost _host;
    private readonly object _sync = new();
    private readonly Dictionary<uint, SignalCall> _outgoing = [];
    private readonly Dictionary<uint, SignalCall> _incoming = [];
    private readonly List<CoSapHandle> _saps = [];
    private readonly bool[] _channelInUse;
    private int _nextChannel = 1;
    private uint _nextReference;

    public CallSignaling(ICallSignalingHost host, int channels)
    {
        _host = host;
        _channelInUse = new bool[channels];
        _channelInUse[ChannelBinding.Signalling] = true;
    }

    /// <summary>The device's address family.</summary>
    public CoAddressFamily AddressFamily => DeviceCallParameters.AddressFamily;

    /// <summary>Channel 0.</summary>
    public int SignallingChannel => ChannelBinding.Signalling;

    public int MaximumMessageLength => SignalMessage.MaximumLength;

    /// <summary>Nothing to bring up: the device's signalling has no link layer.</summary>
    public void Start()
    {
    }

    /// <summary>Calls in the tables now (set up or being set up).</summary>
    public int ActiveCalls
    {
        get { lock (_sync) return _outgoing.Count + _incoming.Count; }
    }

    // ---- AF and SAP -------------------------------------------------------------------------------

    public NdisStatus RegisterSap(CoSap sap, CoSapHandle handle)
    {
        lock (_sync)
        {
            if (_saps.Exists(s => SameSap(s.Sap, sap)))
                return NdisStatus.SapInUse;
            _saps.Add(handle);
        }
        return NdisStatus.Success;
    }

    public void DeregisterSap(CoSapHandle handle)
    {
        lock (_sync)
            _saps.Remove(handle);
    }

    // ---- Calls from the client (through NDIS) --------------------------------------------------------

    /// <summary>ProtocolCmMakeCall: SETUP to the called SAP; the make-call completes when CONNECT or RELEASE COMPLETE comes back.</summary>
    public NdisStatus MakeCall(SignalCall call, CoCallParameters parameters, CoParty? party)
    {
        if (!DeviceCallParameters.TryGetCalledSap(parameters, out var called))
            return NdisStatus.InvalidData;
        if (party is not null)
            return NdisStatus.NotSupported; // point-to-point only
        uint maxSdu = parameters.CallMgrParameters.Transmit.MaxSduSize;
        SignalMessage setup;
        lock (_sync)
        {
            int channel = AllocateChannel();
            if (channel < 0)
                return NdisStatus.Resources;
            uint reference = ++_nextReference & ~SignalMessage.DestinationFlag;
            call.State = SignalCallState.Calling;
            call.Outgoing = true;
            call.CallReference = reference;
            call.Channels = new ChannelBinding(-1, channel);
            call.Parameters = parameters;
            _outgoing[reference] = call;
            setup = new SignalMessage(SignalType.Setup, reference, channel, maxSdu, NdisStatus.Success, called!.SapType, called.Sap.ToArray());
        }
        Send(setup);
        return NdisStatus.Pending;
    }

    /// <summary>ProtocolCmCloseCall: RELEASE (or RELEASE COMPLETE after a remote release), drain and deactivate, then complete.</summary>
    public NdisStatus CloseCall(SignalCall call)
    {
        SignalCallState previous;
        lock (_sync)
        {
            previous = call.State;
            call.State = SignalCallState.Closing;
            call.ClosePending = true;
        }
        if (!call.Permanent)
        {
            if (previous is SignalCallState.Connected or SignalCallState.Offered)
                Send(new SignalMessage(SignalType.Release, WireReference(call), call.Channels.Receive, 0, NdisStatus.Success, 0, null));
            else if (previous == SignalCallState.RemoteReleased)
                Send(new SignalMessage(SignalType.ReleaseComplete, WireReference(call), call.Channels.Receive, 0, NdisStatus.Success, 0, null));
        }
        _host.DeactivateVc(call);
        return NdisStatus.Pending;
    }

    /// <summary>ProtocolCmIncomingCallComplete: the client's pended answer.</summary>
    public void IncomingCallComplete(NdisStatus status, SignalCall call)
    {
        if (status == NdisStatus.Success)
            Accept(call);
        else
            Reject(call, status);
    }

    /// <summary>A pended activation finished (ProtocolCmActivateVcComplete).</summary>
    public void ActivateVcComplete(SignalCall call, NdisStatus status)
    {
        if (call.Outgoing)
            FinishOutgoingActivation(call, status);
        else
            FinishIncomingActivation(call, status);
    }

    /// <summary>The host drained and deactivated the VC: free its channel, complete the close or finish a refusal, delete a CM-created VC.</summary>
    public void VcDeactivated(SignalCall call)
    {
        bool closing;
        lock (_sync)
        {
            ReleaseChannel(call.Channels.Receive);
            if (call.Outgoing)
                _outgoing.Remove(call.CallReference);
            else if (!call.Permanent)
                _incoming.Remove(call.CallReference);
            closing = call.ClosePending;
            call.ClosePending = false;
            call.State = SignalCallState.Idle;
            call.Channels = new ChannelBinding(-1, -1);
        }
        if (closing)
            _host.CloseCallComplete(NdisStatus.Success, call);
        if (call.CreatedByCallManager)
            _host.DeleteVc(call);
    }

    // ---- Permanent VCs and remote closes (what a switch or the far end would do) ---------------------

    /// <summary>
    /// Offers a permanent VC on <paramref name="channels"/> to the client that registered <paramref name="sap"/>: a VC
    /// created and activated by the call manager, dispatched as an incoming call with PERMANENT_VC, connected once
    /// accepted. No signalling goes on the wire. Returns the call (its host context and VC are the host's), or null
    /// when no client took it.
    /// </summary>
    public SignalCall? OfferPermanentVc(CoSap sap, ChannelBinding channels, uint maxSduSize)
    {
        CoSapHandle? handle;
        lock (_sync)
        {
            handle = _saps.Find(s => SameSap(s.Sap, sap));
            if (handle is null)
                throw new InvalidOperationException($"No client registered SAP type {sap.SapType} ({Convert.ToHexString(sap.Sap.Span)}).");
            if (channels.Receive <= 0 || channels.Receive >= _channelInUse.Length || _channelInUse[channels.Receive])
                throw new ArgumentException($"Receive channel {channels.Receive} is not free on this host.", nameof(channels));
            _channelInUse[channels.Receive] = true;
        }
        var call = new SignalCall
        {
            Permanent = true,
            CreatedByCallManager = true,
            State = SignalCallState.Offered,
            Channels = channels,
            Sap = handle,
            Parameters = DeviceCallParameters.ForChannels(channels, maxSduSize, CallParametersFlags.PermanentVc),
        };
        return StartIncoming(call, handle) ? call : null;
    }

    /// <summary>The far end released the call on <paramref name="call"/> (or the network failed, with a failure status).</summary>
    public void RemoteRelease(SignalCall call, NdisStatus status)
    {
        lock (_sync)
        {
            if (call.State is not (SignalCallState.Connected or SignalCallState.Offered))
                return;
            call.State = SignalCallState.RemoteReleased;
        }
        _host.DispatchIncomingCloseCall(status, call);
    }

    // ---- The wire -------------------------------------------------------------------------------------

    /// <summary>A signalling frame arrived on channel 0.</summary>
    public void OnSignal(ReadOnlySpan<byte> frame)
    {
        if (!SignalMessage.TryDecode(frame, out var message))
            return;
        bool fromDestination = (message.CallReference & SignalMessage.DestinationFlag) != 0;
        uint reference = message.CallReference & ~SignalMessage.DestinationFlag;
        switch (message.Type)
        {
            case SignalType.Setup when !fromDestination:
                OnSetup(message, reference);
                break;
            case SignalType.Connect when fromDestination:
                OnConnect(message, reference);
                break;
            case SignalType.Release:
                OnRelease(reference, fromDestination, message.Cause);
                break;
            case SignalType.ReleaseComplete:
                OnReleaseComplete(reference, fromDestination, message.Cause);
                break;
            default:
                break;
        }
    }

    private void OnSetup(SignalMessage setup, uint reference)
    {
        var sap = new CoSap(setup.SapType, setup.Sap ?? []);
        CoSapHandle? handle;
        SignalCall call;
        lock (_sync)
        {
            if (_incoming.ContainsKey(reference))
                return; // a repeated SETUP
            handle = _saps.Find(s => SameSap(s.Sap, sap));
            int channel = handle is null ? -1 : AllocateChannel();
            if (handle is null || channel < 0)
            {
                call = null!;
            }
            else
            {
                call = new SignalCall
                {
                    CallReference = reference,
                    CreatedByCallManager = true,
                    State = SignalCallState.Offered,
                    Channels = new ChannelBinding(setup.Channel, channel),
                    Sap = handle,
                };
                call.Parameters = DeviceCallParameters.WithChannels(DeviceCallParameters.ForCall(sap, setup.MaxSduSize), call.Channels);
                _incoming[reference] = call;
            }
        }
        if (call is null)
        {
            // Nobody listens there (or no channel is free): refuse with a cause the caller's client sees.
            var cause = handle is null ? NdisStatus.InvalidAddress : NdisStatus.Resources;
            Send(new SignalMessage(SignalType.ReleaseComplete, reference | SignalMessage.DestinationFlag, -1, 0, cause, 0, null));
            return;
        }
        StartIncoming(call, handle!);
    }

    /// <summary>Creates and activates the VC of an incoming call, then offers it; false when that failed (refused).</summary>
    private bool StartIncoming(SignalCall call, CoSapHandle sap)
    {
        var status = _host.CreateIncomingVc(call, sap.AddressFamily);
        if (status != NdisStatus.Success)
        {
            Refuse(call, status, deactivate: false);
            return false;
        }
        status = _host.ActivateVc(call, call.Parameters!);
        if (status == NdisStatus.Pending)
            return true; // offered in ActivateVcComplete
        FinishIncomingActivation(call, status);
        return call.State is SignalCallState.Connected or SignalCallState.Offered;
    }

    private void FinishIncomingActivation(SignalCall call, NdisStatus status)
    {
        if (status != NdisStatus.Success)
        {
            Refuse(call, status, deactivate: false);
            return;
        }
        var answer = _host.DispatchIncomingCall(call.Sap!, call, call.Parameters!);
        if (answer == NdisStatus.Success)
            Accept(call);
        else if (answer != NdisStatus.Pending)
            Reject(call, answer);
    }

    private void Accept(SignalCall call)
    {
        lock (_sync)
        {
            if (call.State != SignalCallState.Offered)
                return;
            call.State = SignalCallState.Connected;
        }
        // Connected before CONNECT goes out: the caller may send the moment it hears it.
        _host.DispatchCallConnected(call);
        if (!call.Permanent)
            Send(new SignalMessage(SignalType.Connect, WireReference(call), call.Channels.Receive, call.Parameters!.CallMgrParameters.Receive.MaxSduSize, NdisStatus.Success, 0, null));
    }

    private void Reject(SignalCall call, NdisStatus cause)
    {
        if (!call.Permanent)
            Send(new SignalMessage(SignalType.ReleaseComplete, WireReference(call), -1, 0, cause == NdisStatus.Success ? NdisStatus.NotAccepted : cause, 0, null));
        lock (_sync)
            call.State = SignalCallState.Closing;
        _host.DeactivateVc(call);
    }

    /// <summary>An incoming call that never reached the client: free what it held (the VC, if one was created).</summary>
    private void Refuse(SignalCall call, NdisStatus cause, bool deactivate)
    {
        if (!call.Permanent)
            Send(new SignalMessage(SignalType.ReleaseComplete, WireReference(call), -1, 0, cause.IsError() ? cause : NdisStatus.Failure, 0, null));
        if (deactivate)
        {
            _host.DeactivateVc(call);
            return;
        }
        lock (_sync)
        {
            ReleaseChannel(call.Channels.Receive);
            _incoming.Remove(call.CallReference);
            call.State = SignalCallState.Idle;
        }
        if (call.Vc is not null)
            _host.DeleteVc(call);
    }

    private void OnConnect(SignalMessage connect, uint reference)
    {
        SignalCall? call;
        lock (_sync)
        {
            if (!_outgoing.TryGetValue(reference, out call) || call.State != SignalCallState.Calling)
                return;
            call.Channels = new ChannelBinding(connect.Channel, call.Channels.Receive);
        }
        var activation = DeviceCallParameters.WithChannels(call.Parameters!, call.Channels);
        var status = _host.ActivateVc(call, activation);
        if (status != NdisStatus.Pending)
            FinishOutgoingActivation(call, status);
    }

    private void FinishOutgoingActivation(SignalCall call, NdisStatus status)
    {
        if (status == NdisStatus.Success)
        {
            lock (_sync)
                call.State = SignalCallState.Connected;
            _host.MakeCallComplete(NdisStatus.Success, call, call.Parameters!);
            return;
        }
        Send(new SignalMessage(SignalType.Release, WireReference(call), call.Channels.Receive, 0, status, 0, null));
        FailOutgoing(call, status);
    }

    private void FailOutgoing(SignalCall call, NdisStatus cause)
    {
        lock (_sync)
        {
            _outgoing.Remove(call.CallReference);
            ReleaseChannel(call.Channels.Receive);
            call.State = SignalCallState.Idle;
            call.Channels = new ChannelBinding(-1, -1);
        }
        _host.MakeCallComplete(cause == NdisStatus.Success ? NdisStatus.Failure : cause, call, call.Parameters!);
    }

    private void OnRelease(uint reference, bool fromDestination, NdisStatus cause)
    {
        SignalCall? call;
        lock (_sync)
        {
            var table = fromDestination ? _outgoing : _incoming;
            if (!table.TryGetValue(reference, out call))
                return;
        }
        if (call.State == SignalCallState.Calling)
        {
            FailOutgoing(call, cause);
            return;
        }
        RemoteRelease(call, cause.IsError() ? cause : NdisStatus.Success);
    }

    private void OnReleaseComplete(uint reference, bool fromDestination, NdisStatus cause)
    {
        SignalCall? call;
        lock (_sync)
        {
            var table = fromDestination ? _outgoing : _incoming;
            if (!table.TryGetValue(reference, out call))
                return;
        }
        if (call.State == SignalCallState.Calling)
            FailOutgoing(call, cause);
        else if (call.State is SignalCallState.Connected or SignalCallState.Offered)
            RemoteRelease(call, cause.IsError() ? cause : NdisStatus.Success);
    }

    private void Send(SignalMessage message)
    {
        Span<byte> buffer = stackalloc byte[SignalMessage.MaximumLength];
        int length = message.Encode(buffer);
        _host.SendSignal(buffer[..length]);
    }

    private static uint WireReference(SignalCall call) =>
        call.Outgoing ? call.CallReference : call.CallReference | SignalMessage.DestinationFlag;

    private static bool SameSap(CoSap a, CoSap b) => a.SapType == b.SapType && a.Sap.Span.SequenceEqual(b.Sap.Span);

    private int AllocateChannel()
    {
        for (int tried = 0; tried < _channelInUse.Length; tried++)
        {
            int channel = _nextChannel;
            _nextChannel = _nextChannel + 1 >= _channelInUse.Length ? 1 : _nextChannel + 1;
            if (!_channelInUse[channel])
            {
                _channelInUse[channel] = true;
                return channel;
            }
        }
        return -1;
    }

    private void ReleaseChannel(int channel)
    {
        if (channel > 0 && channel < _channelInUse.Length)
            _channelInUse[channel] = false;
    }
}
