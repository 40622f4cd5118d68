namespace CoNdis.NetBufferCore;

/// <summary>How an NBL was made, which decides the one free function that may release it.</summary>
public enum DerivedKind
{
    /// <summary>Allocated from a pool (NdisAllocateNetBufferList…): NdisFreeNetBufferList.</summary>
    None,
    /// <summary>NdisAllocateCloneNetBufferList: NdisFreeCloneNetBufferList.</summary>
    Clone,
    /// <summary>NdisAllocateFragmentNetBufferList: NdisFreeFragmentNetBufferList.</summary>
    Fragment,
    /// <summary>NdisAllocateReassembledNetBufferList: NdisFreeReassembledNetBufferList.</summary>
    Reassembled,
}
