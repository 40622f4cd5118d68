namespace CoNdis.NetBufferCore.Verifier;

/// <summary>The NDIS rules the verifier checks (ARCHITECTURE.md, "Verifier").</summary>
public enum VerifierRule
{
    /// <summary>A pool object was freed twice.</summary>
    DoubleFree,
    /// <summary>An object was freed to a pool (or with a free function) it does not belong to.</summary>
    ForeignFree,
    /// <summary>A pool was freed while objects from it were still outstanding.</summary>
    LeakAtPoolFree,
    /// <summary>A freed pool object (or a freed pool) was used.</summary>
    UseAfterFree,
    /// <summary>An NBL was completed twice.</summary>
    DoubleCompletion,
    /// <summary>An NBL was completed that was never sent.</summary>
    CompletionOfUnsentNetBufferList,
    /// <summary>An NBL was returned that was never indicated (or returned twice).</summary>
    ReturnOfUnindicatedNetBufferList,
    /// <summary>A miniport receive indication carried an NBL with more than one NET_BUFFER.</summary>
    MultipleNetBuffersInReceive,
    /// <summary>A send on a VC whose call is closing or closed.</summary>
    SendAfterClose,
    /// <summary>An NBL was touched after it was completed or returned to its owner.</summary>
    TouchAfterCompletion,
    /// <summary>A VC was deleted with sends or receives outstanding.</summary>
    LeakAtVcDelete,
    /// <summary>NBL context allocations and frees did not balance (LIFO per layer).</summary>
    ContextImbalance,
    /// <summary>A clone was freed with flags other than those it was allocated with.</summary>
    CloneFlagsMismatch,
    /// <summary>A parent NBL was freed while children were outstanding.</summary>
    ParentFreedWithChildren,
    /// <summary>An NB was freed while memory an allocating retreat added was still attached.</summary>
    RetreatAllocationLeak,
    /// <summary>An MDL was freed with a length other than its original one (NdisAdjustMdlLength not undone).</summary>
    MdlLengthNotRestored,
    /// <summary>A NET_BUFFER's data-space invariants do not hold (I1, I4, I5 of NetBuffer.CheckInvariants, from the
    /// fields of NET_BUFFER structure (nbl.h)).</summary>
    NetBufferInvariant,
    /// <summary>A reserved area was used by a role that does not own it.</summary>
    ReservedAreaOwnership,
    /// <summary>A send on a VC whose call is not (yet) connected: data flows only after make-call complete or call connected.</summary>
    SendOnUnconnectedVc,
    /// <summary>A receive indication on a VC that is not active with a connected call (for example after deactivation).</summary>
    IndicationOnInactiveVc,
    /// <summary>A miniport completed a deactivation with sends or receives still outstanding on the VC.</summary>
    DeactivationWithTransfersOutstanding,
    /// <summary>The NB list of an NBL changed between send and completion.</summary>
    NetBufferListAltered,
    /// <summary>NumberOfNetBufferLists does not match the chain, or a resources indication came back relinked.</summary>
    IndicationCountMismatch,
    /// <summary>An NDIS 5 packet was completed (NdisMCoSendComplete) that was never sent, or twice.</summary>
    CompletionOfUnsentPacket,
    /// <summary>An NDIS 5 packet was returned (NdisReturnPackets) that was never indicated, or more often than its count.</summary>
    ReturnOfUnindicatedPacket,
    /// <summary>A protocol kept a packet or NBL indicated with RESOURCES status after the indication returned.</summary>
    ResourcesReceiveRetained,
    /// <summary>A packet or NBL was freed (or reused) while it was sent or held by another driver.</summary>
    FreeWhileInFlight,
}
