using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers.Translated.CallControl;

/// <summary>Which client takes the client role of a call-control combination.</summary>
public enum ClientKind
{
    /// <summary>An NDIS 6 client written against <see cref="Ndis"/>.</summary>
    Native,
    /// <summary>The ported 5.x client sample (NDIS 5 call-control DDIs) over a LegacyClientAdapter.</summary>
    Legacy,
}

/// <summary>Which call manager serves the AF in a call-control combination.</summary>
public enum CallManagerKind
{
    /// <summary>An NDIS 6 stand-alone call manager written against <see cref="Ndis"/>.</summary>
    Native,
    /// <summary>The ported 5.x call manager sample bound as a protocol (NdisCmRegisterAddressFamily) over a LegacyClientAdapter.</summary>
    LegacyStandAlone,
    /// <summary>The same sample integrated in a 5.x miniport (NdisMCmRegisterAddressFamily) under a LegacyMiniportAdapter.</summary>
    LegacyIntegrated,
}

/// <summary>The client role: every call-control action the suite takes, on runtime handles so the tests read the runtime's state.</summary>
public interface ICallClient
{
    CoBinding Binding { get; }

    /// <summary>Call-control events in order, named after the handler without its prefix ("MakeCallComplete Success", "IncomingCall -> Success").</summary>
    IReadOnlyList<string> Events { get; }

    NdisStatus IncomingCallAnswer { get; set; }

    CoAfHandle? Af { get; }

    CoSapHandle? Sap { get; }

    /// <summary>The runtime VC of the client's current call (made, or accepted).</summary>
    VirtualConnection? CallVc { get; }

    NdisStatus OpenAf(CoAddressFamily addressFamily);

    NdisStatus RegisterSap(CoSap sap);

    NdisStatus DeregisterSap();

    NdisStatus CloseAf();

    /// <summary>Creates a VC on the AF and makes a call on it; the runtime VC comes back whatever the status.</summary>
    NdisStatus MakeCall(CoCallParameters callParameters, object? partyContext, out VirtualConnection vc);

    NdisStatus MakeCallAgain(VirtualConnection vc, CoCallParameters callParameters);

    NdisStatus CloseCall(VirtualConnection vc, CoParty? party);

    NdisStatus DeleteVc(VirtualConnection vc);

    NdisStatus AddParty(VirtualConnection vc, object? partyContext, CoCallParameters callParameters, out CoParty? party);

    NdisStatus DropParty(CoParty party);

    /// <summary>The first party of the multipoint call the client made.</summary>
    CoParty? FirstParty { get; }

    NdisStatus ModifyCallQoS(VirtualConnection vc, CoCallParameters callParameters);

    /// <summary>Queries the call manager for a ULONG OID on the AF; a synchronous answer lands in <see cref="LastRequestAnswer"/>.</summary>
    NdisStatus QueryCallManager(uint oid);

    /// <summary>Queries the miniport for a ULONG OID (no AF).</summary>
    NdisStatus QueryMiniport(uint oid, out uint value);

    uint LastRequestAnswer { get; }

    /// <summary>What the client answers for <see cref="CallControlRig.OidClientInfo"/>.</summary>
    uint ClientInfo { get; }

    /// <summary>Answer the call manager's requests later, from another thread.</summary>
    bool PendRequests { get; set; }

    void Send(VirtualConnection vc, byte[] frame);

    int SendsCompleted { get; }

    int SendsFailed { get; }

    IReadOnlyList<byte[]> Received { get; }
}

/// <summary>The call-manager role, with the far end it plays.</summary>
public interface ICallManager
{
    IReadOnlyList<string> Events { get; }

    /// <summary>Pend make-call, close-call, open-AF, SAP and request answers and complete them from another thread.</summary>
    bool PendCalls { get; set; }

    uint CallsConnected { get; }

    VirtualConnection OfferIncomingCall(CoCallParameters callParameters);

    void RemoteClose(VirtualConnection vc);

    NdisStatus RemoteQoSChange(VirtualConnection vc, CoCallParameters callParameters);

    void RemoteDropParty(CoParty party);

    /// <summary>Asks the client for a ULONG OID on its AF; a synchronous answer lands in <see cref="LastRequestAnswer"/>.</summary>
    NdisStatus QueryClient(uint oid);

    uint LastRequestAnswer { get; }

    NdisStatus DeleteIncomingVc(VirtualConnection vc);
}

/// <summary>The miniport role: where the call's data goes.</summary>
public interface ICallMiniport
{
    CoMiniportAdapter Adapter { get; }

    /// <summary>Keep sends queued until <see cref="CompleteHeld"/> or the VC's deactivation flushes them.</summary>
    bool HoldSends { get; set; }

    int HeldSends { get; }

    int CompleteHeld(NdisStatus status);

    IReadOnlyList<byte[]> SentFrames { get; }

    void Indicate(VirtualConnection vc, byte[] frame);

    /// <summary>A ULONG the miniport answers for OID_GEN_MAXIMUM_FRAME_SIZE.</summary>
    uint MaximumFrameSize { get; }
}
