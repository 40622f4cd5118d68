namespace CoNdis.Translation;

/// <summary>
/// Marks the CoNdis.Translation assembly: NET_BUFFER_LIST ⇄ NDIS_PACKET conversion and the adapters that
/// bind 5.x drivers to the NBL runtime live here (ARCHITECTURE.md; the converters arrive with the
/// translation issue). It references NetBufferCore and LegacyPacket; nothing below references it.
/// </summary>
public static class TranslationAssembly
{
    /// <summary>The assembly's name, for diagnostics.</summary>
    public const string Name = "CoNdis.Translation";
}
