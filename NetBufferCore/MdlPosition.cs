namespace CoNdis.NetBufferCore;

/// <summary>
/// A position inside an MDL chain: an MDL and a byte offset in it (what CurrentMdl/CurrentMdlOffset
/// are for an NB, and what SequencePosition is for a ReadOnlySequence).
/// </summary>
public readonly record struct MdlPosition(Mdl? Mdl, int Offset)
{
    /// <summary>
    /// The canonical form of this position (NdisAdjustNetBufferCurrentMdl does not say which MDL is current at a
    /// boundary; the model's choice, docs/model-choices.md): when the offset sits at the end of an MDL
    /// that has a successor, the position moves to the next non-empty MDL at offset 0.
    /// </summary>
    public MdlPosition Canonical()
    {
        var mdl = Mdl;
        int offset = Offset;
        while (mdl is not null && offset >= mdl.ByteCount && mdl.Next is not null)
        {
            offset -= mdl.ByteCount;
            mdl = mdl.Next;
        }
        return new MdlPosition(mdl, offset);
    }

    /// <summary>The position <paramref name="bytes"/> further on (canonical); throws past the chain's end.</summary>
    public MdlPosition Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var position = new MdlPosition(Mdl, Offset + bytes).Canonical();
        if (position.Mdl is null ? position.Offset > 0 : position.Offset > position.Mdl.ByteCount)
            throw new ArgumentOutOfRangeException(nameof(bytes), $"Advancing {bytes} byte(s) runs past the end of the MDL chain.");
        return position;
    }

    /// <summary>The position <paramref name="offset"/> bytes from the start of the chain at <paramref name="first"/>.</summary>
    public static MdlPosition At(Mdl? first, int offset) => new MdlPosition(first, 0).Advance(offset);
}
