using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CoNdis.Hardware.Capture;
using Microsoft.Extensions.Logging;

namespace Condis.Cli;

/// <summary>
/// <c>condis inspect IN [--packets] [--json]</c>: capture file facts like capinfos; with --packets, per packet the
/// NBL/NB/MDL layout it enters the data path as and the NDIS_PACKET it translates to. Streams: memory does not grow
/// with the capture. Exit 0 ok, 1 the data path did not end clean, 2 usage, 3 bad input file (one line).
/// </summary>
internal static class InspectCommand
{
    private const int JsonChunk = 64 * 1024;

    public static Command Create(CliIo io)
    {
        var command = new Command("inspect", "Print facts about a pcap or pcapng capture (format, interfaces, packets, bytes, times), like capinfos; with --packets, each packet's data-path layout.");
        var input = new Argument<string>("IN") { Description = "Capture file to read (pcap or pcapng, detected by content), or - for standard input." };
        var packets = new Option<bool>("--packets") { Description = "Also print, per packet, the NBL/NB/MDL layout it enters the data path as and the NDIS_PACKET (NDIS_BUFFERs, per-packet info) it translates to for a 5.x miniport." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text (with --packets: a \"packets\" array, streamed)." };
        command.Arguments.Add(input);
        command.Options.Add(packets);
        command.Options.Add(json);
        command.SetAction(parseResult =>
        {
            using var loggers = Verbosity.CreateLoggerFactory(parseResult.GetValue<string>("--verbosity"), io.Stderr);
            return Run(parseResult.GetValue(input)!, parseResult.GetValue(packets), parseResult.GetValue(json), io, loggers.CreateLogger("inspect"));
        });
        return command;
    }

    public static int Run(string path, bool packets, bool json, CliIo io, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(io);
        bool fromStdin = path == "-";
        string name = fromStdin ? "(stdin)" : path;
        string shown = TextEscaping.Escape(name);
        if (!fromStdin && Directory.Exists(path))
            return BadInput(io, shown, "is a directory, not a capture file");
        if (fromStdin && io.StdinIsTerminal())
            io.Stderr.WriteLine("condis inspect: waiting for a capture on standard input (a terminal); pipe one in, as in 'condis inspect - < capture.pcap', or press Ctrl+D (Ctrl+Z, Enter on Windows) to stop");

        var inspector = new CaptureInspector(name);
        var stopwatch = Stopwatch.StartNew();
        JsonOutput? output = json ? new JsonOutput(io.Stdout) : null;
        DataPathInspector? dataPath = null;
        try
        {
            using var stream = fromStdin
                ? io.OpenStdin()
                : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            using var reader = CaptureReader.Open(stream, leaveOpen: true);
            inspector.Begin(reader);
            if (logger.IsEnabled(LogLevel.Information))
                CliLog.Opened(logger, shown, reader.Format == CaptureFormat.PcapNg ? "pcapng" : "pcap", reader.VersionMajor, reader.VersionMinor,
                reader.IsBigEndian ? "big-endian" : "little-endian", reader.Length >= 0 ? reader.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown");
            IPacketLayoutSink? sink = null;
            if (packets)
            {
                dataPath = new DataPathInspector(CaptureReaderOptions.DefaultMaxPacketLength);
                if (output is not null)
                {
                    output.Json.WriteStartObject();
                    output.Json.WriteStartArray("packets");
                    sink = new JsonPacketSink(output.Json, output.FlushIfFull);
                }
                else
                {
                    sink = new TextPacketSink(io.Stdout);
                }
            }

            long number = 0;
            while (reader.TryReadPacket(out var packet))
            {
                number++;
                inspector.Add(packet);
                if (logger.IsEnabled(LogLevel.Trace))
                    CliLog.Packet(logger, number, packet.InterfaceIndex, packet.CapturedLength, packet.OriginalLength, packet.HasTimestamp ? packet.Timestamp.ToString() : "no time");
                if (sink is not null)
                    dataPath!.Inspect(number, packet, sink);
            }

            inspector.End(reader);
            Diagnose(logger, reader, inspector, stopwatch, dataPath);
        }
        catch (CaptureFormatException ex)
        {
            return BadInput(io, shown, TextEscaping.Escape(ex.Message.ReplaceLineEndings(" ")), output);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return BadInput(io, shown, "cannot read: " + TextEscaping.Escape(ex.Message.ReplaceLineEndings(" ")), output);
        }
        finally
        {
            dataPath?.Dispose();
        }

        if (output is not null)
        {
            if (!packets)
                output.Json.WriteStartObject();
            else
                output.Json.WriteEndArray();
            inspector.WriteJsonFields(output.Json);
            output.Json.WriteEndObject();
            output.Finish();
        }
        else
        {
            inspector.WriteText(io.Stdout);
        }

        if (dataPath is { Problems: > 0 })
        {
            io.Stderr.WriteLine($"condis inspect: the data path did not end clean: {dataPath.Problems} object(s) outstanding or verifier finding(s)");
            return ExitCodes.VerifyMismatch;
        }

        return ExitCodes.Ok;
    }

    private static void Diagnose(ILogger logger, CaptureReader reader, CaptureInspector inspector, Stopwatch stopwatch, DataPathInspector? dataPath)
    {
        if (!logger.IsEnabled(LogLevel.Information))
            return;
        foreach (var captureInterface in reader.Interfaces)
            CliLog.Interface(logger, captureInterface.Index, captureInterface.Section, captureInterface.LinkType, captureInterface.SnapLength, captureInterface.ResolutionText);
        foreach (var (type, count) in reader.SkippedBlocks)
            CliLog.Skipped(logger, count, type);
        if (inspector.CapturedAboveSnapLength + inspector.CapturedAboveOriginal + inspector.InvalidFractions > 0)
            CliLog.Lenient(logger, inspector.CapturedAboveSnapLength, inspector.CapturedAboveOriginal, inspector.InvalidFractions);
        long milliseconds = stopwatch.ElapsedMilliseconds;
        long rate = (long)(inspector.PacketCount / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-6));
        CliLog.Finished(logger, inspector.PacketCount, inspector.CapturedBytes, milliseconds, rate);
        if (dataPath is not null)
        {
            var counts = dataPath.Counts;
            CliLog.Translation(logger, counts.PacketsBuilt, counts.PartialMdls, counts.SharedMdls, counts.BounceCopies, counts.CannotTranslate);
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            using var process = Process.GetCurrentProcess();
            long peak = process.PeakWorkingSet64 >> 20;
            int collections = GC.CollectionCount(0);
            CliLog.Memory(logger, peak, collections);
        }
    }

    private static int BadInput(CliIo io, string name, string problem, JsonOutput? output = null)
    {
        // Nothing of a half-written JSON object reaches stdout: a bad file gives one line on stderr and nothing else.
        output?.Discard();
        io.Stderr.WriteLine($"condis inspect: {name}: {problem}");
        return ExitCodes.BadInput;
    }

    /// <summary>A Utf8JsonWriter over a pooled buffer that is decoded onto the output TextWriter in 64 KiB pieces.</summary>
    private sealed class JsonOutput
    {
        private readonly TextWriter _output;
        private readonly ArrayBufferWriter<byte> _buffer = new(JsonChunk * 2);
        private bool _wroteAny;

        public JsonOutput(TextWriter output)
        {
            _output = output;
            Json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = false });
        }

        public Utf8JsonWriter Json { get; }

        public void FlushIfFull()
        {
            if (Json.BytesPending + _buffer.WrittenCount < JsonChunk)
                return;
            Json.Flush();
            _output.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
            _buffer.ResetWrittenCount();
            _wroteAny = true;
        }

        public void Finish()
        {
            Json.Flush();
            _output.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
            _output.Write('\n');
            _buffer.ResetWrittenCount();
            Json.Dispose();
        }

        /// <summary>Drops what is still buffered; a part already written (a huge --packets run) stays written.</summary>
        public void Discard()
        {
            Json.Reset();
            _buffer.ResetWrittenCount();
            if (_wroteAny)
                _output.Write('\n');
            Json.Dispose();
        }
    }
}
