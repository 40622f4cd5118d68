using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Miniports;

/// <summary>Where a call is in the device's signalling.</summary>
internal enum SignalCallState
{
    /// <summary>A VC with no call.</summary>
    Idle,
    /// <summary>Outgoing: SETUP sent, waiting for CONNECT or RELEASE COMPLETE.</summary>
    Calling,
    /// <summary>Incoming: offered to the client, waiting for its answer.</summary>
    Offered,
    /// <summary>Data may flow.</summary>
    Connected,
    /// <summary>The far end released; the client has been told and must close.</summary>
    RemoteReleased,
    /// <summary>Closing: the VC drains and deactivates.</summary>
    Closing,
}

/// <summary>A call manager's per-VC context for the device's signalling (the CallMgrVcContext).</summary>
internal sealed class SignalCall
{
    public VirtualConnection? Vc { get; set; }

    /// <summary>The integrated call manager's VC context (the miniport's), or null for the stand-alone one.</summary>
    public object? HostContext { get; set; }

    public SignalCallState State { get; set; }

    public uint CallReference { get; set; }

    public bool Outgoing { get; set; }

    /// <summary>True for a VC the call manager created (incoming call, permanent VC): it deletes it after the close.</summary>
    public bool CreatedByCallManager { get; set; }

    /// <summary>True for a permanent VC (no signalling: nothing goes on the wire for it).</summary>
    public bool Permanent { get; set; }

    public ChannelBinding Channels { get; set; } = new(-1, -1);

    public CoCallParameters? Parameters { get; set; }

    public CoParty? Party { get; set; }

    public object? PartyContext { get; set; }

    public CoSapHandle? Sap { get; set; }

    /// <summary>True while the client's NdisClCloseCall waits for the VC to drain (then ProtocolClCloseCallComplete).</summary>
    public bool ClosePending { get; set; }

    public override string ToString() => $"call {CallReference:X8} ({State}, {Channels})";
}
