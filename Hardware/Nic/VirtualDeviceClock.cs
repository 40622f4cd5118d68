namespace CoNdis.Hardware.Nic;

/// <summary>
/// A clock that stands still until <see cref="Advance"/> moves it: moderation timers, link delays and capture pacing
/// become deterministic, and a test of "T µs" takes no real time.
/// </summary>
public sealed class VirtualDeviceClock : DeviceClock
{
    private long _now;

    /// <summary>Starts at <paramref name="startUnixNanoseconds"/> (default 2020-01-01 00:00:00 UTC).</summary>
    public VirtualDeviceClock(long startUnixNanoseconds = 1_577_836_800_000_000_000) => _now = startUnixNanoseconds;

    /// <inheritdoc />
    public override long NowNanoseconds => Interlocked.Read(ref _now);

    /// <inheritdoc />
    public override bool IsVirtual => true;

    /// <summary>Moves time forward and lets every device on the clock run its timers.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _now, by.Ticks * 100);
        OnAdvanced();
    }

    /// <summary>Moves time forward by <paramref name="nanoseconds"/>.</summary>
    public void AdvanceNanoseconds(long nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nanoseconds);
        Interlocked.Add(ref _now, nanoseconds);
        OnAdvanced();
    }

    /// <summary>Sets the time (never backwards), for replaying a capture's timestamps.</summary>
    public void SetNanoseconds(long unixNanoseconds)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _now);
            if (unixNanoseconds <= current)
                return;
        }
        while (Interlocked.CompareExchange(ref _now, unixNanoseconds, current) != current);
        OnAdvanced();
    }
}
