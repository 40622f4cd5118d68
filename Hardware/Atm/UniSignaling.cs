using CoNdis.Hardware.Miniports;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// UNI 3.1 signalling on an ATM device (ITU-T Q.2931 over the signalling AAL: SSCOP, Q.2110, in AAL5 on VPI 0/VCI 5),
/// for either of its call managers (the integrated one in the native miniport, the stand-alone one over either
/// miniport). The SSCOP link comes up with BGN/BGAK; Q.2931 messages travel in SD PDUs numbered by N(S). A call:
/// the caller sends SETUP (AAL parameters, ATM traffic descriptor, broadband bearer capability, B-LLI, called and
/// calling party number); the callee, acting as the network does for the connection identifier, finds the SAP of the
/// called party number, allocates a VCI and answers CALL PROCEEDING with it, creates and activates the VC and offers
/// the call, and once the client accepts sends CONNECT; the caller activates the VC on that VPI/VCI, answers CONNECT
/// ACKNOWLEDGE and completes the make-call. RELEASE from either side reaches the other client as an incoming close,
/// whose close answers RELEASE COMPLETE; a call to a number nobody registered is refused with RELEASE COMPLETE, cause
/// 1 (unallocated number), which the caller's client sees as NDIS_STATUS_INVALID_ADDRESS and as the cause in the
/// make-call's parameters. Tables change under one lock; NDIS (and the wire) are never called while it is held.
/// </summary>
internal sealed class UniSignaling : ICallSignaling
{
    public const int MessageLimit = 512;

    private readonly ICallSignalingHost _host;
    private readonly AtmDevice _device;
    private readonly object _sync = new();
    private readonly object _link = new();
    private readonly Dictionary<uint, SignalCall> _outgoing = [];
    private readonly Dictionary<uint, SignalCall> _incoming = [];
    private readonly List<(CoSapHandle Handle, AtmAddress Address)> _saps = [];
    private readonly bool[] _vciInUse;
    private readonly Queue<byte[]> _waitingForLink = new();
    private readonly long _lineCellRate;
    private int _nextVci;
    private uint _nextReference;

    // SSCOP state (under _link).
    private SscopState _state;
    private uint _sendSequence;
    private uint _receiveSequence;
    private byte _connectionSequence;
    private long _outOfSequence;

    public UniSignaling(ICallSignalingHost host, AtmDevice device)
    {
        _host = host;
        _device = device;
        _vciInUse = new bool[1 << device.Options.VciBits];
        _nextVci = device.Options.FirstCallVci;
        _lineCellRate = (long)AtmLine.CellsPerSecond(device.Options.LineRateBitsPerSecond);
        SignallingChannel = device.SignallingChannel;
    }

    private enum SscopState
    {
        Idle,
        OutgoingConnectionPending,
        DataTransferReady,
    }

    public CoAddressFamily AddressFamily => AtmCallParameters.AddressFamily;

    public int SignallingChannel { get; }

    public int MaximumMessageLength => MessageLimit;

    public int ActiveCalls
    {
        get { lock (_sync) return _outgoing.Count + _incoming.Count; }
    }

    /// <summary>True once SSCOP is in data transfer (BGN answered by BGAK).</summary>
    internal bool LinkReady
    {
        get { lock (_link) return _state == SscopState.DataTransferReady; }
    }

    /// <summary>SD PDUs that arrived with an N(S) other than the one expected (no retransmission: delivered anyway).</summary>
    internal long OutOfSequence => Interlocked.Read(ref _outOfSequence);

    // ---- The SSCOP link ---------------------------------------------------------------------------------

    /// <summary>Brings the signalling link up: BGN (the far end answers BGAK; a BGN it sends first is answered here).</summary>
    public void Start()
    {
        Span<byte> pdu = stackalloc byte[8];
        int length;
        lock (_link)
        {
            if (_state != SscopState.Idle)
                return;
            _state = SscopState.OutgoingConnectionPending;
            length = SscopPdu.WriteBegin(pdu, ++_connectionSequence);
        }
        _host.SendSignal(pdu[..length]);
    }

    /// <summary>A Q.2931 message to the far end: an SD PDU now, or held until the link is up.</summary>
    private void Send(Q2931Message message)
    {
        Span<byte> q2931 = stackalloc byte[MessageLimit - SscopPdu.SequencedDataOverhead];
        int length = message.Encode(q2931, _lineCellRate);
        Span<byte> pdu = stackalloc byte[MessageLimit];
        int pduLength;
        bool begin = false;
        lock (_link)
        {
            if (_state != SscopState.DataTransferReady)
            {
                _waitingForLink.Enqueue(q2931[..length].ToArray());
                begin = _state == SscopState.Idle;
                pduLength = 0;
            }
            else
            {
                pduLength = SscopPdu.WriteSequencedData(pdu, q2931[..length], _sendSequence);
                _sendSequence = (_sendSequence + 1) & 0xFFFFFF;
            }
        }
        if (begin)
            Start();
        if (pduLength > 0)
            _host.SendSignal(pdu[..pduLength]);
    }

    /// <summary>A signalling frame arrived: an SSCOP PDU.</summary>
    public void OnSignal(ReadOnlySpan<byte> frame)
    {
        if (!SscopPdu.TryRead(frame, out byte type, out var payload, out uint sequence))
            return;
        switch (type)
        {
            case SscopPdu.Begin:
                {
                    Span<byte> ack = stackalloc byte[8];
                    int length = SscopPdu.WriteBeginAcknowledge(ack);
                    lock (_link)
                    {
                        // The far end (re)established the connection: both directions start at N(S) 0.
                        _sendSequence = 0;
                        _receiveSequence = 0;
                        _state = SscopState.DataTransferReady;
                    }
                    _host.SendSignal(ack[..length]);
                    FlushWaiting();
                    break;
                }
            case SscopPdu.BeginAcknowledge:
                lock (_link)
                {
                    if (_state != SscopState.OutgoingConnectionPending)
                        return;
                    _sendSequence = 0;
                    _receiveSequence = 0;
                    _state = SscopState.DataTransferReady;
                }
                FlushWaiting();
                break;
            case SscopPdu.End:
                {
                    Span<byte> ack = stackalloc byte[8];
                    int length = SscopPdu.WriteEndAcknowledge(ack);
                    lock (_link)
                        _state = SscopState.Idle;
                    _host.SendSignal(ack[..length]);
                    break;
                }
            case SscopPdu.SequencedData:
                lock (_link)
                {
                    if (_state != SscopState.DataTransferReady)
                        return;
                    if (sequence != _receiveSequence)
                        Interlocked.Increment(ref _outOfSequence);
                    _receiveSequence = (sequence + 1) & 0xFFFFFF;
                }
                if (Q2931Message.TryDecode(payload, _lineCellRate, out var message))
                    OnMessage(message!);
                break;
            default:
                break; // POLL, STAT, USTAT…: this SSCOP does not retransmit (the link is reliable unless a test breaks it)
        }
    }

    private void FlushWaiting()
    {
        Span<byte> pdu = stackalloc byte[MessageLimit];
        while (true)
        {
            byte[]? message;
            int length = 0;
            lock (_link)
            {
                if (_state != SscopState.DataTransferReady || !_waitingForLink.TryDequeue(out message))
                    return;
                length = SscopPdu.WriteSequencedData(pdu, message, _sendSequence);
                _sendSequence = (_sendSequence + 1) & 0xFFFFFF;
            }
            _host.SendSignal(pdu[..length]);
        }
    }

    // ---- SAPs ---------------------------------------------------------------------------------------------

    public NdisStatus RegisterSap(CoSap sap, CoSapHandle handle)
    {
        if (!AtmCallParameters.TryGetSapAddress(sap, out var address))
            return NdisStatus.InvalidSap;
        lock (_sync)
        {
            if (_saps.Exists(s => s.Address == address))
                return NdisStatus.SapInUse;
            _saps.Add((handle, address));
        }
        return NdisStatus.Success;
    }

    public void DeregisterSap(CoSapHandle handle)
    {
        lock (_sync)
            _saps.RemoveAll(s => ReferenceEquals(s.Handle, handle));
    }

    // ---- Calls from the client ----------------------------------------------------------------------------

    public NdisStatus MakeCall(SignalCall call, CoCallParameters parameters, CoParty? party)
    {
        if (party is not null)
            return NdisStatus.NotSupported; // point-to-point only
        if (!AtmCallParameters.TryGetCallManagerParameters(parameters, out var description) || description!.CalledParty.IsEmpty)
            return NdisStatus.InvalidData;
        Q2931Message setup;
        lock (_sync)
        {
            uint reference = NextReference();
            call.State = SignalCallState.Calling;
            call.Outgoing = true;
            call.CallReference = reference;
            call.Channels = new ChannelBinding(-1, -1);
            call.Parameters = parameters;
            _outgoing[reference] = call;
            setup = new Q2931Message { Type = Q2931MessageType.Setup, CallReference = reference, Call = description with { Cause = null } };
        }
        Send(setup);
        return NdisStatus.Pending;
    }

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
                Send(Message(call, Q2931MessageType.Release, Q2931Causes.NormalCallClearing));
            else if (previous == SignalCallState.RemoteReleased)
                Send(Message(call, Q2931MessageType.ReleaseComplete, Q2931Causes.NormalCallClearing));
        }
        _host.DeactivateVc(call);
        return NdisStatus.Pending;
    }

    public void IncomingCallComplete(NdisStatus status, SignalCall call)
    {
        if (status == NdisStatus.Success)
            Accept(call);
        else
            Reject(call, status);
    }

    public void ActivateVcComplete(SignalCall call, NdisStatus status)
    {
        if (call.Outgoing)
            FinishOutgoingActivation(call, status);
        else
            FinishIncomingActivation(call, status);
    }

    public void VcDeactivated(SignalCall call)
    {
        bool closing;
        lock (_sync)
        {
            ReleaseVci(call.Channels.Receive);
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

    public SignalCall? OfferPermanentVc(CoSap sap, ChannelBinding channels, uint maxSduSize)
    {
        ArgumentNullException.ThrowIfNull(sap);
        if (!AtmCallParameters.TryGetSapAddress(sap, out var address))
            throw new ArgumentException("The SAP is not an ATM address.", nameof(sap));
        CoSapHandle handle;
        var (vpi, vci) = _device.VpiVciOf(channels.Transmit);
        lock (_sync)
        {
            handle = _saps.Find(s => s.Address == address).Handle
                ?? throw new InvalidOperationException($"No client registered SAP {address}.");
            if (channels.Transmit != channels.Receive || vpi == 0 && vci < 32)
                throw new ArgumentException($"An ATM PVC uses one VPI/VCI both ways, not a reserved one: {channels}.", nameof(channels));
            if (vpi == _device.Options.CallVpi)
            {
                if (_vciInUse[vci])
                    throw new ArgumentException($"VPI {vpi}/VCI {vci} is in use on this host.", nameof(channels));
                _vciInUse[vci] = true;
            }
        }
        var description = new Q2931CallManagerParameters { CalledParty = address, ForwardMaxSdu = (int)maxSduSize, BackwardMaxSdu = (int)maxSduSize };
        var call = new SignalCall
        {
            Permanent = true,
            CreatedByCallManager = true,
            State = SignalCallState.Offered,
            Channels = channels,
            Sap = handle,
            Parameters = AtmCallParameters.ForPermanentVc(vpi, vci, description),
        };
        return StartIncoming(call, handle) ? call : null;
    }

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

    // ---- Q.2931 from the far end --------------------------------------------------------------------------

    private void OnMessage(Q2931Message message)
    {
        switch (message.Type)
        {
            case Q2931MessageType.Setup when !message.ToOriginator:
                OnSetup(message);
                break;
            case Q2931MessageType.CallProceeding when message.ToOriginator:
                OnCallProceeding(message);
                break;
            case Q2931MessageType.Connect when message.ToOriginator:
                OnConnect(message);
                break;
            case Q2931MessageType.ConnectAcknowledge:
                break; // the called side's call is active; its client heard call-connected when CONNECT went out
            case Q2931MessageType.Release:
                OnRelease(message);
                break;
            case Q2931MessageType.ReleaseComplete:
                OnReleaseComplete(message);
                break;
            default:
                break;
        }
    }

    private void OnSetup(Q2931Message setup)
    {
        var description = setup.Call;
        uint reference = setup.CallReference;
        SignalCall? call = null;
        CoSapHandle? handle = null;
        byte refusal = 0;
        int vci = -1;
        lock (_sync)
        {
            if (_incoming.ContainsKey(reference))
                return; // a repeated SETUP
            if (description is null || description.CalledParty.IsEmpty)
                refusal = Q2931Causes.InvalidInformationElementContents;
            else if ((handle = _saps.Find(s => s.Address == description.CalledParty).Handle) is null)
                refusal = Q2931Causes.UnallocatedNumber;
            else if ((vci = AllocateVci()) < 0)
                refusal = Q2931Causes.NoVpciVciAvailable;
            if (refusal == 0)
            {
                int vpi = _device.Options.CallVpi;
                call = new SignalCall
                {
                    CallReference = reference,
                    CreatedByCallManager = true,
                    State = SignalCallState.Offered,
                    Channels = ChannelBinding.Both(_device.ChannelOf(vpi, vci)),
                    Sap = handle,
                };
                call.Parameters = AtmCallParameters.WithConnection(AtmCallParameters.Build(description!, callingSide: false, media: null), vpi, vci);
                _incoming[reference] = call;
            }
        }
        if (call is null)
        {
            Send(new Q2931Message { Type = Q2931MessageType.ReleaseComplete, CallReference = reference, ToOriginator = true, Cause = refusal });
            return;
        }
        // The connection identifier goes back first, as the network's first response to SETUP does.
        Send(new Q2931Message { Type = Q2931MessageType.CallProceeding, CallReference = reference, ToOriginator = true, Connection = (_device.Options.CallVpi, vci) });
        StartIncoming(call, handle!);
    }

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
            return true;
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
        // Connected before CONNECT goes out: the caller may send the moment it has activated on it.
        _host.DispatchCallConnected(call);
        if (!call.Permanent)
        {
            var (vpi, vci) = _device.VpiVciOf(call.Channels.Receive);
            Send(new Q2931Message { Type = Q2931MessageType.Connect, CallReference = call.CallReference, ToOriginator = true, Connection = (vpi, vci) });
        }
    }

    private void Reject(SignalCall call, NdisStatus cause)
    {
        if (!call.Permanent)
            Send(Message(call, Q2931MessageType.ReleaseComplete, cause == NdisStatus.Success ? Q2931Causes.CallRejected : Q2931Causes.FromStatus(cause)));
        lock (_sync)
            call.State = SignalCallState.Closing;
        _host.DeactivateVc(call);
    }

    private void Refuse(SignalCall call, NdisStatus cause, bool deactivate)
    {
        if (!call.Permanent)
            Send(Message(call, Q2931MessageType.ReleaseComplete, Q2931Causes.FromStatus(cause.IsError() ? cause : NdisStatus.Failure)));
        if (deactivate)
        {
            _host.DeactivateVc(call);
            return;
        }
        lock (_sync)
        {
            ReleaseVci(call.Channels.Receive);
            _incoming.Remove(call.CallReference);
            call.State = SignalCallState.Idle;
        }
        if (call.Vc is not null)
            _host.DeleteVc(call);
    }

    private void OnCallProceeding(Q2931Message message)
    {
        SignalCall? call;
        lock (_sync)
        {
            if (!_outgoing.TryGetValue(message.CallReference, out call) || call.State != SignalCallState.Calling || message.Connection is null)
                return;
        }
        TakeConnection(call, message.Connection.Value);
    }

    private void OnConnect(Q2931Message message)
    {
        SignalCall? call;
        lock (_sync)
        {
            if (!_outgoing.TryGetValue(message.CallReference, out call) || call.State != SignalCallState.Calling)
                return;
        }
        if (call.Channels.Receive < 0)
        {
            if (message.Connection is not { } connection)
            {
                Send(Message(call, Q2931MessageType.Release, Q2931Causes.InvalidInformationElementContents));
                FailOutgoing(call, Q2931Causes.InvalidInformationElementContents);
                return;
            }
            if (!TakeConnection(call, connection))
                return;
        }
        var (vpi, vci) = _device.VpiVciOf(call.Channels.Receive);
        var status = _host.ActivateVc(call, AtmCallParameters.WithConnection(call.Parameters!, vpi, vci));
        if (status != NdisStatus.Pending)
            FinishOutgoingActivation(call, status);
    }

    /// <summary>The callee named the VPI/VCI: take it, unless this host uses it already (glare) or cannot decode it.</summary>
    private bool TakeConnection(SignalCall call, (int Vpi, int Vci) connection)
    {
        bool taken;
        lock (_sync)
        {
            if (call.Channels.Receive >= 0)
                return true;
            taken = (uint)connection.Vpi < 1u << _device.Options.VpiBits && (uint)connection.Vci < (uint)_vciInUse.Length
                && (connection.Vpi != _device.Options.CallVpi || !_vciInUse[connection.Vci]);
            if (taken)
            {
                if (connection.Vpi == _device.Options.CallVpi)
                    _vciInUse[connection.Vci] = true;
                call.Channels = ChannelBinding.Both(_device.ChannelOf(connection.Vpi, connection.Vci));
            }
        }
        if (!taken)
        {
            Send(Message(call, Q2931MessageType.Release, Q2931Causes.RequestedVpciVciNotAvailable));
            FailOutgoing(call, Q2931Causes.RequestedVpciVciNotAvailable);
        }
        return taken;
    }

    private void FinishOutgoingActivation(SignalCall call, NdisStatus status)
    {
        if (status == NdisStatus.Success)
        {
            lock (_sync)
                call.State = SignalCallState.Connected;
            Send(Message(call, Q2931MessageType.ConnectAcknowledge, null));
            _host.MakeCallComplete(NdisStatus.Success, call, call.Parameters!);
            return;
        }
        byte cause = Q2931Causes.FromStatus(status);
        Send(Message(call, Q2931MessageType.Release, cause));
        FailOutgoing(call, cause);
    }

    private void FailOutgoing(SignalCall call, byte cause)
    {
        CoCallParameters parameters;
        lock (_sync)
        {
            _outgoing.Remove(call.CallReference);
            ReleaseVci(call.Channels.Receive);
            call.State = SignalCallState.Idle;
            call.Channels = new ChannelBinding(-1, -1);
            parameters = WithCause(call.Parameters!, cause);
        }
        var status = Q2931Causes.ToStatus(cause);
        _host.MakeCallComplete(status == NdisStatus.Success ? NdisStatus.Failure : status, call, parameters);
    }

    /// <summary>The client's parameters with the cause the call ended with in their Q.2931 part.</summary>
    private static CoCallParameters WithCause(CoCallParameters parameters, byte cause)
    {
        if (!AtmCallParameters.TryGetCallManagerParameters(parameters, out var description))
            return parameters;
        var cm = parameters.CallMgrParameters;
        return new CoCallParameters(cm with { CallMgrSpecific = new CoSpecificParameters(Q2931CallManagerParameters.ParamType, (description! with { Cause = cause }).Encode()) },
            parameters.MediaParameters, parameters.Flags);
    }

    private void OnRelease(Q2931Message message)
    {
        var call = Find(message);
        if (call is null)
        {
            // Nothing known by that reference: the release completes at once (Q.2931 §5.5.3).
            Send(new Q2931Message { Type = Q2931MessageType.ReleaseComplete, CallReference = message.CallReference, ToOriginator = !message.ToOriginator, Cause = Q2931Causes.NormalCallClearing });
            return;
        }
        byte cause = message.Cause ?? Q2931Causes.NormalCallClearing;
        if (call.State == SignalCallState.Calling)
        {
            Send(Message(call, Q2931MessageType.ReleaseComplete, cause));
            FailOutgoing(call, cause);
            return;
        }
        var status = Q2931Causes.ToStatus(cause);
        RemoteRelease(call, status.IsError() ? status : NdisStatus.Success);
    }

    private void OnReleaseComplete(Q2931Message message)
    {
        var call = Find(message);
        if (call is null)
            return;
        byte cause = message.Cause ?? Q2931Causes.NormalCallClearing;
        if (call.State == SignalCallState.Calling)
            FailOutgoing(call, cause);
        else if (call.State is SignalCallState.Connected or SignalCallState.Offered)
        {
            var status = Q2931Causes.ToStatus(cause);
            RemoteRelease(call, status.IsError() ? status : NdisStatus.Success);
        }
    }

    /// <summary>The call a message from the far end is about: one this side originated when the flag says "to originator".</summary>
    private SignalCall? Find(Q2931Message message)
    {
        lock (_sync)
            return (message.ToOriginator ? _outgoing : _incoming).GetValueOrDefault(message.CallReference);
    }

    private static Q2931Message Message(SignalCall call, Q2931MessageType type, byte? cause) =>
        new() { Type = type, CallReference = call.CallReference, ToOriginator = !call.Outgoing, Cause = cause };

    private uint NextReference()
    {
        _nextReference = (_nextReference % Q2931Message.MaximumCallReference) + 1;
        return _nextReference;
    }

    private int AllocateVci()
    {
        int first = _device.Options.FirstCallVci, last = _device.Options.LastCallVci ?? _vciInUse.Length - 1;
        int span = last - first + 1;
        for (int tried = 0; tried < span; tried++)
        {
            int vci = _nextVci;
            _nextVci = vci >= last ? first : vci + 1;
            if (!_vciInUse[vci])
            {
                _vciInUse[vci] = true;
                return vci;
            }
        }
        return -1;
    }

    private void ReleaseVci(int channel)
    {
        if (channel < 0)
            return;
        var (vpi, vci) = _device.VpiVciOf(channel);
        if (vpi == _device.Options.CallVpi && vci < _vciInUse.Length)
            _vciInUse[vci] = false;
    }
}
