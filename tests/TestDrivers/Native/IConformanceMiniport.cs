using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers;

/// <summary>
/// The miniport role of the conformance suite, seen from the NBL runtime: a native miniport, or a 5.x miniport
/// under the translation layer, on some device ("inline": the miniport is its own device; "loopback", "pair-link": a
/// reference miniport over a simulated NIC). The members with a body are what a device-backed role needs beyond a
/// test double: the channels its call manager binds at activation, a word before a deactivation, the status its held
/// sends get when a VC deactivates, and the rules it cannot be made to drive.
/// </summary>
public interface IConformanceMiniport
{
    CoMiniportAdapter Adapter { get; }

    SendCompletion SendCompletion { get; set; }

    /// <summary>Indicate every frame that completes successfully back as a receive on the same VC.</summary>
    bool Loopback { get; set; }

    /// <summary>Keep a copy of every frame sent (load and capture tests switch it off).</summary>
    bool RecordSentFrames { get; set; }

    bool PendActivate { get; set; }

    bool PendDeactivate { get; set; }

    /// <summary>Sends the miniport holds (SendCompletion.Held): NBLs for a native miniport, packets for a 5.x one.</summary>
    int QueuedSends { get; }

    /// <summary>Completes held sends with <paramref name="status"/>, in wire order; returns how many (NBLs or packets).</summary>
    int CompleteQueued(NdisStatus status);

    /// <summary>Completes a pended activation or deactivation of <paramref name="vc"/>.</summary>
    void FinishPendedActivation(VirtualConnection vc, NdisStatus status);

    /// <summary>Indicates each frame as a receive on <paramref name="vc"/>, with or without the resources flag.</summary>
    void Indicate(VirtualConnection vc, IReadOnlyList<byte[]> frames, bool resources);

    /// <summary>Receives the miniport indicated and got back (each exactly once, or the miniport fails the test).</summary>
    int ReturnedReceives { get; }

    /// <summary>Frames the miniport saw sent, in order.</summary>
    IReadOnlyList<byte[]> SentFrames { get; }

    /// <summary>Objects from the miniport's pools still outstanding.</summary>
    int OutstandingPoolObjects { get; }

    /// <summary>
    /// What the call manager activates <paramref name="vc"/> with (NdisCmActivateVc): <paramref name="callParameters"/>
    /// with the media-specific part this miniport reads at activation (a device's link channels, as an ATM call manager
    /// puts the VPI/VCI there). A test double needs nothing added.
    /// </summary>
    CoCallParameters ActivationParameters(VirtualConnection vc, CoCallParameters callParameters) => callParameters;

    /// <summary>The call manager is about to deactivate <paramref name="vc"/> (NdisCmDeactivateVc): sends the role holds for the test may go now.</summary>
    void CallManagerDeactivating(VirtualConnection vc)
    {
    }

    /// <summary>
    /// The status held sends (<see cref="SendCompletion.Held"/>) complete with when their VC deactivates:
    /// NDIS_STATUS_CLOSING for the test miniports, which flush them; a miniport that transmits what it queued first
    /// (the deactivation pages allow both) completes them with SUCCESS.
    /// </summary>
    NdisStatus HeldSendStatusAtDeactivation => NdisStatus.Closing;

    /// <summary>Why this role cannot drive <paramref name="feature"/> (a test of it is skipped with this reason), or null when it can.</summary>
    string? Unsupported(ConformanceFeature feature) => null;
}
