using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers;

/// <summary>
/// The client role of the conformance suite, seen from the NBL runtime: a native client, or a 5.x client behind
/// the translation layer. A "send" is one NBL of frames (a 5.x client sends one packet per frame).
/// </summary>
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
