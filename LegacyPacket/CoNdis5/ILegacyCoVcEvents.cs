using CoNdis.NetBufferCore;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// What the party that activates VCs hears when a 5.x miniport finishes a pended activation or deactivation
/// (in NDIS 5, ProtocolCmActivateVcComplete/ProtocolCmDeactivateVcComplete of the call manager). A binding's
/// client implements it when it activates VCs itself, as a translation layer standing in for NDIS does.
/// </summary>
public interface ILegacyCoVcEvents
{
    /// <summary>NdisMCoActivateVcComplete reached the VC.</summary>
    void ProtocolCmActivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle, object? callParameters);

    /// <summary>NdisMCoDeactivateVcComplete reached the VC.</summary>
    void ProtocolCmDeactivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle);
}
