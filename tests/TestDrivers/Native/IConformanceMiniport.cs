using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers;

/// <summary>
/// The miniport role of the conformance suite, seen from the NBL runtime: a native miniport, or a 5.x miniport
/// under the translation layer, on some device ("inline": the miniport is its own device).
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
}
