using CoNdis.NetBufferCore;

namespace CoNdis.Translation;

/// <summary>
/// Where an NBL → packets translation stands in a chain: the current NBL and the current NET_BUFFER
/// (plus the completion state of the NBL being split). It survives between calls of
/// <see cref="NblToPacketTranslator.TranslateNext"/>, so a step that ran out of resources is retried on
/// the same NET_BUFFER later. A value type: keep it in a field or local and pass it by <c>ref</c>.
/// </summary>
public struct NblToPacketCursor
{
    internal NetBufferList? Nbl;
    internal NetBuffer? Nb;
    internal NblCompletion? Completion;

    /// <summary>A cursor at the first NET_BUFFER of the first NBL of <paramref name="chain"/>.</summary>
    public NblToPacketCursor(NetBufferList? chain)
    {
        Nbl = chain;
        Nb = chain?.FirstNetBuffer;
        Completion = null;
    }

    /// <summary>True when every NET_BUFFER of the chain has been consumed.</summary>
    public readonly bool IsAtEnd => Nbl is null;

    /// <summary>The NBL the next step works on (null at the end).</summary>
    public readonly NetBufferList? CurrentNetBufferList => Nbl;

    /// <summary>The NET_BUFFER the next step works on (null at the end, or for an NBL without NET_BUFFERs).</summary>
    public readonly NetBuffer? CurrentNetBuffer => Nb;

    /// <summary>True while an NBL has been partly split (some of its NBs translated, the rest still to come).</summary>
    public readonly bool IsInsideNetBufferList => Completion is not null;
}
