namespace CoNdis.Hardware.Capture;

/// <summary>Timestamp arithmetic: pcapng ticks at an interface resolution ⇄ <see cref="CaptureTimestamp"/>.</summary>
internal static class CaptureTime
{
    public const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>Ticks per second for an if_tsresol byte, or 0 when it cannot be represented in 64 bits.</summary>
    public static ulong TicksPerSecond(byte resolution)
    {
        int exponent = resolution & 0x7F;
        if ((resolution & 0x80) != 0)
            return exponent > 63 ? 0 : 1UL << exponent;
        if (exponent > 19)
            return 0;
        ulong value = 1;
        for (int i = 0; i < exponent; i++)
            value *= 10;
        return value;
    }

    /// <summary>
    /// Unsigned 64-bit ticks (as Wireshark reads them) to seconds + nanoseconds (fraction rounded down), plus the offset;
    /// false only if the seconds do not fit a long.
    /// </summary>
    public static bool TryToTimestamp(ulong ticks, ulong ticksPerSecond, long offsetSeconds, out CaptureTimestamp timestamp)
    {
        ulong seconds = ticks / ticksPerSecond;
        ulong rest = ticks % ticksPerSecond;
        long nanoseconds = ticksPerSecond switch
        {
            1_000_000 => (long)rest * 1000,
            1_000_000_000 => (long)rest,
            _ => (long)((UInt128)rest * NanosecondsPerSecond / ticksPerSecond),
        };
        Int128 total = (Int128)seconds + offsetSeconds;
        if (total > long.MaxValue || total < long.MinValue)
        {
            timestamp = default;
            return false;
        }

        timestamp = new CaptureTimestamp((long)total, nanoseconds);
        return true;
    }

    /// <summary>The inverse of <see cref="TryToTimestamp"/> (fraction rounded up, so exact for resolutions up to 1 ns); false if negative or too big.</summary>
    public static bool TryToTicks(CaptureTimestamp timestamp, ulong ticksPerSecond, long offsetSeconds, out ulong ticks)
    {
        Int128 seconds = (Int128)timestamp.Seconds - offsetSeconds;
        ticks = 0;
        if (seconds < 0)
            return false;
        UInt128 scaled = (UInt128)(ulong)timestamp.Nanoseconds * ticksPerSecond;
        UInt128 fraction = scaled / NanosecondsPerSecond;
        if (scaled % NanosecondsPerSecond != 0)
            fraction++;
        UInt128 whole = ((UInt128)seconds * ticksPerSecond) + fraction;
        if (whole > ulong.MaxValue)
            return false;
        ticks = (ulong)whole;
        return true;
    }
}
