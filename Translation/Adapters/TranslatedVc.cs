using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Translation.Adapters;

/// <summary>One VC seen from both worlds: the runtime's NBL VC and the 5.x VC the legacy driver uses.</summary>
public sealed class TranslatedVc
{
    internal TranslatedVc(VirtualConnection runtime) => Runtime = runtime;

    internal TranslatedVc(LegacyCoVc legacy) => Legacy = legacy;

    /// <summary>The runtime's VC (NdisVcHandle on the NBL side).</summary>
    public VirtualConnection Runtime { get; internal set; } = null!;

    /// <summary>The 5.x VC (NdisVcHandle on the packet side).</summary>
    public LegacyCoVc Legacy { get; internal set; } = null!;

    /// <summary>Whose call control this VC serves on its 5.x side (none: a data-path VC only).</summary>
    internal CallRole Role { get; set; }

    /// <summary>For a 5.x client's VC: the AF it was created on, whose handlers hear its call events.</summary>
    internal LegacyClientAf? ClientAf { get; set; }

    /// <summary>The runtime VC is gone (deleted): the 5.x side is torn down directly from here on.</summary>
    internal bool Detached { get; set; }

    /// <summary>Runtime-owned copies of RESOURCES packets indicated on this VC and not yet returned (their packets went home at once).</summary>
    private int _copiesOutstanding;

    /// <summary>1 while the 5.x miniport's finished deactivation waits for the runtime VC's transfers.</summary>
    private int _deactivationWaits;

    /// <summary>NBLs the adapter took in MiniportCoSendNetBufferLists and has not yet completed up (counted per call).</summary>
    private int _sendsTaken;

    /// <summary>
    /// What the 5.x miniport cannot see is home: no copy of a RESOURCES receive is with the protocol, and no NBL the
    /// adapter took is left (a completed packet's NBL may still be on its way up, on another thread). The adapter's own
    /// count, not the runtime VC's: the runtime also counts, for a moment, sends it is refusing at the VC's gate,
    /// which never reach the adapter, so a deactivation armed on them would wait for an event that never comes.
    /// </summary>
    private bool TransfersHome => Volatile.Read(ref _copiesOutstanding) == 0 && Volatile.Read(ref _sendsTaken) == 0;

    /// <summary>MiniportCoSendNetBufferLists took <paramref name="count"/> NBLs.</summary>
    internal void SendsTaken(int count) => Interlocked.Add(ref _sendsTaken, count);

    /// <summary><paramref name="count"/> NBLs went up (NdisMCoSendNetBufferListsComplete returned).</summary>
    internal void SendsCompleted(int count) => Interlocked.Add(ref _sendsTaken, -count);

    /// <summary>A RESOURCES packet was copied into an NBL that goes up on this VC.</summary>
    internal void CopyIndicated() => Interlocked.Increment(ref _copiesOutstanding);

    /// <summary>A copy came back from the protocol.</summary>
    internal void CopyReturned() => Interlocked.Decrement(ref _copiesOutstanding);

    /// <summary>
    /// The 5.x miniport finished deactivating: false when the runtime VC's transfers are home too (complete it now);
    /// otherwise the completion is armed (true) for <see cref="TakeDeferredDeactivation"/>.
    /// </summary>
    internal bool DeferDeactivation()
    {
        if (TransfersHome)
            return false;
        Volatile.Write(ref _deactivationWaits, 1);
        // Look again: the last transfer may have come home in between, and then this call completes it.
        return !TransfersHome || Interlocked.Exchange(ref _deactivationWaits, 0) != 1;
    }

    /// <summary>After a copy came back or sends went up: true once, when an armed deactivation may complete now.</summary>
    internal bool TakeDeferredDeactivation() =>
        Volatile.Read(ref _deactivationWaits) == 1 && TransfersHome && Interlocked.Exchange(ref _deactivationWaits, 0) == 1;

    /// <inheritdoc />
    public override string ToString() => $"{Runtime} ⇄ {Legacy}";
}
