namespace CoNdis.TestDrivers;

/// <summary>How a test miniport completes the sends it is given (NdisMCoSendNetBufferListsComplete / NdisMCoSendComplete).</summary>
public enum SendCompletion
{
    /// <summary>Inside the send call.</summary>
    Inline,
    /// <summary>Queued until the test calls <see cref="IConformanceMiniport.CompleteQueued"/> (or the VC deactivates).</summary>
    Held,
    /// <summary>On the miniport's own thread (its "DPC"), in random groups and order.</summary>
    Thread,
}
