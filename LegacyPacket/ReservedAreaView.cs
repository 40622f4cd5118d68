using CoNdis.NetBufferCore;

namespace CoNdis.LegacyPacket;

/// <summary>
/// A window of pointer-sized slots inside a <see cref="ReservedArea"/>: how the members of a C union
/// of reserved arrays share storage. NDIS_PACKET's MiniportReserved (2 × PVOID), WrapperReserved
/// (2 × PVOID), MiniportReservedEx (3 × PVOID), WrapperReservedEx (1 × PVOID) and MacReserved
/// (4 × PVOID) are views of one 4-slot area, so a write through one view shows through the others,
/// exactly as in the union; a slot outside the view is refused instead of spilling into the next member.
/// </summary>
public sealed class ReservedAreaView
{
    private readonly ReservedArea _area;
    private readonly int _start;

    public ReservedAreaView(ReservedArea area, int start, int length, string name)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        area.EnsureFits(start + length);
        _area = area;
        _start = start;
        Length = length;
        Name = name;
    }

    /// <summary>The member name (NDIS_PACKET.MiniportReserved…), for messages.</summary>
    public string Name { get; }

    /// <summary>Pointer-sized slots in this view.</summary>
    public int Length { get; }

    /// <summary>Bytes in this view (Length × sizeof(PVOID)), the C array's size.</summary>
    public int ByteLength => Length * IntPtr.Size;

    /// <summary>Slot <paramref name="index"/> of the view.</summary>
    public object? this[int index]
    {
        get => _area[Check(index)];
        set => _area[Check(index)] = value;
    }

    /// <summary>Slot <paramref name="index"/> as <typeparamref name="T"/> (null when empty or of another type).</summary>
    public T? Get<T>(int index) where T : class => this[index] as T;

    /// <summary>Throws unless <paramref name="slotsNeeded"/> slots fit in this view (a typed view's size check).</summary>
    public void EnsureFits(int slotsNeeded)
    {
        if (slotsNeeded > Length)
            throw new ArgumentOutOfRangeException(nameof(slotsNeeded),
                $"{Name} has {Length} slot(s); a view of {slotsNeeded} slot(s) does not fit.");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private int Check(int index)
    {
        if ((uint)index >= (uint)Length)
            ThrowNoSuchSlot(index);
        return _start + index;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn, System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ThrowNoSuchSlot(int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), $"{Name} has {Length} slot(s); slot {index} does not exist.");

    /// <inheritdoc />
    public override string ToString() => $"{Name}[{Length}]";
}
