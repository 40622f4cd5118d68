namespace CoNdis.Hardware.Nic;

/// <summary>
/// SCATTER_GATHER_LIST: the physically contiguous pieces of one frame's buffers, in order, as
/// NdisMAllocateNetBufferSGList builds it for a native miniport (and as NDIS 5.1 hands an SG-DMA miniport in
/// ScatterGatherListPacketInfo). The storage is the driver's (pre-allocated, reused), so building one allocates nothing.
/// </summary>
public sealed class ScatterGatherList
{
    private readonly ScatterGatherElement[] _elements;

    /// <summary>A list with room for <paramref name="capacity"/> elements.</summary>
    public ScatterGatherList(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _elements = new ScatterGatherElement[capacity];
    }

    /// <summary>NumberOfElements.</summary>
    public int NumberOfElements { get; internal set; }

    /// <summary>Elements the storage can hold.</summary>
    public int Capacity => _elements.Length;

    /// <summary>Total bytes described.</summary>
    public int TotalLength { get; internal set; }

    /// <summary>True when the buffer had more pieces than the NIC's limit and was copied into one bounce buffer.</summary>
    public bool IsBounced => BounceIndex >= 0;

    /// <summary>The bounce buffer in use (−1 for none); given back when the transmit completes.</summary>
    public int BounceIndex { get; internal set; } = -1;

    /// <summary>Elements[i].</summary>
    public ScatterGatherElement this[int index] =>
        (uint)index < (uint)NumberOfElements ? _elements[index] : throw new ArgumentOutOfRangeException(nameof(index));

    internal bool TryAdd(nint address, int length)
    {
        if (NumberOfElements == _elements.Length)
            return false;
        _elements[NumberOfElements++] = new ScatterGatherElement(address, length);
        TotalLength += length;
        return true;
    }

    internal void Clear()
    {
        NumberOfElements = 0;
        TotalLength = 0;
        BounceIndex = -1;
    }
}
