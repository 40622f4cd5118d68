using System.Globalization;

namespace CoNdis.Hardware.Capture;

/// <summary>
/// A packet timestamp: signed 64-bit seconds since 1970-01-01 UTC plus nanoseconds (0–999,999,999). 64-bit seconds
/// never overflow for pcap (32-bit seconds, to 2106) nor for pcapng (64-bit ticks, e.g. 2^64 µs ≈ year 586,000, which
/// Wireshark also reads), where a single 64-bit nanosecond count would stop at year 2262.
/// </summary>
public readonly struct CaptureTimestamp : IEquatable<CaptureTimestamp>, IComparable<CaptureTimestamp>
{
    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>Seconds and nanoseconds; nanoseconds outside 0–999,999,999 (negative too) carry into the seconds.</summary>
    public CaptureTimestamp(long seconds, long nanoseconds)
    {
        long carry = Math.DivRem(nanoseconds, NanosecondsPerSecond, out long rest);
        if (rest < 0)
        {
            carry--;
            rest += NanosecondsPerSecond;
        }

        Seconds = checked(seconds + carry);
        Nanoseconds = (int)rest;
    }

    public long Seconds { get; }

    public int Nanoseconds { get; }

    /// <summary>Nanoseconds since 1970 as a 128-bit count.</summary>
    public Int128 TotalNanoseconds => ((Int128)Seconds * NanosecondsPerSecond) + Nanoseconds;

    public static CaptureTimestamp FromUnixNanoseconds(long nanoseconds) => new(0, nanoseconds);

    public static CaptureTimestamp FromDateTimeOffset(DateTimeOffset value) =>
        new(value.ToUnixTimeSeconds(), (value.UtcTicks % TimeSpan.TicksPerSecond) * 100);

    public static bool operator ==(CaptureTimestamp left, CaptureTimestamp right) => left.Equals(right);

    public static bool operator !=(CaptureTimestamp left, CaptureTimestamp right) => !left.Equals(right);

    public static bool operator <(CaptureTimestamp left, CaptureTimestamp right) => left.CompareTo(right) < 0;

    public static bool operator >(CaptureTimestamp left, CaptureTimestamp right) => left.CompareTo(right) > 0;

    public static bool operator <=(CaptureTimestamp left, CaptureTimestamp right) => left.CompareTo(right) <= 0;

    public static bool operator >=(CaptureTimestamp left, CaptureTimestamp right) => left.CompareTo(right) >= 0;

    /// <summary>Nanoseconds since 1970 in a long (years 1678–2262); false outside that range.</summary>
    public bool TryGetUnixNanoseconds(out long nanoseconds)
    {
        var total = TotalNanoseconds;
        bool fits = total >= long.MinValue && total <= long.MaxValue;
        nanoseconds = fits ? (long)total : 0;
        return fits;
    }

    /// <summary>ISO 8601 UTC with nine fraction digits, or null beyond the years 1–9999.</summary>
    public string? ToIsoString()
    {
        const long MinSeconds = -62135596800, MaxSeconds = 253402300799;
        if (Seconds is < MinSeconds or > MaxSeconds)
            return null;
        var time = DateTimeOffset.FromUnixTimeSeconds(Seconds);
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + Nanoseconds.ToString("D9", CultureInfo.InvariantCulture) + "Z";
    }

    /// <summary>Seconds since 1970, a dot and nine digits (what capinfos -S and tshark's frame.time_epoch print).</summary>
    public override string ToString() =>
        Seconds.ToString(CultureInfo.InvariantCulture) + "." + Nanoseconds.ToString("D9", CultureInfo.InvariantCulture);

    public bool Equals(CaptureTimestamp other) => Seconds == other.Seconds && Nanoseconds == other.Nanoseconds;

    public override bool Equals(object? obj) => obj is CaptureTimestamp other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Seconds, Nanoseconds);

    public int CompareTo(CaptureTimestamp other)
    {
        int bySeconds = Seconds.CompareTo(other.Seconds);
        return bySeconds != 0 ? bySeconds : Nanoseconds.CompareTo(other.Nanoseconds);
    }
}
