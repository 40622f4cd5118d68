using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using CoNdis.Hardware.Capture;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;

namespace Condis.Cli;

/// <summary>
/// Converts one capture through the data path: frames are read in batches into one pinned arena, the carried ones
/// are sent by the client over its VC, cross the NIC and the loopback link and are written as the receiving client
/// got them, with the record's interface, timestamp, original length and options beside them (those never cross the
/// device). Frames the device cannot carry (another link type, longer than its frames, empty) go to the output
/// untouched, in their place, and are counted. With --verify every frame out is compared with the frame in, in flight
/// and, when both are files, by reading the two files back. Memory stays at one batch whatever the capture's size, and
/// nothing is allocated per frame (except for --annotate's comments).
/// </summary>
internal sealed class CaptureConverter : IFrameSink, IDisposable
{
    private const int MaxDifferences = 8;

    /// <summary>Batches in flight between the reader thread and the data path: one being read, one waiting, one crossing.</summary>
    public const int Batches = 3;

    private readonly ConvertSettings _settings;
    private readonly List<CaptureInterface> _interfaces = [];
    private readonly List<ReadOnlyMemory<byte>> _sectionOptions = [];
    private FrameBatch _batch = null!;
    private CaptureReader _reader = null!;
    private CaptureWriter? _writer;
    private PcapNgWriter? _pcapNg;
    private Stream? _outputStream;
    private PacketAnnotator? _annotator;
    /// <summary>The output is written in the input's own format (then a record it cannot hold is the input's fault).</summary>
    private bool _outputInInputFormat;
    private ConversionResult _result = null!;
    private int _writeIndex;
    private int _interfacesWritten;
    private int _section;
    private long _receivedInBatch;
    private Exception? _receiveError;

    private readonly Microsoft.Extensions.Logging.ILogger? _logger;

    public CaptureConverter(ConvertSettings settings, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        _settings = settings;
        _logger = logger is not null && logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug) ? logger : null;
    }

    /// <summary>Converts <paramref name="input"/> ("-": stdin) into <paramref name="output"/> ("-": stdout); <paramref name="wire"/> records the link.</summary>
    public ConversionResult Convert(string input, string output, string? wire, CliIo io, Action<long>? progress)
    {
        ArgumentNullException.ThrowIfNull(io);
        _result = new ConversionResult(input == "-" ? "(stdin)" : input, output == "-" ? "(stdout)" : output);
        var stopwatch = Stopwatch.StartNew();
        long copies = CopyCounters.CopiesOnThisThread, copied = CopyCounters.BytesCopiedOnThisThread;
        Stream? inputStream = null;
        Stream? wireStream = null;
        DeviceHost? host = null;
        bool outputComplete = false;
        try
        {
            long reported = 0;
            inputStream = input == "-" ? io.OpenStdin() : new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            _reader = CaptureReader.Open(inputStream, new CaptureReaderOptions
            {
                Progress = progress is null ? null : (read, _) =>
                {
                    progress(read - reported);
                    reported = read;
                },
            }, leaveOpen: true);
            var format = _settings.Format ?? (_settings.Annotate ? CaptureFormat.PcapNg : _reader.Format);
            _result.Format = format == CaptureFormat.PcapNg ? "pcapng" : "pcap";
            _outputInInputFormat = format == _reader.Format;
            _outputStream = new WriteBehindStream(output == "-" ? io.OpenStdout() : new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.Read, 1), leaveOpen: output == "-");
            _interfaces.AddRange(_reader.Interfaces);
            _sectionOptions.AddRange(_reader.SectionOptions);
            if (format == CaptureFormat.PcapNg)
                _writer = _pcapNg = new PcapNgWriter(_outputStream, _sectionOptions.Count > 0 ? _sectionOptions[0].Span : default, leaveOpen: true);
            if (wire is not null)
            {
                wireStream = wire == "-" ? io.OpenStdout() : new FileStream(wire, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            }

            if (_settings.Annotate)
                _annotator = new PacketAnnotator(_settings.Pairing);
            Phase("opened", stopwatch);
            host = new DeviceHost(_settings.Client, _settings.Miniport, _settings.Host, this, wireStream);
            _result.AtmChannel = host.AtmChannel;
            Phase("the host is up and its call connected", stopwatch);
            Run(host);
            Phase("every frame written", stopwatch);
            if (_pcapNg is not null)
                SyncSections(_sectionOptions.Count - 1);
            EnsurePcapWriter();
            _writer!.Dispose();
            _outputStream.Flush();
            outputComplete = true;
            _result.Device = host.Statistics;
            _result.Atm = host.AtmStatistics;
            _result.Translation = host.Translation;
            // The call's release crosses the wire too: the tap is closed after the host.
            _result.Problems = host.Close() + (_annotator?.Problems ?? 0);
            Phase("the call closed and the host down", stopwatch);
            host.FinishWire();
            wireStream?.Flush();
            _result.WireFrames = host.WireRecords;
            if (_result.Problems > 0)
                Fail(ExitCodes.VerifyMismatch, $"the data path did not end clean: {_result.Problems} pool object(s) not home or verifier finding(s)");
        }
        catch (CaptureFormatException ex)
        {
            Fail(ExitCodes.BadInput, TextEscaping.Escape(ex.Message.ReplaceLineEndings(" ")));
        }
        catch (ConversionRefusedException ex)
        {
            Fail(ex.InputAtFault ? ExitCodes.BadInput : ExitCodes.Usage, ex.Message);
        }
        catch (DataPathException ex)
        {
            Fail(ExitCodes.VerifyMismatch, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail(ExitCodes.BadInput, "cannot read or write: " + TextEscaping.Escape(ex.Message.ReplaceLineEndings(" ")));
        }
        finally
        {
            host?.Dispose();
            _annotator?.Dispose();
            try
            {
                _writer?.Dispose();
            }
            catch (IOException)
            {
                // already reported
            }

            _reader?.Dispose();
            if (input != "-")
                inputStream?.Dispose();
            try
            {
                _outputStream?.Dispose(); // the write-behind thread ends; a file is closed, stdout is left to the process
            }
            catch (IOException)
            {
                // already reported: the conversion failed
            }
            if (wire is not null && wire != "-")
                wireStream?.Dispose();
        }

        _result.Elapsed = stopwatch.Elapsed;
        _result.NdisCopies = CopyCounters.CopiesOnThisThread - copies;
        _result.NdisBytesCopied = CopyCounters.BytesCopiedOnThisThread - copied;
        if (_result.ExitCode != ExitCodes.Ok && !outputComplete)
        {
            if (output != "-")
                TryDelete(output);
            if (wire is not null && wire != "-")
                TryDelete(wire);
        }
        if (_result.ExitCode == ExitCodes.Ok && _settings.Verify)
            ReadBack(input, output);
        return _result;
    }

    /// <summary>
    /// The reader thread fills batches (parsing and the one copy into the arena) while this thread sends the previous
    /// one through the data path and writes what comes back: the two halves of the work overlap on two cores. Batches
    /// go round between the two through two small queues, so nothing is allocated per frame or per batch.
    /// </summary>
    private void Run(DeviceHost host)
    {
        int arena = Math.Max(_settings.ArenaBytes, CaptureReaderOptions.DefaultMaxPacketLength + CaptureReaderOptions.OptionsAllowance + 64);
        var free = new HandOffQueue<FrameBatch>(Batches);
        var full = new HandOffQueue<FrameBatch>(Batches);
        for (int i = 0; i < Batches; i++)
            free.Add(new FrameBatch(_settings.Host.BatchCapacity, arena, _settings.Host.MaximumFrameSize));
        var stop = new StrongBox<bool>();
        Exception? readError = null;
        var reader = new Thread(() =>
        {
            try
            {
                ReadAll(free, full, stop);
            }
            catch (Exception ex) when (ex is CaptureFormatException or IOException or UnauthorizedAccessException or ConversionRefusedException)
            {
                readError = ex;
            }
            finally
            {
                full.Complete();
            }
        })
        { IsBackground = true, Name = "condis convert reader" };
        reader.Start();
        try
        {
            while (full.Take() is FrameBatch batch)
            {
                _batch = batch;
                TakeMetadata(batch);
                Flush(host);
                free.Add(batch);
            }
        }
        catch
        {
            stop.Value = true;
            free.WakeAll();
            full.WakeAll();
            reader.Join();
            throw;
        }

        reader.Join();
        if (readError is not null)
            ExceptionDispatchInfo.Capture(readError).Throw();
    }

    /// <summary>The reader thread: packets into batches, a batch handed over when full or when the next packet starts another section.</summary>
    private void ReadAll(HandOffQueue<FrameBatch> free, HandOffQueue<FrameBatch> full, StrongBox<bool> stop)
    {
        int maxFrame = DeviceHost.MaximumFrameSize(_settings.Host);
        int interfacesSeen = _reader.Interfaces.Count, sectionsSeen = _reader.SectionOptions.Count;
        var batch = free.Take(stop);
        while (batch is not null && _reader.TryReadPacket(out var packet))
        {
            _result.Packets++;
            _result.Bytes += packet.CapturedLength;
            var reason = !FrameNetBufferListBuilder.IsEthernet(packet.LinkType) ? PassThroughReason.LinkType
                : packet.CapturedLength == 0 ? PassThroughReason.Empty
                : packet.CapturedLength > maxFrame ? PassThroughReason.TooLong
                : PassThroughReason.None;
            int need = packet.CapturedLength + packet.Options.Length + 8;
            if (batch.Count > 0 && (!batch.Fits(need) || packet.Interface.Section != batch.Section))
            {
                full.Add(batch, stop);
                batch = free.Take(stop);
                if (batch is null)
                    return;
            }

            if (batch.Count == 0)
                batch.Section = packet.Interface.Section;
            Learn(batch, ref interfacesSeen, ref sectionsSeen);
            int index = batch.Add(packet.CapturedLength, packet.Options.Length, reason == PassThroughReason.None);
            ref var slot = ref batch.Slots[index];
            slot.Number = _result.Packets;
            slot.PassThrough = reason;
            slot.Interface = packet.Interface;
            slot.InterfaceIndex = packet.InterfaceIndex;
            slot.LinkType = packet.LinkType;
            slot.OriginalLength = packet.OriginalLength;
            slot.Seconds = packet.Timestamp.Seconds;
            slot.Nanoseconds = packet.Timestamp.Nanoseconds;
            slot.HasTimestamp = packet.HasTimestamp;
            var target = batch.FrameBytes(index);
            if (reason == PassThroughReason.None)
            {
                slot.Length = FrameNetBufferListBuilder.Prepare(packet.Data, packet.LinkType, target, out var tag);
                slot.Tag = tag.Value;
                _result.Carried++;
            }
            else
            {
                packet.Data.CopyTo(target);
                switch (reason)
                {
                    case PassThroughReason.LinkType:
                        _result.PassedThroughLinkType++;
                        break;
                    case PassThroughReason.Empty:
                        _result.PassedThroughEmpty++;
                        break;
                    default:
                        _result.PassedThroughTooLong++;
                        break;
                }
            }

            packet.Options.CopyTo(batch.WritableOptions(index));
            if (batch.IsFull)
            {
                full.Add(batch, stop);
                batch = free.Take(stop);
            }
        }

        if (batch is null)
            return;

        // Interfaces and sections after the last packet (or in a file without packets) still go to the output.
        Learn(batch, ref interfacesSeen, ref sectionsSeen);
        batch.Section = Math.Max(batch.Count > 0 ? batch.Section : 0, _reader.SectionOptions.Count - 1);
        full.Add(batch, stop);
    }

    /// <summary>Puts the interfaces and sections the reader learned since the last look into the batch (reader thread).</summary>
    private void Learn(FrameBatch batch, ref int interfacesSeen, ref int sectionsSeen)
    {
        var interfaces = _reader.Interfaces;
        while (interfacesSeen < interfaces.Count)
            batch.NewInterfaces.Add(interfaces[interfacesSeen++]);
        var sections = _reader.SectionOptions;
        while (sectionsSeen < sections.Count)
            batch.NewSections.Add(sections[sectionsSeen++]);
    }

    /// <summary>The data path's side: the batch's new interfaces and sections join its own lists; IDBs and SHBs are written before the frames.</summary>
    private void TakeMetadata(FrameBatch batch)
    {
        _interfaces.AddRange(batch.NewInterfaces);
        _sectionOptions.AddRange(batch.NewSections);
        if (_pcapNg is not null)
        {
            SyncSections(batch.Section);
            return;
        }

        for (int i = 0; i < batch.Count; i++)
        {
            ref var slot = ref batch.Slots[i];
            if (slot.InterfaceIndex != 0 || _interfaces.Count > 1)
                throw new ConversionRefusedException($"packet {slot.Number} is on interface {slot.InterfaceIndex} of {_interfaces.Count}; a pcap file holds one interface (use --format pcapng)");
        }

        if (batch.Count > 0)
            EnsurePcapWriter();
    }

    /// <summary>
    /// pcapng: the output has the input's sections (an SHB with its options each), and every interface the reader
    /// learned gets its IDB in its section, in order, so interface numbers and sections stay the input's.
    /// </summary>
    private void SyncSections(int section)
    {
        var interfaces = _interfaces;
        while (true)
        {
            while (_interfacesWritten < interfaces.Count && interfaces[_interfacesWritten].Section == _section)
                _pcapNg!.AddInterface(interfaces[_interfacesWritten++]);
            if (_section >= section)
                return;
            _pcapNg!.Dispose();
            _section++;
            _writer = _pcapNg = new PcapNgWriter(_outputStream!, _sectionOptions.Count > _section ? _sectionOptions[_section].Span : default, leaveOpen: true);
        }
    }

    private void EnsurePcapWriter()
    {
        if (_writer is not null)
            return;
        var interfaces = _interfaces;
        var first = interfaces.Count > 0 ? interfaces[0] : new CaptureInterface(FrameNetBufferListBuilder.EthernetLinkType, PcapWriter.DefaultSnapLength);
        if (interfaces.Count > 1)
            throw new ConversionRefusedException($"the input has {interfaces.Count} interfaces; a pcap file holds one (use --format pcapng)");
        _writer = PcapWriter.ForInterface(_outputStream!, first, leaveOpen: true);
    }

    /// <summary>Sends the batch, writes every frame in input order as it comes back (pass-throughs in their place), and empties the batch.</summary>
    private void Flush(DeviceHost host)
    {
        if (_batch.Count == 0)
        {
            _batch.Clear();
            return;
        }

        _writeIndex = 0;
        _receivedInBatch = 0;
        long completedBefore = host.FrameClient.Completed;
        int carried = _batch.CarriedCount;
        if (carried > 0)
        {
            host.Send(_batch);
            if (_receiveError is null && (_receivedInBatch < carried || host.FrameClient.Completed - completedBefore < carried))
                WaitForBatch(host, completedBefore, carried);
            if (_receiveError is not null)
                throw _receiveError;
        }

        for (; _writeIndex < _batch.Count; _writeIndex++)
        {
            ref var slot = ref _batch.Slots[_writeIndex];
            if (slot.PassThrough == PassThroughReason.None)
                throw new DataPathException($"packet {slot.Number} was sent but never came back from the device");
            Write(_writeIndex, _batch.FrameBytes(_writeIndex));
        }

        _batch.Clear();
    }

    private void WaitForBatch(DeviceHost host, long completedBefore, int carried)
    {
        var client = host.FrameClient;
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
        while ((_receivedInBatch < carried || client.Completed - completedBefore < carried) && _receiveError is null)
        {
            if (client.Failed > 0)
                throw new DataPathException($"{client.Failed} send(s) completed with {client.FirstFailure.Describe()}");
            if (Stopwatch.GetTimestamp() > deadline)
                throw new DataPathException($"the device brought back {_receivedInBatch} of {carried} frames and completed {client.Completed - completedBefore} sends in 10 s");
            host.Service();
            Thread.Yield();
        }
    }

    /// <summary>
    /// A frame the receiving client got: the pass-throughs before it are written, then it, with its record's metadata.
    /// This runs inside the miniport's receive indication, so a failure is kept and thrown once the send returns,
    /// never through the drivers.
    /// </summary>
    public void Received(ReadOnlySpan<byte> frame)
    {
        if (_receiveError is not null)
            return;
        try
        {
            WriteReceived(frame);
        }
        catch (Exception ex) when (ex is DataPathException or ConversionRefusedException or IOException)
        {
            _receiveError = ex;
        }
    }

    private void WriteReceived(ReadOnlySpan<byte> frame)
    {
        while (_writeIndex < _batch.Count && _batch.Slots[_writeIndex].PassThrough != PassThroughReason.None)
        {
            Write(_writeIndex, _batch.FrameBytes(_writeIndex));
            _writeIndex++;
        }

        if (_writeIndex >= _batch.Count)
            throw new DataPathException("the device brought back a frame that was never sent");
        ref var slot = ref _batch.Slots[_writeIndex];
        int expected = slot.Length + (slot.Tag != 0 ? 4 : 0);
        if (frame.Length != expected)
            throw new DataPathException($"packet {slot.Number}: {expected} bytes were sent, {frame.Length} came back");
        if (_settings.Verify && !SameAsSent(frame, slot, _batch.FrameBytes(_writeIndex)))
            Difference($"packet {slot.Number}: the bytes that came back differ from the bytes sent (first at offset {FirstDifference(frame, slot, _batch.FrameBytes(_writeIndex))})");
        Write(_writeIndex, frame);
        _writeIndex++;
        _receivedInBatch++;
    }

    private void Write(int index, ReadOnlySpan<byte> data)
    {
        ref var slot = ref _batch.Slots[index];
        var captureInterface = slot.Interface!;
        var options = _batch.Options(index);
        var timestamp = new CaptureTimestamp(slot.Seconds, slot.Nanoseconds);
        if (_annotator is not null && slot.HasTimestamp)
            options = _annotator.Annotate(slot.Number, new CapturePacket(captureInterface, timestamp, data, slot.OriginalLength, options, slot.HasTimestamp)).Span;
        var packet = new CapturePacket(captureInterface, timestamp, data, slot.OriginalLength, options, slot.HasTimestamp,
            slot.HasTimestamp ? PcapNgBlockTypes.EnhancedPacket : PcapNgBlockTypes.SimplePacket);
        try
        {
            _writer!.WritePacket(packet);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // Written in the input's own format, the record itself is out of range: the file is at fault.
            throw new ConversionRefusedException($"packet {slot.Number} cannot be written as {_result.Format}: {ex.Message.Split(" (Parameter", 2)[0]}", ex)
            {
                InputAtFault = _outputInInputFormat,
            };
        }
    }

    /// <summary>The frame as it came back equals the frame as read: the stored bytes with the tag the client handed to NDIS put back after the MAC addresses.</summary>
    private static bool SameAsSent(ReadOnlySpan<byte> frame, in FrameSlot slot, ReadOnlySpan<byte> stored)
    {
        if (slot.Tag == 0)
            return frame.SequenceEqual(stored);
        ushort tci = FrameNetBufferListBuilder.Tci(new Ieee8021QInfo(slot.Tag));
        return frame[..12].SequenceEqual(stored[..12]) && frame[12] == 0x81 && frame[13] == 0x00
            && frame[14] == (byte)(tci >> 8) && frame[15] == (byte)tci && frame[16..].SequenceEqual(stored[12..]);
    }

    private static int FirstDifference(ReadOnlySpan<byte> frame, in FrameSlot slot, ReadOnlySpan<byte> stored)
    {
        Span<byte> expected = new byte[frame.Length];
        if (slot.Tag == 0)
        {
            stored.CopyTo(expected);
        }
        else
        {
            ushort tci = FrameNetBufferListBuilder.Tci(new Ieee8021QInfo(slot.Tag));
            stored[..12].CopyTo(expected);
            expected[12] = 0x81;
            expected[13] = 0x00;
            expected[14] = (byte)(tci >> 8);
            expected[15] = (byte)tci;
            stored[12..].CopyTo(expected[16..]);
        }

        int common = frame.CommonPrefixLength(expected);
        return common;
    }

    private void Difference(string what)
    {
        if (_result.Differences.Count < MaxDifferences)
            _result.Differences.Add(what);
        if (_result.ExitCode == ExitCodes.Ok)
            _result.ExitCode = ExitCodes.VerifyMismatch;
    }

    /// <summary>--verify when both ends are files: reads the input and the output again and compares them record by record.</summary>
    private void ReadBack(string input, string output)
    {
        if (input == "-" || output == "-")
        {
            _result.Verified = "in flight (a pipe cannot be read back)";
            return;
        }

        _result.Verified = "in flight and read back";
        try
        {
            foreach (var difference in CaptureComparer.Compare(input, output, MaxDifferences))
                Difference(difference);
        }
        catch (Exception ex) when (ex is CaptureFormatException or IOException or UnauthorizedAccessException)
        {
            Difference($"reading back failed: {TextEscaping.Escape(ex.Message.ReplaceLineEndings(" "))}");
        }
    }

    private void Phase(string phase, Stopwatch stopwatch)
    {
        if (_logger is not null)
            CliLog.Phase(_logger, _result.Input, phase, stopwatch.Elapsed.TotalMilliseconds);
    }

    private void Fail(int exitCode, string message)
    {
        if (_result.ExitCode is ExitCodes.Ok or ExitCodes.VerifyMismatch)
        {
            _result.ExitCode = exitCode;
            _result.Error = message;
        }
    }

    /// <summary>Everything <see cref="Convert"/> opens it also closes; this is for the analyzers' sake and a second call.</summary>
    public void Dispose()
    {
        _annotator?.Dispose();
        _pcapNg?.Dispose();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // leave it: the message already says the conversion failed
        }
    }
}
