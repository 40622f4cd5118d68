namespace CoNdis.LegacyPacket;

/// <summary>
/// One PVOID slot of a per-packet info array holding an object reference: a struct around the reference, so a store
/// into an array of them is a plain store instead of a covariant array store that checks the element type each time.
/// </summary>
internal struct PointerSlot
{
    public object? Value;
}
