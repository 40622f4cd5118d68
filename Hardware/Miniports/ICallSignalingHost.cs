using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Miniports;

/// <summary>
/// What the device's signalling needs from the call manager it runs in: the integrated one in a native miniport
/// (NdisMCm* calls, signalling frames sent internally) or the stand-alone one (NdisCm* calls, frames on its own VC).
/// </summary>
internal interface ICallSignalingHost
{
    /// <summary>Puts a signalling message on channel 0.</summary>
    void SendSignal(ReadOnlySpan<byte> message);

    /// <summary>Ndis(M)CmActivateVc with the call's channels; PENDING finishes with <see cref="CallSignaling.ActivateVcComplete"/>.</summary>
    NdisStatus ActivateVc(SignalCall call, CoCallParameters parameters);

    /// <summary>
    /// Stops the VC's receive side, waits until its transfers drained, then Ndis(M)CmDeactivateVc; calls
    /// <see cref="CallSignaling.VcDeactivated"/> when done (perhaps before returning).
    /// </summary>
    void DeactivateVc(SignalCall call);

    /// <summary>NdisCoCreateVc / NdisMCmCreateVc on the client's AF for an incoming call.</summary>
    NdisStatus CreateIncomingVc(SignalCall call, CoAfHandle clientAf);

    /// <summary>NdisCoDeleteVc / NdisMCmDeleteVc.</summary>
    void DeleteVc(SignalCall call);

    void MakeCallComplete(NdisStatus status, SignalCall call, CoCallParameters parameters);

    void CloseCallComplete(NdisStatus status, SignalCall call);

    NdisStatus DispatchIncomingCall(CoSapHandle sap, SignalCall call, CoCallParameters parameters);

    void DispatchCallConnected(SignalCall call);

    void DispatchIncomingCloseCall(NdisStatus status, SignalCall call);
}
