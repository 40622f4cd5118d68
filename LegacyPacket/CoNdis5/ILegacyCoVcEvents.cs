using CoNdis.NetBufferCore;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// Not an NDIS handler set of its own: the two activation completions of the call manager's contract
/// (<see cref="ILegacyCoCallManager.ProtocolCmActivateVcComplete"/>, <see cref="ILegacyCoCallManager.ProtocolCmDeactivateVcComplete"/>)
/// as the protocol side of a binding hears them when it activates VCs itself rather than through a registered call
/// manager: the translation layer standing in for NDIS above a 5.x miniport implements it and hands the completion to
/// the runtime, which calls the real call manager's handler (NDIS 6's, or a 5.x one's through its adapter). A 5.x call
/// manager implements <see cref="ILegacyCoCallManager"/> and never this.
/// </summary>
public interface ILegacyCoVcEvents
{
    /// <summary>NdisMCoActivateVcComplete reached the VC.</summary>
    void ProtocolCmActivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle, object? callParameters);

    /// <summary>NdisMCoDeactivateVcComplete reached the VC.</summary>
    void ProtocolCmDeactivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle);
}
