namespace CoNdis.Translation;

/// <summary>
/// What one pure translation step did with one NET_BUFFER (or one NDIS_PACKET). The four outcomes of
/// the translator pattern in ARCHITECTURE.md ("Lessons from prior art"): the caller acts on the outcome,
/// the translator never calls out.
/// </summary>
public enum TranslationOutcome
{
    /// <summary>Translated by rebuilding descriptors only: no data was copied.</summary>
    Success,

    /// <summary>
    /// A pool ran dry. Nothing was consumed: the cursor still points at the same NET_BUFFER (or the
    /// packet is still the caller's), so the same call can be retried later.
    /// </summary>
    OutOfResources,

    /// <summary>Translated, but only by copying the data (a bounce buffer or a resources copy); counted.</summary>
    BounceRequired,

    /// <summary>
    /// The input cannot be expressed on the other side; it is dropped with a failure status recorded
    /// (counted by cause) and the cursor moves on, so the order of everything else is kept.
    /// </summary>
    CannotTranslate,
}
