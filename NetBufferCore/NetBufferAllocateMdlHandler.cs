namespace CoNdis.NetBufferCore;

/// <summary>
/// NET_BUFFER_ALLOCATE_MDL ("NetAllocateMdl"): supplies an MDL and its memory for an allocating retreat.
/// NDIS passes the size it needs in <paramref name="bufferSize"/>; the handler may report a larger
/// buffer (the model accepts any MDL of at least the size asked: the extra becomes backfill). Null on failure.
/// </summary>
public delegate Mdl? NetBufferAllocateMdlHandler(ref int bufferSize);
