using System.Collections.Concurrent;
using CoNdis.NetBufferCore;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// Exactly-once accounting for sends: an NBL or packet enters when it is handed to the send DDI and leaves when its
/// completion arrives. A completion of something not in flight (a double or phantom completion) and an object handed
/// out by its pool while still in flight are counted, never swallowed; what is left in flight at the end was lost.
/// </summary>
internal sealed class SendLedger
{
    private readonly ConcurrentDictionary<object, byte> _inFlight = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<NdisStatus, long> _byStatus = new();
    private long _sent;
    private long _completed;
    private long _unmatched;
    private long _reissued;

    public long Sent => Interlocked.Read(ref _sent);

    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Completions of objects that were not in flight (double or phantom completions).</summary>
    public long Unmatched => Interlocked.Read(ref _unmatched);

    /// <summary>Objects sent again while still in flight (a pool handed out an object it never got back).</summary>
    public long Reissued => Interlocked.Read(ref _reissued);

    public int InFlight => _inFlight.Count;

    public long CompletedWith(NdisStatus status) => _byStatus.GetValueOrDefault(status);

    public IReadOnlyDictionary<NdisStatus, long> ByStatus => new Dictionary<NdisStatus, long>(_byStatus);

    public long Failed => _byStatus.Where(p => p.Key != NdisStatus.Success).Sum(p => p.Value);

    /// <summary>Call before the send DDI.</summary>
    public void Enter(object sent)
    {
        if (!_inFlight.TryAdd(sent, 0))
            Interlocked.Increment(ref _reissued);
        Interlocked.Increment(ref _sent);
    }

    /// <summary>Call from the completion handler, once per object.</summary>
    public void Leave(object completed, NdisStatus status)
    {
        if (!_inFlight.TryRemove(completed, out _))
        {
            Interlocked.Increment(ref _unmatched);
            return;
        }
        _byStatus.AddOrUpdate(status, 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _completed);
    }

    public override string ToString() =>
        $"sent {Sent}, completed {Completed} ({string.Join(", ", ByStatus.OrderBy(p => (uint)p.Key).Select(p => $"{p.Key.Describe()} {p.Value}"))}), " +
        $"in flight {InFlight}, unmatched {Unmatched}, reissued {Reissued}";
}
