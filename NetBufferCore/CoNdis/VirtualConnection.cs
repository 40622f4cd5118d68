namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// A virtual connection (NdisVcHandle): the call state (<see cref="State"/>, an explicit state machine),
/// the activation state, the three parties that share it (client, call manager, miniport) with their
/// contexts, and the counts of sends and receives in flight on it.
/// </summary>
public sealed class VirtualConnection
{
    private int _state;
    private int _outstandingSends;
    private int _refusingSends;
    private int _outstandingReceives;
    private int _deferredDeactivation;
    private volatile bool _callClosed;

    internal VirtualConnection(CoMiniportAdapter adapter, int id)
    {
        Adapter = adapter;
        Id = id;
    }

    /// <summary>A number for messages.</summary>
    public int Id { get; }

    public CoMiniportAdapter Adapter { get; }

    /// <summary>The client's open AF this VC belongs to; null for a call manager's own VC.</summary>
    public CoAfHandle? AddressFamily { get; internal set; }

    /// <summary>The call state.</summary>
    public VcState State => (VcState)Volatile.Read(ref _state);

    /// <summary>The activation state.</summary>
    public ActivationState Activation { get; internal set; }

    /// <summary>True when a call manager created the VC (incoming call or its own signalling VC).</summary>
    public bool CreatedByCallManager { get; internal set; }

    /// <summary>The parameters the VC was last activated with (null when inactive).</summary>
    public CoCallParameters? CallParameters { get; internal set; }

    /// <summary>Sends handed to the miniport and not yet completed.</summary>
    public int OutstandingSends => Volatile.Read(ref _outstandingSends);

    /// <summary>
    /// Sends refused at the VC's gate (it was closing) and not yet back with their sender. They never reach the
    /// miniport, so they are not in <see cref="OutstandingSends"/>, which a miniport's drain reads; a deactivation
    /// and so a close still wait for them.
    /// </summary>
    public int RefusingSends => Volatile.Read(ref _refusingSends);

    /// <summary>Receive NBLs indicated to the protocol and not yet returned.</summary>
    public int OutstandingReceives => Volatile.Read(ref _outstandingReceives);

    /// <summary>
    /// Miniport indications carry one NB per NBL (Send and Receive Operations; enforced by default, the model's choice,
    /// docs/model-choices.md); media that need more (802.11-like) opt out here.
    /// </summary>
    public bool AllowMultipleNetBuffersPerReceive { get; set; }

    /// <summary>The parties of a point-to-multipoint call.</summary>
    public IReadOnlyCollection<CoParty> Parties
    {
        get { lock (Sync) return [.. PartyList]; }
    }

    internal object Sync { get; } = new();

    internal List<CoParty> PartyList { get; } = [];

    internal bool IsIntegratedCallManager { get; set; }

    internal ICoClient? Client { get; set; }

    /// <summary>The client's ProtocolVcContext.</summary>
    public object? ClientContext { get; internal set; }

    internal ICoCallManager? CallManager { get; set; }

    internal object? CmContext { get; set; }

    /// <summary>The miniport's MiniportVcContext (an MCM's VC context for an integrated call manager).</summary>
    public object? MiniportContext { get; internal set; }

    /// <summary>Who sends on this VC and hears its completions and receives (the client, or the CM on its own VC).</summary>
    internal ICoProtocol? DataProtocol { get; set; }

    internal object? DataProtocolContext { get; set; }

    internal object? DataBindingContext { get; set; }

    internal CoSapHandle? IncomingSap { get; set; }

    internal CoCallParameters? PendingActivationParameters { get; set; }

    internal ActivationState ActivationBeforePending { get; set; }

    internal ref int OutstandingSendsField => ref _outstandingSends;

    internal ref int RefusingSendsField => ref _refusingSends;

    internal ref int OutstandingReceivesField => ref _outstandingReceives;

    internal ref int DeferredDeactivationField => ref _deferredDeactivation;

    /// <summary>
    /// True from NdisClCloseCall until the next call on this VC (NdisClMakeCall, or an incoming call dispatched
    /// on it): a send in that time is a send after close (NDIS_STATUS_CLOSING, SendAfterClose), also once the
    /// close has completed and the VC is back in <see cref="VcState.Created"/>. Written under <see cref="Sync"/>;
    /// read without a lock only where a send is refused.
    /// </summary>
    internal bool CallClosed
    {
        get => _callClosed;
        set => _callClosed = value;
    }

    /// <summary>
    /// True while sends may flow: the VC is active and its call connected, or it is a call manager's own VC (no AF, no
    /// call: the signalling VC a stand-alone CM creates for itself and sends on, Connection-Oriented Environment).
    /// </summary>
    internal bool CanSend => Activation == ActivationState.Active
        && (Volatile.Read(ref _state) == (int)VcState.Connected || IsCallManagerOwnVc);

    /// <summary>A VC a call manager created for itself (NdisCoCreateVc with no AF handle): it carries no call.</summary>
    internal bool IsCallManagerOwnVc => CreatedByCallManager && AddressFamily is null && State == VcState.Created;

    /// <summary>
    /// The VC state machine: the state <paramref name="action"/> leads to from <paramref name="from"/>, or null
    /// when the action is illegal there.
    /// </summary>
    public static VcState? Transition(VcState from, VcAction action) => (from, action) switch
    {
        (VcState.Created, VcAction.MakeCall) => VcState.Calling,
        (VcState.Created, VcAction.DispatchIncomingCall) => VcState.Offered,
        (VcState.Created, VcAction.Delete) => VcState.Deleted,
        (VcState.Calling, VcAction.MakeCallSucceeded) => VcState.Connected,
        (VcState.Calling, VcAction.MakeCallFailed) => VcState.Created,
        (VcState.Offered, VcAction.AcceptIncomingCall) => VcState.Accepted,
        (VcState.Offered, VcAction.RejectIncomingCall) => VcState.Created,
        (VcState.Offered, VcAction.IncomingCloseCall) => VcState.IncomingClose,
        (VcState.Accepted, VcAction.CallConnected) => VcState.Connected,
        (VcState.Accepted, VcAction.IncomingCloseCall) => VcState.IncomingClose,
        (VcState.Accepted, VcAction.CloseCall) => VcState.Closing,
        (VcState.Connected, VcAction.CloseCall) => VcState.Closing,
        (VcState.Connected, VcAction.IncomingCloseCall) => VcState.IncomingClose,
        (VcState.IncomingClose, VcAction.CloseCall) => VcState.Closing,
        (VcState.Closing, VcAction.CloseCallSucceeded) => VcState.Created,
        (VcState.Closing, VcAction.CloseCallFailed) => VcState.Connected,
        _ => null,
    };

    /// <summary>Moves the call state by <paramref name="action"/> or refuses with a message naming the VC, the state and the call.</summary>
    internal VcState Apply(VcAction action, string ddi)
    {
        var from = State;
        var to = Transition(from, action)
            ?? throw new CoNdisStateException($"{ddi} is not allowed on {this} in state {from} ({action}); allowed from: {AllowedFrom(action)}.");
        Volatile.Write(ref _state, (int)to);
        return to;
    }

    /// <summary>Sets the state directly (closing a send gate before the CM is told, for instance).</summary>
    internal void SetState(VcState state) => Interlocked.Exchange(ref _state, (int)state);

    private static string AllowedFrom(VcAction action)
    {
        var states = Enum.GetValues<VcState>().Where(s => Transition(s, action) is not null).ToArray();
        return states.Length == 0 ? "no state" : string.Join(", ", states);
    }

    /// <inheritdoc />
    public override string ToString() => $"VC#{Id}";
}
