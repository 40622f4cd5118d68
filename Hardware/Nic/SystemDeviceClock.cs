using System.Diagnostics;

namespace CoNdis.Hardware.Nic;

/// <summary>The real clock: the wall clock read once at start-up plus the high-resolution counter since then.</summary>
public sealed class SystemDeviceClock : DeviceClock
{
    private readonly long _startUnixNanoseconds = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public override long NowNanoseconds
    {
        get
        {
            long elapsed = Stopwatch.GetTimestamp() - _startTimestamp;
            return _startUnixNanoseconds + (long)(elapsed * (1_000_000_000.0 / Stopwatch.Frequency));
        }
    }
}
