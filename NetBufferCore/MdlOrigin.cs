namespace CoNdis.NetBufferCore;

/// <summary>Who built an MDL, which decides the one free function that may release it.</summary>
public enum MdlOrigin
{
    /// <summary>Not allocated.</summary>
    None,
    /// <summary>NdisAllocateMdl: freed with NdisFreeMdl.</summary>
    AllocateMdl,
    /// <summary>Pre-allocated with an NB or NBL (pool DataSize): freed with its NB/NBL.</summary>
    Preallocated,
    /// <summary>Added by an allocating retreat: freed by an advance with FreeMdl.</summary>
    Retreat,
    /// <summary>A partial MDL NDIS built (clone, fragment, reassembly, retreat geometry): freed with its owner.</summary>
    NdisPartial,
    /// <summary>An NDIS 5 buffer (NdisAllocateBuffer): freed with NdisFreeBuffer.</summary>
    LegacyBuffer,
    /// <summary>Built by a translation layer: freed by it.</summary>
    Translation,
}
