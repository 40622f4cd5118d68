using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Reliability.Tests;

/// <summary>What the soak drives on a client, native (Ndis) or 5.x (Ndis5): calls, sends, receives and their accounting.</summary>
internal interface ISoakClient
{
    string Kind { get; }

    SendLedger Ledger { get; }

    void RegisterSap(CoSap sap);

    /// <summary>Creates a VC and calls <paramref name="sap"/>; the connected VC, or null when the call failed (its VC deleted).</summary>
    SoakVc? TryCall(CoSap sap, TimeSpan timeout);

    /// <summary>The client's context of a runtime VC it knows (its own, an incoming call's or a PVC).</summary>
    SoakVc? Find(VirtualConnection vc);

    /// <summary>Sends up to <paramref name="count"/> frames as one chain (array); returns how many went (fewer when its pool is dry).</summary>
    int Send(SoakVc vc, int count, Random random);

    /// <summary>Closes the call on its own VC (NdisClCloseCall, waited for) and deletes the VC; false when the close did not finish in time.</summary>
    bool CloseOwn(SoakVc vc, TimeSpan timeout);

    /// <summary>Closes the calls the far end released and returns the receives it held.</summary>
    void Janitor();

    /// <summary>VCs the client still knows (not deleted).</summary>
    int LiveVcs { get; }

    long Received { get; }

    long ReceivedIntact { get; }

    long ReceivedWithResources { get; }

    /// <summary>Receives given back (NdisReturnNetBufferLists / NdisReturnPackets), at once or later from the janitor.</summary>
    long Returned { get; }

    /// <summary>Receives held now (to be returned by the janitor).</summary>
    int Holding { get; }

    /// <summary>Sends not made because the client's own pool was empty.</summary>
    long AllocationFailures { get; }

    /// <summary>Objects out of the client's pools (0 at rest).</summary>
    int OutstandingPoolObjects { get; }

    /// <summary>Frees the client's pools; the objects that were not home (the verifier reports them too).</summary>
    int FreePools();
}
