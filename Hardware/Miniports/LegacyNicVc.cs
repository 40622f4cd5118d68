using CoNdis.LegacyPacket.CoNdis5;

namespace CoNdis.Hardware.Miniports;

/// <summary>
/// The 5.x miniport's per-VC state (its MiniportVcContext, and as an MCM its CallMgrVcContext too): channels, the
/// drain before a deactivation, and the integrated call manager's call on the VC.
/// </summary>
internal sealed class LegacyNicVc(LegacyCoVc? vc)
{
    /// <summary>The NdisVcHandle; null for the integrated call manager's own signalling channel.</summary>
    public LegacyCoVc? Vc { get; set; } = vc;

    public int TransmitChannel = -1;

    public int ReceiveChannel = -1;

    /// <summary>0: not draining; 1: waiting for its transfers; 2: drained and finished.</summary>
    public int DrainState;

    /// <summary>What to do once drained: NdisMCoDeactivateVcComplete, or the integrated close.</summary>
    public DrainAction DrainAction;

    /// <summary>The integrated call manager's call on this VC.</summary>
    public SignalCall? Call { get; set; }

    public override string ToString() => $"{Vc?.ToString() ?? "signalling"} tx {TransmitChannel} rx {ReceiveChannel}";
}
