using System.Runtime.CompilerServices;

namespace CoNdis.NetBufferCore.Info;

/// <summary>
/// The storage both NDIS generations use for per-object out-of-band information: one PVOID per named slot
/// (NET_BUFFER_LIST.NetBufferListInfo[], NDIS_PACKET_EXTENSION.NdisPacketInfo[]). Each slot keeps a pointer-sized
/// value and, for slots that point at a structure, an object reference. Writes note the slot, so clearing (done each
/// time the object is freed) touches only the few slots that were written.
/// </summary>
public abstract class PerSlotInfo
{
    private readonly nint[] _values;
    private readonly ObjectSlot[] _pointers;
    private ulong _written;

    protected PerSlotInfo(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slots, 64);
        _values = new nint[slots];
        _pointers = new ObjectSlot[slots];
    }

    /// <summary>Zeroes every slot.</summary>
    public void Clear()
    {
        ulong written = _written;
        while (written != 0)
        {
            int index = System.Numerics.BitOperations.TrailingZeroCount(written);
            _values[index] = 0;
            _pointers[index].Value = null;
            written &= written - 1;
        }
        _written = 0;
    }

    /// <summary>The slot's pointer-sized value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected nint ValueAt(int index) => _values[index];

    /// <summary>Sets the slot's value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void SetValueAt(int index, nint value)
    {
        _values[index] = value;
        _written |= 1UL << index;
    }

    /// <summary>The object the slot points at.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected object? PointerAt(int index) => _pointers[index].Value;

    /// <summary>Sets the object the slot points at.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void SetPointerAt(int index, object? value)
    {
        _pointers[index].Value = value;
        _written |= 1UL << index;
    }

    /// <summary>Copies one slot (value and pointer) from <paramref name="source"/>.</summary>
    protected void CopySlotFrom(PerSlotInfo source, int index)
    {
        ArgumentNullException.ThrowIfNull(source);
        SetValueAt(index, source._values[index]);
        SetPointerAt(index, source._pointers[index].Value);
    }

    /// <summary>Copies every slot from <paramref name="source"/>.</summary>
    protected void CopyAllSlotsFrom(PerSlotInfo source)
    {
        ArgumentNullException.ThrowIfNull(source);
        source._values.CopyTo(_values, 0);
        source._pointers.CopyTo(_pointers, 0);
        _written |= source._written;
    }

    /// <summary>True when every slot equals the same slot of <paramref name="other"/>.</summary>
    protected bool AllSlotsEqual(PerSlotInfo other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!_values.AsSpan().SequenceEqual(other._values))
            return false;
        for (int i = 0; i < _pointers.Length; i++)
        {
            if (!ReferenceEquals(_pointers[i].Value, other._pointers[i].Value))
                return false;
        }
        return true;
    }
}
