namespace CoNdis.NetBufferCore;

/// <summary>NET_BUFFER_FREE_MDL ("NetFreeMdl"): undoes exactly what the matching NetAllocateMdl did.</summary>
public delegate void NetBufferFreeMdlHandler(Mdl mdl);
