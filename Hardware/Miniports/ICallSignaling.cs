using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Miniports;

/// <summary>
/// A signalling protocol a call manager of the device runs (<see cref="CallSignaling"/> on the device's own channel 0,
/// or UNI 3.1 Q.2931 over SSCOP on an ATM device): what the integrated and the stand-alone call managers ask of it.
/// </summary>
internal interface ICallSignaling
{
    /// <summary>The address family its call manager registers.</summary>
    CoAddressFamily AddressFamily { get; }

    /// <summary>The link channel the signalling runs on.</summary>
    int SignallingChannel { get; }

    /// <summary>Longest signalling frame.</summary>
    int MaximumMessageLength { get; }

    /// <summary>Calls set up or being set up.</summary>
    int ActiveCalls { get; }

    /// <summary>The signalling channel is open: bring the signalling link up (if the protocol has one).</summary>
    void Start();

    NdisStatus RegisterSap(CoSap sap, CoSapHandle handle);

    void DeregisterSap(CoSapHandle handle);

    NdisStatus MakeCall(SignalCall call, CoCallParameters parameters, CoParty? party);

    NdisStatus CloseCall(SignalCall call);

    void IncomingCallComplete(NdisStatus status, SignalCall call);

    void ActivateVcComplete(SignalCall call, NdisStatus status);

    void VcDeactivated(SignalCall call);

    SignalCall? OfferPermanentVc(CoSap sap, ChannelBinding channels, uint maxSduSize);

    void RemoteRelease(SignalCall call, NdisStatus status);

    void OnSignal(ReadOnlySpan<byte> frame);
}
