namespace CoNdis.NetBufferCore;

/// <summary>
/// One pointer-sized slot holding an object reference (a PVOID of a reserved area or an info array). A struct around
/// the reference, so a store into an array of slots is a plain store instead of a covariant array store that checks
/// the element type on every write.
/// </summary>
internal struct ObjectSlot
{
    /// <summary>What the slot points at (null when empty).</summary>
    public object? Value;
}
