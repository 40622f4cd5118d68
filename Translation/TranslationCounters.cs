namespace CoNdis.Translation;

/// <summary>
/// Shared translation counters: packets built, NBLs built, partial MDLs, bytes copied, resources copies,
/// failures by cause. Workers count a batch in a local <see cref="TranslationCounts"/> and call
/// <see cref="Fold"/> once per batch, so the hot path takes no interlocked operation per packet.
/// </summary>
public sealed class TranslationCounters
{
    private readonly Lock _lock = new();
    private TranslationCounts _total;

    /// <summary>Adds one batch's counts (one lock per batch) and clears the batch for reuse.</summary>
    public void Fold(ref TranslationCounts batch)
    {
        if (batch.IsEmpty)
            return;
        lock (_lock)
            _total.Add(in batch);
        batch = default;
    }

    /// <summary>The totals so far.</summary>
    public TranslationCounts Snapshot()
    {
        lock (_lock)
            return _total;
    }

    /// <inheritdoc />
    public override string ToString() => Snapshot().ToString();
}
