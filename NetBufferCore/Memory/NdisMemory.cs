using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CoNdis.NetBufferCore.Memory;

/// <summary>
/// A range of pinned ("nonpaged") memory: what a kernel VA plus a length is in NDIS. The array is
/// allocated on the pinned object heap, so <see cref="Address"/> is stable for the DMA model.
/// <c>default</c> is the NULL address.
/// </summary>
public readonly struct NdisMemory : IEquatable<NdisMemory>
{
    internal NdisMemory(byte[] array, int offset, int length)
    {
        Array = array;
        Offset = offset;
        Length = length;
    }

    internal byte[]? Array { get; }

    internal int Offset { get; }

    /// <summary>Bytes in the range.</summary>
    public int Length { get; }

    /// <summary>True for the NULL address (what allocation failures return).</summary>
    public bool IsNull => Array is null;

    /// <summary>The virtual address of the first byte (stable: the memory is pinned).</summary>
    public unsafe nint Address => Array is null ? 0 : (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Array)) + Offset;

    /// <summary>The bytes.</summary>
    public Span<byte> Span => Array is null ? default : Array.AsSpan(Offset, Length);

    /// <summary>A sub-range (pointer arithmetic: <c>va + offset</c>).</summary>
    public NdisMemory Slice(int offset, int length)
    {
        if (Array is null)
            throw new InvalidOperationException("NULL memory cannot be sliced.");
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, Length, nameof(length));
        return new NdisMemory(Array, Offset + offset, length);
    }

    /// <summary>A sub-range from <paramref name="offset"/> to the end.</summary>
    public NdisMemory Slice(int offset) => Slice(offset, Length - offset);

    /// <summary>
    /// Wraps an array allocated with <c>GC.AllocateArray(length, pinned: true)</c> (the caller vouches
    /// that it is pinned; the model's DMA needs stable addresses).
    /// </summary>
    public static NdisMemory FromPinnedArray(byte[] pinned)
    {
        ArgumentNullException.ThrowIfNull(pinned);
        return new NdisMemory(pinned, 0, pinned.Length);
    }

    /// <summary>Allocates a fresh pinned range outside any pool (setup code, tests).</summary>
    public static NdisMemory AllocatePinned(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new NdisMemory(GC.AllocateArray<byte>(length, pinned: true), 0, length);
    }

    /// <inheritdoc />
    public bool Equals(NdisMemory other) => ReferenceEquals(Array, other.Array) && Offset == other.Offset && Length == other.Length;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is NdisMemory other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Array, Offset, Length);

    public static bool operator ==(NdisMemory left, NdisMemory right) => left.Equals(right);

    public static bool operator !=(NdisMemory left, NdisMemory right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => IsNull ? "NULL" : $"0x{Address:X}+{Length}";
}
