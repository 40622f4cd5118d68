using System.Runtime.CompilerServices;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;

namespace CoNdis.Translation;

/// <summary>
/// The exceptions the translators throw for API misuse (an object handed to a translator that did not build it),
/// built out of line so the per-packet paths that check stay small and inlinable.
/// </summary>
internal static class TranslationThrow
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException NotBuiltHere(NdisPacket packet, string parameter) =>
        new($"{packet} was not built by this translator (or was already completed).", parameter);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException NotBuiltHere(NetBufferList nbl, string parameter) =>
        new($"{nbl} was not built by this translator (or was already given back).", parameter);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static InvalidOperationException CursorAtEnd() => new("The cursor is at the end of its NBL chain.");
}
