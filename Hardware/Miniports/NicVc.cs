using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Miniports;

/// <summary>What to do when a VC that is deactivating has drained.</summary>
internal enum DrainAction
{
    None,
    /// <summary>MiniportCoDeactivateVc returned PENDING: NdisMCoDeactivateVcComplete.</summary>
    CompletePendedDeactivation,
    /// <summary>The integrated call manager closes the call: NdisMCmDeactivateVc, then the signalling finishes the close.</summary>
    IntegratedClose,
}

/// <summary>The native miniport's per-VC state (its MiniportVcContext): the channels the VC is bound to and how it closes.</summary>
internal sealed class NicVc
{
    public NicVc(VirtualConnection? vc) => Vc = vc;

    /// <summary>The NdisVcHandle; null for the integrated call manager's own signalling channel.</summary>
    public VirtualConnection? Vc { get; set; }

    /// <summary>Channel the VC transmits on, −1 when not bound.</summary>
    public int TransmitChannel = -1;

    /// <summary>Channel the VC receives on, −1 when not bound.</summary>
    public int ReceiveChannel = -1;

    /// <summary>0: not draining; 1: waiting for its transfers; 2: drained and finished.</summary>
    public int DrainState;

    public DrainAction DrainAction;

    /// <summary>The integrated call manager's call on this VC.</summary>
    public SignalCall? Call { get; set; }

    public override string ToString() => $"{Vc?.ToString() ?? "signalling"} tx {TransmitChannel} rx {ReceiveChannel}";
}
