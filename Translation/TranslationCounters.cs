namespace CoNdis.Translation;

/// <summary>
/// Shared translation counters: packets built, NBLs built, partial MDLs, bytes copied, resources copies,
/// failures by cause. Workers count a batch in a local <see cref="TranslationCounts"/> and call
/// <see cref="Fold"/> once per batch, which adds it to the calling thread's own slot with plain adds: no lock and
/// no interlocked operation on the data path. <see cref="Snapshot"/> sums the slots; it is exact once the
/// workers are quiet (while they run it may see a batch half added).
/// </summary>
public sealed class TranslationCounters
{
    private readonly List<Slot> _slots = [];
    [ThreadStatic] private static Slot? t_last;
    [ThreadStatic] private static Slot? t_previous;

    /// <summary>Adds one batch's counts to this thread's slot and clears the batch for reuse.</summary>
    public void Fold(ref TranslationCounts batch)
    {
        if (batch.IsEmpty)
            return;
        SlotOfThisThread().Counts.Add(in batch);
        batch = default;
    }

    /// <summary>The totals so far.</summary>
    public TranslationCounts Snapshot()
    {
        var total = default(TranslationCounts);
        lock (_slots)
        {
            foreach (var slot in _slots)
                total.Add(in slot.Counts);
        }
        return total;
    }

    /// <inheritdoc />
    public override string ToString() => Snapshot().ToString();

    private Slot SlotOfThisThread()
    {
        // A thread works for one or two adapters at a time (a 5.x client over a 5.x miniport): two remembered slots.
        var last = t_last;
        if (last is not null && ReferenceEquals(last.Owner, this))
            return last;
        var previous = t_previous;
        if (previous is not null && ReferenceEquals(previous.Owner, this))
        {
            t_previous = last;
            t_last = previous;
            return previous;
        }
        return FindOrCreate(last);
    }

    private Slot FindOrCreate(Slot? last)
    {
        var thread = Environment.CurrentManagedThreadId;
        Slot? found = null;
        lock (_slots)
        {
            foreach (var slot in _slots)
            {
                if (slot.Thread == thread)
                {
                    found = slot;
                    break;
                }
            }
            if (found is null)
            {
                found = new Slot(this, thread);
                _slots.Add(found);
            }
        }
        t_previous = last;
        t_last = found;
        return found;
    }

    /// <summary>One thread's totals for one counters object (written by that thread only).</summary>
    private sealed class Slot(TranslationCounters owner, int thread)
    {
        public TranslationCounters Owner { get; } = owner;

        public int Thread { get; } = thread;

        public TranslationCounts Counts;
    }
}
