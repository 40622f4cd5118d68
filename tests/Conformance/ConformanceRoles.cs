using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Conformance;

/// <summary>How a test miniport completes the sends it is given.</summary>
public enum SendCompletion
{
    /// <summary>Inside the send call.</summary>
    Inline,
    /// <summary>Queued until the test calls <see cref="IConformanceMiniport.CompleteQueued"/> (or the VC deactivates).</summary>
    Held,
    /// <summary>On the miniport's own thread, in random groups.</summary>
    Thread,
}

/// <summary>How a test client treats receives indicated without the resources flag.</summary>
public enum ReceiveHandling
{
    ReturnAtOnce,
    Hold,
}

/// <summary>One completed send as the client saw it.</summary>
public sealed record CompletedSend(int Tag, NdisStatus Status, byte[][] Frames);

/// <summary>The client role of the conformance suite (native or 5.x behind translation).</summary>
public interface IConformanceClient
{
    CoBinding Binding { get; }

    ReceiveHandling ReceiveHandling { get; set; }

    /// <summary>Creates a VC for an outgoing call on <paramref name="af"/> (NdisCoCreateVc with the client's own context).</summary>
    VirtualConnection CreateVc(CoAfHandle af);

    /// <summary>
    /// Sends one NBL per entry of <paramref name="nbls"/>, each with one NB per frame, frames split into
    /// <paramref name="mdlsPerNb"/> MDLs, carrying <paramref name="ieee8021Q"/> as 802.1Q info; returns the tags of the NBLs.
    /// </summary>
    int[] Send(VirtualConnection vc, IReadOnlyList<byte[][]> nbls, int mdlsPerNb = 1, nint cancelId = 0, uint ieee8021Q = 0);

    /// <summary>Completed sends so far (thread-safe snapshot).</summary>
    IReadOnlyList<CompletedSend> Completed { get; }

    /// <summary>Frames received so far, in order of arrival.</summary>
    IReadOnlyList<byte[]> Received { get; }

    /// <summary>The 802.1Q info each received frame carried (NBL info or per-packet info), in the same order.</summary>
    IReadOnlyList<uint> ReceivedIeee8021Q { get; }

    /// <summary>Receives held (ReceiveHandling.Hold) and not yet returned.</summary>
    int HeldCount { get; }

    /// <summary>Returns held receives in random groups, from <paramref name="threads"/> threads.</summary>
    void ReturnHeld(int threads, int seed);

    /// <summary>Objects from the client's pools still outstanding (0 when everything came back).</summary>
    int OutstandingPoolObjects { get; }
}

/// <summary>The miniport role of the conformance suite.</summary>
public interface IConformanceMiniport
{
    CoMiniportAdapter Adapter { get; }

    SendCompletion SendCompletion { get; set; }

    /// <summary>Echo every sent frame back as a receive on the same VC.</summary>
    bool Loopback { get; set; }

    /// <summary>Keep a copy of every frame sent (load and capture tests switch it off).</summary>
    bool RecordSentFrames { get; set; }

    bool PendActivate { get; set; }

    bool PendDeactivate { get; set; }

    /// <summary>Sends the miniport holds (SendCompletion.Held).</summary>
    int QueuedSends { get; }

    /// <summary>Completes held sends with <paramref name="status"/>; returns how many.</summary>
    int CompleteQueued(NdisStatus status);

    /// <summary>Completes a pended activation or deactivation of <paramref name="vc"/>.</summary>
    void FinishPendedActivation(VirtualConnection vc, NdisStatus status);

    /// <summary>Indicates each frame as a receive NBL on <paramref name="vc"/>.</summary>
    void Indicate(VirtualConnection vc, IReadOnlyList<byte[]> frames, bool resources);

    /// <summary>Receive NBLs the miniport got back (each exactly once, or the miniport fails the test).</summary>
    int ReturnedReceives { get; }

    /// <summary>Frames the miniport saw sent, in order.</summary>
    IReadOnlyList<byte[]> SentFrames { get; }

    /// <summary>Objects from the miniport's pools still outstanding.</summary>
    int OutstandingPoolObjects { get; }
}
