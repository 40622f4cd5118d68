namespace CoNdis.Translation;

/// <summary>
/// Marks the CoNdis.Translation assembly: the NET_BUFFER_LIST ⇄ NDIS_PACKET converters and the adapters that bind
/// 5.x drivers to the NBL runtime. It references NetBufferCore and LegacyPacket; nothing below references it (the
/// layering test checks the direction through this type).
/// </summary>
public static class TranslationAssembly
{
    /// <summary>The assembly's name, for diagnostics.</summary>
    public const string Name = "CoNdis.Translation";
}
