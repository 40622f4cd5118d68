namespace CoNdis.Hardware.Nic;

/// <summary>
/// A descriptor ring of a power-of-two size with the two index registers of real NICs. The device owns the posted
/// slots <c>[Head, Tail)</c>, the driver everything else: the driver fills slots at the tail and moves
/// <see cref="Tail"/> (the doorbell write); the device processes from the head, writes each descriptor back and
/// moves <see cref="Head"/>; the driver reclaims written-back slots from its own clean index up to the head.
/// Indices are free-running 32-bit counters, masked to a slot. Models a NIC's TX or RX descriptor ring.
/// </summary>
public sealed class DescriptorRing<T> where T : struct
{
    private readonly T[] _slots;
    private uint _head;
    private uint _tail;

    internal DescriptorRing(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(size), $"A descriptor ring has a power-of-two size of at least 2, not {size}.");
        _slots = new T[size];
        Mask = (uint)size - 1;
    }

    /// <summary>Slots in the ring.</summary>
    public int Size => _slots.Length;

    /// <summary>Size − 1: index &amp; Mask is the slot.</summary>
    public uint Mask { get; }

    /// <summary>The device's next slot to process (written only by the device).</summary>
    public uint Head => Volatile.Read(ref _head);

    /// <summary>The driver's next slot to fill; slots before it are posted (written only by the driver, with <see cref="Post"/>).</summary>
    public uint Tail => Volatile.Read(ref _tail);

    /// <summary>The descriptor at free-running index <paramref name="index"/>.</summary>
    public ref T this[uint index] => ref _slots[index & Mask];

    /// <summary>Hands every slot before <paramref name="newTail"/> to the device (the tail register write).</summary>
    public void Post(uint newTail) => Volatile.Write(ref _tail, newTail);

    internal void AdvanceHead(uint newHead) => Volatile.Write(ref _head, newHead);

    internal void ResetIndices()
    {
        Volatile.Write(ref _head, 0);
        Volatile.Write(ref _tail, 0);
        Array.Clear(_slots);
    }
}
