using System.Globalization;
using CoNdis.Hardware.Capture;

namespace Condis.Cli;

/// <summary>
/// <c>convert --verify</c>'s read-back: opens the input and the output capture and compares them record by record:
/// the bytes, captured and original lengths, timestamp (to the nanosecond; a record without one matches zero), link
/// type (FCS bits aside, which pcapng keeps as if_fcslen) and interface number. Returns the first differences.
/// </summary>
internal static class CaptureComparer
{
    public static List<string> Compare(string input, string output, int most)
    {
        var differences = new List<string>();
        using var expected = CaptureReader.Open(input);
        using var actual = CaptureReader.Open(output);
        long number = 0;
        while (differences.Count < most)
        {
            bool hasIn = expected.TryReadPacket(out var a);
            bool hasOut = actual.TryReadPacket(out var b);
            if (!hasIn && !hasOut)
                break;
            number++;
            if (!hasIn || !hasOut)
            {
                differences.Add(hasIn
                    ? $"the output ends after {number - 1} packet(s); the input has more"
                    : $"the output has more packets than the input's {number - 1}");
                break;
            }

            Check(differences, number, a, b);
        }

        return differences;
    }

    /// <summary>
    /// A record of a microsecond pcap whose fraction field is a second or more is read as Wireshark reads it (µs × 1000
    /// in 32 bits), which can leave nanosecond digits no microsecond file can store: both files hold the same value at
    /// the resolution both have, and that is what is compared. Valid files never get here with different values.
    /// </summary>
    private static bool SameAtResolution(CaptureTimestamp a, CaptureTimestamp b, ulong ticksIn, ulong ticksOut)
    {
        ulong ticks = Math.Min(ticksIn, ticksOut);
        if (ticks == 0 || ticks >= 1_000_000_000 || 1_000_000_000 % ticks != 0)
            return false;
        long unit = (long)(1_000_000_000 / ticks);
        return a.Seconds == b.Seconds && a.Nanoseconds / unit == b.Nanoseconds / unit;
    }

    private static void Check(List<string> differences, long number, in CapturePacket a, in CapturePacket b)
    {
        string at = $"packet {number.ToString(CultureInfo.InvariantCulture)}";
        if (a.CapturedLength != b.CapturedLength)
            differences.Add($"{at}: captured length {a.CapturedLength} in, {b.CapturedLength} out");
        else if (!a.Data.SequenceEqual(b.Data))
            differences.Add($"{at}: bytes differ from offset {a.Data.CommonPrefixLength(b.Data)}");
        if (a.OriginalLength != b.OriginalLength)
            differences.Add($"{at}: original length {a.OriginalLength} in, {b.OriginalLength} out");
        var zero = new CaptureTimestamp(0, 0);
        var inTime = a.HasTimestamp ? a.Timestamp : zero;
        var outTime = b.HasTimestamp ? b.Timestamp : zero;
        if (inTime != outTime && !SameAtResolution(inTime, outTime, a.Interface.TicksPerSecond, b.Interface.TicksPerSecond))
            differences.Add($"{at}: timestamp {inTime} in, {outTime} out");
        if ((a.LinkType & 0x0FFFFFFF) != (b.LinkType & 0x0FFFFFFF))
            differences.Add($"{at}: link type {a.LinkType & 0x0FFFFFFF} in, {b.LinkType & 0x0FFFFFFF} out");
        if (a.InterfaceIndex != b.InterfaceIndex)
            differences.Add($"{at}: interface {a.InterfaceIndex} in, {b.InterfaceIndex} out");
    }
}
