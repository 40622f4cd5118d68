using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// Not an NDIS handler (no 5.x driver implements it): the NDIS that a 5.x binding's call-control DDIs reach. NDIS 5
/// call control (address families, SAPs, calls, parties, call-manager requests) always runs through NDIS itself; here
/// that is the NDIS 6 runtime, and the layer that binds the 5.x driver to it (a translation adapter, the binding's
/// miniport side for a 5.x protocol or its protocol side for a 5.x miniport) implements this. A
/// <see cref="LegacyCoBinding"/> finds it on its miniport or client; a direct 5.x binding with neither has no call
/// control, and its call-control DDIs fail as NDIS fails a call on an AF no call manager registered.
/// <para>The members that create NDIS state (AF opens, SAPs, VCs, parties, requests) are here because only the layer
/// that translates the handlers knows how to wrap the 5.x contexts; the rest of the DDIs go straight to the runtime
/// with <see cref="RuntimeVcOf"/>.</para>
/// </summary>
public interface ILegacyCoCallControl
{
    /// <summary>The runtime VC behind a 5.x VC of this binding, or null for a VC of the direct data path only.</summary>
    VirtualConnection? RuntimeVcOf(LegacyCoVc ndisVcHandle);

    /// <summary>NdisClOpenAddressFamily on this binding.</summary>
    NdisStatus ClOpenAddressFamily(LegacyCoBinding ndisBindingHandle, CoAddressFamily addressFamily, object? protocolAfContext,
        NdisClientCharacteristics clCharacteristics, out CoAfHandle? ndisAfHandle);

    /// <summary>NdisClRegisterSap on an AF this binding's client opened.</summary>
    NdisStatus ClRegisterSap(CoAfHandle ndisAfHandle, object? protocolSapContext, CoSap sap, out CoSapHandle? ndisSapHandle);

    /// <summary>NdisCoCreateVc with an AF handle: a client's VC for an outgoing call, or a call manager's for an incoming one.</summary>
    NdisStatus CoCreateVc(LegacyCoBinding ndisBindingHandle, CoAfHandle ndisAfHandle, object? protocolVcContext, out LegacyCoVc? ndisVcHandle);

    /// <summary>NdisCoDeleteVc of a VC with a runtime side; false when <paramref name="ndisVcHandle"/> has none (the direct path deletes it).</summary>
    bool TryCoDeleteVc(LegacyCoVc ndisVcHandle, out NdisStatus status);

    /// <summary>NdisClMakeCall.</summary>
    NdisStatus ClMakeCall(LegacyCoVc ndisVcHandle, CoCallParameters callParameters, object? protocolPartyContext, out CoParty? ndisPartyHandle);

    /// <summary>NdisClAddParty.</summary>
    NdisStatus ClAddParty(LegacyCoVc ndisVcHandle, object? protocolPartyContext, CoCallParameters callParameters, out CoParty? ndisPartyHandle);

    /// <summary>NdisCmRegisterAddressFamily on this binding (a stand-alone call manager).</summary>
    NdisStatus CmRegisterAddressFamily(LegacyCoBinding ndisBindingHandle, CoAddressFamily addressFamily, NdisCallManagerCharacteristics cmCharacteristics);

    /// <summary>NdisMCmRegisterAddressFamily on this miniport binding (a call manager integrated in the miniport).</summary>
    NdisStatus MCmRegisterAddressFamily(LegacyCoBinding miniportAdapterHandle, CoAddressFamily addressFamily, NdisCallManagerCharacteristics cmCharacteristics);

    /// <summary>Ndis(M)CmActivateVc by a 5.x call manager; false for a VC it does not control (the direct path activates it).</summary>
    bool TryCmActivateVc(LegacyCoVc ndisVcHandle, object? callParameters, out NdisStatus status);

    /// <summary>Ndis(M)CmDeactivateVc by a 5.x call manager; false for a VC it does not control.</summary>
    bool TryCmDeactivateVc(LegacyCoVc ndisVcHandle, out NdisStatus status);

    /// <summary>NdisMCmCreateVc: an MCM's VC for an incoming call.</summary>
    NdisStatus MCmCreateVc(LegacyCoBinding miniportAdapterHandle, CoAfHandle ndisAfHandle, object? miniportVcContext, out LegacyCoVc? ndisVcHandle);

    /// <summary>NdisMCmDeleteVc.</summary>
    NdisStatus MCmDeleteVc(LegacyCoVc ndisVcHandle);

    /// <summary>NdisCoRequest: to the peer with an AF handle, to the miniport without one.</summary>
    NdisStatus CoRequest(LegacyCoBinding ndisBindingHandle, CoAfHandle? ndisAfHandle, LegacyCoVc? ndisVcHandle, CoParty? ndisPartyHandle, NdisRequest ndisRequest);

    /// <summary>NdisMCmRequest: an MCM's request to the client of its AF.</summary>
    NdisStatus MCmRequest(CoAfHandle ndisAfHandle, LegacyCoVc? ndisVcHandle, CoParty? ndisPartyHandle, NdisRequest ndisRequest);

    /// <summary>NdisMCoRequestComplete: the 5.x miniport finished a MiniportCoRequest it pended.</summary>
    void MCoRequestComplete(NdisStatus status, LegacyCoBinding miniportAdapterHandle, NdisOidRequest request);
}
