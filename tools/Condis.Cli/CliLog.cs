using Microsoft.Extensions.Logging;

namespace Condis.Cli;

/// <summary>The CLI's diagnostics (LoggerMessage source generation: nothing is formatted unless the level is on).</summary>
internal static partial class CliLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "reading {File}: {Format} {Major}.{Minor}, {ByteOrder}, {Length} bytes")]
    public static partial void Opened(ILogger logger, string file, string format, int major, int minor, string byteOrder, string length);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "interface {Index} (section {Section}): link type {LinkType}, snaplen {SnapLength}, {Resolution}")]
    public static partial void Interface(ILogger logger, int index, int section, uint linkType, uint snapLength, string resolution);

    [LoggerMessage(EventId = 3, Level = LogLevel.Trace, Message = "packet {Number}: interface {Interface}, {Captured} of {Original} bytes, {Timestamp}")]
    public static partial void Packet(ILogger logger, long number, int @interface, int captured, uint original, string timestamp);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "skipped {Count} block(s) of type 0x{Type:X8}")]
    public static partial void Skipped(ILogger logger, long count, uint type);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "read leniently, as Wireshark does: {AboveSnap} packet(s) longer than the snapshot length, {AboveOriginal} longer than their original length, {BadFraction} with a time fraction of a second or more")]
    public static partial void Lenient(ILogger logger, long aboveSnap, long aboveOriginal, long badFraction);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Packets} packet(s), {Bytes} bytes in {Milliseconds} ms ({Rate} packets/s)")]
    public static partial void Finished(ILogger logger, long packets, long bytes, long milliseconds, long rate);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "peak working set {Megabytes} MiB, {Collections} gen-0 collection(s)")]
    public static partial void Memory(ILogger logger, long megabytes, int collections);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "translation to NDIS_PACKETs: {Built} packet(s) built, {Partial} partial MDL(s), {Shared} shared MDL(s), {Bounced} bounce copies, {Rejected} not translatable")]
    public static partial void Translation(ILogger logger, long built, long partial, long shared, long bounced, long rejected);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "{Bytes} bytes allocated in all, {Collections} gen-0 collection(s), peak working set {Megabytes} MiB")]
    public static partial void Allocated(ILogger logger, long bytes, int collections, long megabytes);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "{File}: {Phase} at {Milliseconds:F1} ms")]
    public static partial void Phase(ILogger logger, string file, string phase, double milliseconds);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "{Step}")]
    public static partial void TourStep(ILogger logger, string step);
}
