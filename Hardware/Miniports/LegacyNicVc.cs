using CoNdis.LegacyPacket.CoNdis5;

namespace CoNdis.Hardware.Miniports;

/// <summary>The 5.x miniport's per-VC state (its MiniportVcContext): channels and the pended deactivation.</summary>
internal sealed class LegacyNicVc(LegacyCoVc vc)
{
    /// <summary>The NdisVcHandle.</summary>
    public LegacyCoVc Vc { get; } = vc;

    public int TransmitChannel = -1;

    public int ReceiveChannel = -1;

    /// <summary>0: not draining; 1: MiniportCoDeactivateVc pended, waiting for transfers; 2: completed.</summary>
    public int DrainState;

    public override string ToString() => $"{Vc} tx {TransmitChannel} rx {ReceiveChannel}";
}
