using CoNdis.Hardware.Capture;

namespace CoNdis.Fuzz;

/// <summary>
/// The fuzz target: one input is read as a capture file (pcap or pcapng) to its end, every packet's and section's
/// pcapng options walked. Refusal with <see cref="CaptureFormatException"/> is the readers' contract for bad input and
/// is not a finding; any other exception escaping, a broken invariant (<see cref="InvariantException"/>) or a hang is.
/// </summary>
public static class CaptureReaderTarget
{
    /// <summary>A small packet limit so that length fields near the limit are reachable by a fuzzer's small inputs.</summary>
    private const int SmallMaxPacketLength = 4096;

    public static void Run(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Both limits from one input: the default and a small one (length checks near a limit).
        var bytes = ReadAll(input);
        ReadToEnd(bytes, new CaptureReaderOptions());
        ReadToEnd(bytes, new CaptureReaderOptions
        {
            MaxPacketLength = SmallMaxPacketLength,
            MaxBlockLength = SmallMaxPacketLength + CaptureReaderOptions.EnhancedPacketOverhead + 1024,
        });
    }

    private static byte[] ReadAll(Stream input)
    {
        using var copy = new MemoryStream();
        input.CopyTo(copy);
        return copy.ToArray();
    }

    private static void ReadToEnd(byte[] file, CaptureReaderOptions options)
    {
        try
        {
            using var reader = CaptureReader.Open(new MemoryStream(file, writable: false), options);
            long packets = 0;
            while (reader.TryReadPacket(out var packet))
            {
                packets++;
                Check(packets <= file.Length, "more packets than bytes in the file: the reader makes no progress");
                Check(packet.CapturedLength <= options.MaxPacketLength, "a packet above MaxPacketLength was returned");
                Check(reader.Position <= file.Length, "the reader's position is past the end of the file");
                Check(packet.InterfaceIndex >= 0 && packet.InterfaceIndex < reader.Interfaces.Count, "a packet names an interface the reader does not list");
                WalkOptions(packet.Options);
                _ = packet.Interface.Name;
                _ = packet.Interface.ResolutionText;
                _ = packet.Interface.PcapLinkTypeField;
            }

            foreach (var section in reader.SectionOptions)
                WalkOptions(section.Span);
            foreach (var captureInterface in reader.Interfaces)
                WalkOptions(captureInterface.Options);
        }
        catch (CaptureFormatException ex)
        {
            Check(ex.Offset >= -1 && ex.Offset <= file.Length, $"refusal names offset {ex.Offset}, outside a {file.Length}-byte file");
            Check(!ex.Message.Contains('\n', StringComparison.Ordinal), "a refusal message spans more than one line");
        }
    }

    private static void WalkOptions(ReadOnlySpan<byte> options)
    {
        var walker = new PcapNgOptionReader(options);
        int count = 0;
        while (walker.TryRead(out _, out var value))
        {
            count++;
            Check(count <= options.Length, "the option walker makes no progress");
            Check(value.Length <= options.Length, "an option is longer than its list");
        }
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
            throw new InvariantException(what);
    }
}
