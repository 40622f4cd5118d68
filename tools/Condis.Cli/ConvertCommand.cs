using System.CommandLine;
using System.Diagnostics;
using CoNdis.Hardware.Capture;
using Microsoft.Extensions.Logging;

namespace Condis.Cli;

/// <summary>
/// <c>condis convert IN... -o OUT</c>: every frame of each input is sent as an NBL (or NDIS_PACKET) by a client over a
/// VC, crosses the simulated NIC and its loopback link, and what the receiving client gets is written to OUT with the
/// input's interfaces, link types, timestamps and options. Several inputs (or a directory) convert in parallel into
/// OUT as a directory. Exit 0 ok, 1 verify mismatch or a data path that did not end clean, 2 usage, 3 bad input file.
/// </summary>
internal static class ConvertCommand
{
    /// <summary>File names a directory input converts (other files in it, a README or a MANIFEST, are left alone).</summary>
    private static readonly string[] CaptureExtensions = [".pcap", ".pcapng", ".cap", ".ntar"];

    public static Command Create(CliIo io)
    {
        var command = new Command("convert", "Send every frame of a capture through a chosen data path (client, miniport, device) and write what the receiving side gets, as a capture Wireshark opens.");
        var inputs = new Argument<string[]>("IN") { Description = "Capture files (pcap or pcapng, by content), directories of them (*.pcap, *.pcapng, *.cap, *.ntar), or - for standard input.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Where to write: a file (one input), a directory (created if needed; one output per input, same name), or - for standard output.", HelpName = "OUT", Required = true };
        var client = SideOption("--client", "The protocol driver that sends and receives: native (NDIS 6, NBLs) or legacy (NDIS 5.x, NDIS_PACKETs, under the translation layer).");
        var miniport = SideOption("--miniport", "The miniport that drives the NIC: native (NDIS 6) or legacy (NDIS 5.x, under the translation layer, with a stand-alone call manager).");
        var device = new Option<string>("--device") { Description = "The device under the miniport: loopback (a simulated Ethernet NIC whose link brings every frame back), or atm (two hosts on an ATM link: host A's client makes a UNI call to host B's number, Q.2931 over SSCOP, and the Ethernet frames cross on the call's VPI/VCI as LLC/SNAP-bridged AAL5 PDUs cut into cells by the SAR).", HelpName = "DEVICE", DefaultValueFactory = _ => "loopback" };
        device.AcceptOnlyFromAmong("loopback", "atm");
        var format = new Option<string?>("--format") { Description = "Output format: pcap or pcapng (default: each input's own; pcapng with --annotate).", HelpName = "FORMAT" };
        format.AcceptOnlyFromAmong("pcap", "pcapng");
        var annotate = new Option<bool>("--annotate") { Description = "Add a pcapng comment to each packet: the NBL/NB/MDL layout it travelled as and its NDIS_PACKET (as inspect --packets shows them)." };
        var verify = new Option<bool>("--verify") { Description = "Check that every frame out equals the frame in (bytes, lengths, timestamp, link type, interface), in flight and by reading both files back; report the first differences and exit 1 if not." };
        var wire = new Option<string?>("--wire") { Description = "Also write what crossed the device's link, as pcapng: on loopback the Ethernet frames as the NIC put them on the wire (tags inserted, checksums filled); on atm SunATM records at host A's port, both ways (the Q.2931 signalling on VPI 0/VCI 5 and the AAL5 data on the call's VC). A directory with several inputs.", HelpName = "WIRE" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Inputs converted at once; the default is this machine's core count.", HelpName = "N", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object instead of text." };
        command.Arguments.Add(inputs);
        foreach (var option in new Option[] { output, client, miniport, device, format, annotate, verify, wire, jobs, json })
            command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            using var loggers = Verbosity.CreateLoggerFactory(parseResult.GetValue<string>("--verbosity"), io.Stderr);
            var request = new ConvertRequest
            {
                Inputs = parseResult.GetValue(inputs) ?? [],
                Output = parseResult.GetValue(output)!,
                Client = parseResult.GetValue(client) == "legacy" ? DriverSide.Legacy : DriverSide.Native,
                Miniport = parseResult.GetValue(miniport) == "legacy" ? DriverSide.Legacy : DriverSide.Native,
                Device = parseResult.GetValue(device) ?? "loopback",
                Format = parseResult.GetValue(format),
                Annotate = parseResult.GetValue(annotate),
                Verify = parseResult.GetValue(verify),
                Wire = parseResult.GetValue(wire),
                Jobs = parseResult.GetValue(jobs),
                Json = parseResult.GetValue(json),
            };
            return Run(request, io, loggers.CreateLogger("convert"));
        });
        return command;
    }

    private static Option<string> SideOption(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, HelpName = "native|legacy", DefaultValueFactory = _ => "native" };
        option.AcceptOnlyFromAmong("native", "legacy");
        return option;
    }

    public static int Run(ConvertRequest request, CliIo io, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(io);
        var deviceKind = request.Device == "atm" ? DeviceKind.Atm : DeviceKind.Loopback;
        if (request.Jobs < 1)
            return Usage(io, $"--jobs must be at least 1, not {request.Jobs}");
        CaptureFormat? format = request.Format switch
        {
            "pcap" => CaptureFormat.Pcap,
            "pcapng" => CaptureFormat.PcapNg,
            _ => null,
        };
        if (request.Annotate && format == CaptureFormat.Pcap)
            return Usage(io, "--annotate writes pcapng comments; a pcap file has no room for them (drop --format pcap)");

        // What to convert: files as given, directories expanded, '-' alone.
        var files = new List<string>();
        bool directoryInput = false;
        foreach (var input in request.Inputs)
        {
            if (input == "-")
            {
                if (request.Inputs.Length > 1)
                    return Usage(io, "'-' (standard input) must be the only input");
                files.Add(input);
            }
            else if (Directory.Exists(input))
            {
                directoryInput = true;
                int before = files.Count;
                files.AddRange(Directory.GetFiles(input).Where(f => CaptureExtensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal));
                if (files.Count == before)
                    return BadInput(io, TextEscaping.Escape(input), "is a directory with no capture files (*.pcap, *.pcapng, *.cap, *.ntar)");
            }
            else
            {
                files.Add(input);
            }
        }

        bool several = files.Count > 1 || directoryInput || (request.Output != "-" && Directory.Exists(request.Output));
        if (several && request.Output == "-")
            return Usage(io, "-o -: several inputs cannot all go to standard output; give a directory");
        if (several && File.Exists(request.Output))
            return Usage(io, $"-o {TextEscaping.Escape(request.Output)}: several inputs need a directory, and this is a file");
        if (request.Wire == "-" && request.Output == "-")
            return Usage(io, "--wire - and -o - cannot both be standard output");
        if (several && request.Wire == "-")
            return Usage(io, "--wire -: several inputs need a directory for their wire captures");
        var jobs = new List<(string Input, string Output, string? Wire)>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            string output = several ? Path.Combine(request.Output, OutputName(file, format, request.Annotate)) : request.Output;
            string? wire = request.Wire is null ? null
                : several || Directory.Exists(request.Wire) ? Path.Combine(request.Wire, Path.GetFileNameWithoutExtension(file) + ".wire.pcapng")
                : request.Wire;
            if (output != "-" && !taken.Add(Path.GetFullPath(output)))
                return Usage(io, $"two inputs would both be written to {TextEscaping.Escape(output)}");
            if (file != "-" && output != "-" && Path.GetFullPath(file) == Path.GetFullPath(output))
                return Usage(io, $"-o {TextEscaping.Escape(output)} is the input itself");
            jobs.Add((file, output, wire));
        }

        try
        {
            if (several)
                Directory.CreateDirectory(request.Output);
            if (request.Wire is not null && request.Wire != "-" && (several || Directory.Exists(request.Wire)))
                Directory.CreateDirectory(request.Wire);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return BadInput(io, TextEscaping.Escape(request.Output), "cannot create the output directory: " + TextEscaping.Escape(ex.Message));
        }

        if (files.Count == 1 && files[0] == "-" && io.StdinIsTerminal())
            io.Stderr.WriteLine("condis convert: waiting for a capture on standard input (a terminal); pipe one in, as in 'condis convert - -o out.pcapng < capture.pcap', or press Ctrl+D to stop");

        var settings = new ConvertSettings
        {
            Client = request.Client,
            Miniport = request.Miniport,
            Format = format,
            Annotate = request.Annotate,
            Verify = request.Verify,
            Host = new DeviceHostOptions { Device = deviceKind },
        };
        long totalBytes = jobs.Sum(j => j.Input != "-" && File.Exists(j.Input) ? new FileInfo(j.Input).Length : 0);
        var results = new ConversionResult[jobs.Count];
        var stopwatch = Stopwatch.StartNew();
        using (var progress = new ProgressBar(io.Stderr, totalBytes > 0 ? totalBytes : -1, "condis convert", io.StderrIsTerminal()))
        {
            Action<long> report = progress.Add;
            if (jobs.Count == 1)
            {
                using var converter = new CaptureConverter(settings, logger);
                results[0] = converter.Convert(jobs[0].Input, jobs[0].Output, jobs[0].Wire, io, report);
            }
            else
            {
                Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(request.Jobs, jobs.Count) }, i =>
                {
                    using var converter = new CaptureConverter(settings, logger);
                    results[i] = converter.Convert(jobs[i].Input, jobs[i].Output, jobs[i].Wire, io, report);
                });
            }
        }

        var elapsed = stopwatch.Elapsed;
        var summary = new ConvertSummary(settings, request.Jobs, results, elapsed);
        if (logger.IsEnabled(LogLevel.Information))
            CliLog.Finished(logger, summary.Packets, summary.Bytes, (long)elapsed.TotalMilliseconds, (long)summary.PacketsPerSecond);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            using var process = Process.GetCurrentProcess();
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            int collections = GC.CollectionCount(0);
            long peak = process.PeakWorkingSet64 >> 20;
            CliLog.Allocated(logger, allocated, collections, peak);
        }
        foreach (var result in results)
        {
            if (result.Error is not null)
                io.Stderr.WriteLine($"condis convert: {TextEscaping.Escape(result.Input)}: {result.Error}");
            if (result.Differences.Count > 0)
            {
                io.Stderr.WriteLine($"condis convert: {TextEscaping.Escape(result.Input)}: verify failed, the output differs from the input:");
                foreach (var difference in result.Differences)
                    io.Stderr.WriteLine("  " + difference);
            }
        }

        // When nothing was converted (one bad input), the one line on stderr is all: no summary to read past.
        if (results.All(r => r.Error is not null))
            return summary.ExitCode;

        // The summary goes to stdout, unless a capture went there.
        var summaryOut = jobs.Any(j => j.Output == "-" || j.Wire == "-") ? io.Stderr : io.Stdout;
        if (request.Json)
            summary.WriteJson(summaryOut);
        else
            summary.WriteText(summaryOut);
        return summary.ExitCode;
    }

    /// <summary>The output's file name: the input's, with .pcap/.pcapng when --format (or --annotate) chooses the format.</summary>
    private static string OutputName(string input, CaptureFormat? format, bool annotate)
    {
        string name = Path.GetFileName(input);
        if (format is null && !annotate)
            return name;
        string extension = format == CaptureFormat.Pcap ? ".pcap" : ".pcapng";
        return Path.GetFileNameWithoutExtension(name) + extension;
    }

    private static int Usage(CliIo io, string problem)
    {
        io.Stderr.WriteLine($"condis convert: {problem}");
        io.Stderr.WriteLine("Run 'condis convert --help' for usage.");
        return ExitCodes.Usage;
    }

    private static int BadInput(CliIo io, string name, string problem)
    {
        io.Stderr.WriteLine($"condis convert: {name}: {problem}");
        return ExitCodes.BadInput;
    }
}
