using System.Diagnostics;
using CoNdis.NetBufferCore;

namespace CoNdis.Translation.Adapters;

/// <summary>
/// One adapter call in progress on this thread (a send handed down, an indication carried up), with the NBLs it has
/// finished so far and its translation counts. A completion or return that the driver on the other side makes
/// inline, inside that call, joins the open batch instead of going on alone, so the call ends with one chain in one
/// NDIS call and one fold of its counters: a chain in is a chain out (NetAdapterCx's translator gathers its
/// completions the same way). Batches nest (an inline completion can make the sender send again); each nesting
/// level has its own frame, reused, so nothing is allocated per call.
/// </summary>
internal sealed class AdapterBatch
{
    [ThreadStatic] private static AdapterBatch?[]? t_frames;
    [ThreadStatic] private static int t_depth;

    private object? _owner;
    private object? _key;

    /// <summary>The NBLs this call finished (completed sends, or NBLs to indicate or return), in order.</summary>
    public NetBufferListQueue Nbls { get; } = new();

    /// <summary>How many NBLs are in <see cref="Nbls"/>.</summary>
    public int Count;

    /// <summary>The call's translation counts, folded once when the call ends.</summary>
    public TranslationCounts Counts;

    /// <summary>Opens a batch for <paramref name="owner"/> (an adapter) and <paramref name="key"/> (its VC, or null for any).</summary>
    public static AdapterBatch Open(object owner, object? key)
    {
        var frames = t_frames ??= new AdapterBatch?[8];
        int depth = t_depth;
        if (depth == frames.Length)
        {
            Array.Resize(ref frames, frames.Length * 2);
            t_frames = frames;
        }
        var batch = frames[depth] ??= new AdapterBatch();
        Debug.Assert(batch._owner is null && batch.Nbls.IsEmpty, "a batch frame is reused only once closed and drained");
        batch._owner = owner;
        batch._key = key;
        t_depth = depth + 1;
        return batch;
    }

    /// <summary>The innermost open batch of <paramref name="owner"/> for <paramref name="key"/> on this thread, or null.</summary>
    public static AdapterBatch? Find(object owner, object? key)
    {
        var frames = t_frames;
        for (int depth = t_depth - 1; depth >= 0; depth--)
        {
            var batch = frames![depth]!;
            if (ReferenceEquals(batch._owner, owner) && (key is null || ReferenceEquals(batch._key, key)))
                return batch;
        }
        return null;
    }

    /// <summary>Adds a finished NBL.</summary>
    public void Add(NetBufferList nbl)
    {
        Nbls.Enqueue(nbl);
        Count++;
    }

    /// <summary>Closes this (innermost) batch: returns its NBLs as one chain, and its counts.</summary>
    public NetBufferList? Close(out int count, out TranslationCounts counts)
    {
        Debug.Assert(t_depth > 0 && ReferenceEquals(t_frames![t_depth - 1], this), "batches close innermost first");
        t_depth--;
        _owner = null;
        _key = null;
        count = Count;
        counts = Counts;
        Count = 0;
        Counts = default;
        return Nbls.DequeueAll();
    }
}
