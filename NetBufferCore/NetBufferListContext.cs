namespace CoNdis.NetBufferCore;

/// <summary>
/// NET_BUFFER_LIST_CONTEXT: one block of per-NBL driver context. Like NB data space it grows toward
/// the front: <see cref="Offset"/> bytes of unused (backfill) space precede <see cref="Size"/> used bytes.
/// Blocks chain through <see cref="Next"/>, newest first.
/// </summary>
public sealed class NetBufferListContext
{
    internal NetBufferListContext(int capacity) => Memory = new byte[capacity];

    /// <summary>The next (older) context block.</summary>
    public NetBufferListContext? Next { get; internal set; }

    /// <summary>Used bytes (NET_BUFFER_LIST_CONTEXT_DATA_SIZE).</summary>
    public int Size { get; internal set; }

    /// <summary>Unused bytes in front of the used ones.</summary>
    public int Offset { get; internal set; }

    /// <summary>Bytes the block can hold.</summary>
    public int Capacity => Memory.Length;

    internal byte[] Memory { get; private set; }

    /// <summary>The used context bytes (NET_BUFFER_LIST_CONTEXT_DATA_START, Size bytes).</summary>
    public Span<byte> Data => Memory.AsSpan(Offset, Size);

    internal void EnsureCapacity(int capacity)
    {
        if (Memory.Length < capacity)
            Memory = new byte[capacity];
    }
}
