namespace CoNdis.Hardware.Capture;

/// <summary>Timestamp arithmetic: file ticks at a resolution ⇄ signed 64-bit nanoseconds since 1970-01-01 UTC.</summary>
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

    /// <summary>ticks / ticksPerSecond + offset seconds, in nanoseconds (rounded down); false if it does not fit a long.</summary>
    public static bool TryToNanoseconds(ulong ticks, ulong ticksPerSecond, long offsetSeconds, out long nanoseconds)
    {
        if (offsetSeconds == 0)
        {
            if (ticksPerSecond == 1_000_000 && ticks <= long.MaxValue / 1000)
            {
                nanoseconds = (long)ticks * 1000;
                return true;
            }

            if (ticksPerSecond == 1_000_000_000 && ticks <= long.MaxValue)
            {
                nanoseconds = (long)ticks;
                return true;
            }
        }

        Int128 value = (Int128)offsetSeconds * NanosecondsPerSecond + (Int128)((UInt128)ticks * NanosecondsPerSecond / ticksPerSecond);
        if (value > long.MaxValue || value < long.MinValue)
        {
            nanoseconds = 0;
            return false;
        }

        nanoseconds = (long)value;
        return true;
    }

    /// <summary>The inverse of <see cref="TryToNanoseconds"/> (rounded up, so it is exact for resolutions up to 1 ns); false if negative or too big.</summary>
    public static bool TryToTicks(long nanoseconds, ulong ticksPerSecond, long offsetSeconds, out ulong ticks)
    {
        Int128 relative = (Int128)nanoseconds - (Int128)offsetSeconds * NanosecondsPerSecond;
        ticks = 0;
        if (relative < 0)
            return false;
        if (ticksPerSecond == 1_000_000_000)
        {
            ticks = (ulong)relative;
            return true;
        }

        UInt128 scaled = (UInt128)relative * ticksPerSecond;
        UInt128 whole = scaled / NanosecondsPerSecond;
        if (scaled % NanosecondsPerSecond != 0)
            whole++;
        if (whole > ulong.MaxValue)
            return false;
        ticks = (ulong)whole;
        return true;
    }

    /// <summary>Floor division of nanoseconds into whole seconds and the nanoseconds after them.</summary>
    public static (long Seconds, long Nanoseconds) Split(long nanoseconds)
    {
        long seconds = Math.DivRem(nanoseconds, NanosecondsPerSecond, out long rest);
        if (rest < 0)
        {
            seconds--;
            rest += NanosecondsPerSecond;
        }

        return (seconds, rest);
    }
}
