namespace CoNdis.NetBufferCore;

/// <summary>
/// A reserved area of pointer-sized slots (ProtocolReserved, MiniportReserved…) with the DDI's slot
/// count. Each area belongs to one role; the slot count is fixed, so writing past it (a bug seen in a
/// public NDIS 5↔6 bridge) is refused instead of corrupting the next field.
/// </summary>
public sealed class ReservedArea
{
    private readonly ObjectSlot[] _slots;
    private int _writes;
    private bool _dirty;

    public ReservedArea(int slots, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        _slots = new ObjectSlot[slots];
        Name = name;
    }

    /// <summary>Which area this is, for messages (NET_BUFFER_LIST.MiniportReserved…).</summary>
    public string Name { get; }

    /// <summary>Number of pointer-sized slots (as in the DDI).</summary>
    public int Length => _slots.Length;

    /// <summary>Slot <paramref name="index"/>; out of range is refused with the area's size in the message.</summary>
    public object? this[int index]
    {
        get => _slots[Check(index)].Value;
        set
        {
            _slots[Check(index)].Value = value;
            _writes++;
            _dirty = true;
        }
    }

    /// <summary>Slot <paramref name="index"/> as <typeparamref name="T"/> (null when empty or of another type).</summary>
    public T? Get<T>(int index) where T : class => this[index] as T;

    /// <summary>Throws unless <paramref name="slotsNeeded"/> slots fit in this area (a typed view's size check).</summary>
    public void EnsureFits(int slotsNeeded)
    {
        if (slotsNeeded > _slots.Length)
            throw new ArgumentOutOfRangeException(nameof(slotsNeeded),
                $"{Name} has {_slots.Length} slot(s); a view of {slotsNeeded} slot(s) does not fit.");
    }

    /// <summary>Clears every slot.</summary>
    public void Clear()
    {
        if (_dirty)
        {
            _slots.AsSpan().Clear(); // an area nobody wrote since it was cleared is skipped (most, at each free)
            _dirty = false;
        }
        _writes++;
    }

    /// <summary>
    /// How many times the area was written (a slot set, or cleared). The verifier notes it when an object changes
    /// hands and compares at the next hand-off: a change means the previous owner touched the area after giving the
    /// object up. No slot is written to mark the hand-off, so the check costs two integer reads.
    /// </summary>
    internal int Writes => _writes;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private int Check(int index)
    {
        if ((uint)index >= (uint)_slots.Length)
            ThrowNoSuchSlot(index);
        return index;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn, System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ThrowNoSuchSlot(int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), $"{Name} has {_slots.Length} slot(s); slot {index} does not exist.");
}
