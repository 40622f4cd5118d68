namespace CoNdis.Hardware.Miniports;

/// <summary>The reference miniports' own settings (what a driver reads from its registry keywords).</summary>
public sealed record NicMiniportOptions
{
    /// <summary>Receive buffers (NBL+NB+MDL or packet+buffer each, pre-allocated); at most the receive ring's size. 0: the ring's size.</summary>
    public int ReceiveBuffers { get; init; }

    /// <summary>
    /// When fewer receive buffers than this would be left with the miniport, indications carry the RESOURCES flag.
    /// Null: an eighth of the buffers; 0: never (a protocol that holds every buffer then stops the receiver).
    /// </summary>
    public int? ReceiveLowWater { get; init; }

    /// <summary>What to do when the transmit ring is full.</summary>
    public TransmitRingFullPolicy TransmitRingFull { get; init; } = TransmitRingFullPolicy.Queue;

    /// <summary>Most NBLs (packets) indicated in one call.</summary>
    public int IndicateBatch { get; init; } = 32;

    /// <summary>Most NBLs completed in one call.</summary>
    public int CompleteBatch { get; init; } = 64;

    /// <summary>
    /// Act as an MCM (integrated call manager: NdisMCmRegisterAddressFamilyEx for the native miniport,
    /// NdisMCmRegisterAddressFamily for the 5.x one); off, a stand-alone call manager binds. The 5.x miniport
    /// constructed without options is stand-alone.
    /// </summary>
    public bool IntegratedCallManager { get; init; } = true;

    /// <summary>How often the miniport's watchdog runs MiniportCheckForHangEx (and resets on a hang), on the device clock; zero: never.</summary>
    public TimeSpan WatchdogInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Signalling frames (NBLs, or packets for the 5.x miniport) the integrated call manager can have in flight.</summary>
    public int SignallingBuffers { get; init; } = 64;
}
