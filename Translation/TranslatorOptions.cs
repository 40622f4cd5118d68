namespace CoNdis.Translation;

/// <summary>
/// Sizes and limits of a translator's pools and the translation choices Microsoft leaves open
/// (docs/model-choices.md, Translation).
/// </summary>
public sealed record TranslatorOptions
{
    /// <summary>Default options.</summary>
    public static TranslatorOptions Default { get; } = new();

    /// <summary>NDIS_PACKETs (NBL → packets) or NBLs (packets → NBL) that may be outstanding at once.</summary>
    public int Capacity { get; init; } = 4096;

    /// <summary>Partial MDLs (and bounce MDLs) that may be outstanding at once.</summary>
    public int MdlCapacity { get; init; } = 8192;

    /// <summary>
    /// Most buffers a packet built for the target may chain (the target's scatter-gather limit). A NET_BUFFER
    /// that would need more is copied into one bounce buffer (<see cref="TranslationOutcome.BounceRequired"/>).
    /// Unlimited by default: sends are zero-copy.
    /// </summary>
    public int MaxBuffersPerPacket { get; init; } = int.MaxValue;

    /// <summary>
    /// OOB HeaderSize given to packets built from NBLs that carry none (not derivable from an NBL, and undocumented;
    /// the model's choice, docs/model-choices.md: 0 for CoNDIS media, the media header length such as 14 for
    /// 802.3 otherwise).
    /// </summary>
    public uint DefaultHeaderSize { get; init; }

    /// <summary>ProtocolReservedLength of the packet pool (PROTOCOL_RESERVED_SIZE_IN_PACKET, so a 5.x client may use it on receive).</summary>
    public int ProtocolReservedLength { get; init; } = 4 * IntPtr.Size;

    /// <summary>Data bytes of each runtime-owned NBL a resources receive is copied into (the largest frame copied).</summary>
    public int CopyDataSize { get; init; } = 2048;
}
