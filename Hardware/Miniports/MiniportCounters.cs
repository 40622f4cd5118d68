namespace CoNdis.Hardware.Miniports;

/// <summary>What a reference miniport did, at one moment (its software counters; the NIC's are <c>NicStatistics</c>).</summary>
public readonly record struct MiniportCounters
{
    /// <summary>NBLs (packets) handed to the send handler.</summary>
    public long Sends { get; init; }
    /// <summary>Of those, completed with SUCCESS.</summary>
    public long SendsSucceeded { get; init; }
    /// <summary>Of those, completed with a failure status.</summary>
    public long SendsFailed { get; init; }
    /// <summary>NBLs (packets) indicated without the RESOURCES flag (held by the protocol until returned).</summary>
    public long Indicated { get; init; }
    /// <summary>NBLs (packets) indicated with RESOURCES (copied by the protocol, reposted at once).</summary>
    public long IndicatedWithResources { get; init; }
    /// <summary>Receive NBLs (packets) the protocol gave back.</summary>
    public long Returned { get; init; }
    /// <summary>Received frames dropped because no active VC listens on their channel.</summary>
    public long Discarded { get; init; }
    /// <summary>Signalling messages sent and received by the integrated call manager.</summary>
    public long SignalsSent { get; init; }
    public long SignalsReceived { get; init; }
    /// <summary>Resets the miniport performed (hang detected, or the device's own).</summary>
    public long Resets { get; init; }
    /// <summary>Hangs MiniportCheckForHangEx found.</summary>
    public long HangsDetected { get; init; }
}
