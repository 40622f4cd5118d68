namespace CoNdis.Hardware.Nic;

/// <summary>
/// The time the whole device runs on: interrupt moderation, watchdogs, link delays, capture pacing and the
/// timestamps a capture record link writes all read this clock, so a test can swap in a
/// <see cref="VirtualDeviceClock"/> and be deterministic and fast. Time is nanoseconds since 1970-01-01 UTC
/// (what capture files store). Models the timer hardware (the NIC's free-running counter and KeQueryPerformanceCounter).
/// </summary>
public abstract class DeviceClock
{
    /// <summary>The real clock (Stopwatch-driven, anchored to the wall clock at start-up).</summary>
    public static DeviceClock System { get; } = new SystemDeviceClock();

    /// <summary>Nanoseconds since the Unix epoch.</summary>
    public abstract long NowNanoseconds { get; }

    /// <summary>True when time moves only when someone advances it.</summary>
    public virtual bool IsVirtual => false;

    /// <summary>Raised after a virtual clock moved (devices re-evaluate their timers); never raised by the real clock.</summary>
    public event Action? Advanced;

    /// <summary>Raises <see cref="Advanced"/>.</summary>
    protected void OnAdvanced() => Advanced?.Invoke();
}
