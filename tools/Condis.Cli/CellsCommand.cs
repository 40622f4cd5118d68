using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Capture;

namespace Condis.Cli;

/// <summary>
/// <c>condis cells IN -o OUT --format sunatm|erf-aal5|erf-cells [--vpi N] [--vci N] [--encap llc|vcmux]</c>: the frames
/// of a capture as the ATM traffic of one VC (RFC 2684 over AAL5), written as SunATM (LINKTYPE_SUNATM) or ERF
/// (LINKTYPE_ERF: AAL5 PDU records or cell records) by <see cref="AtmCaptureEncoder.EncodeAll"/>. Ethernet inputs go
/// bridged, raw-IP inputs routed; what the encoder cannot carry is counted in the summary. Exit 0 ok, 2 usage,
/// 3 bad input file (one line).
/// </summary>
internal static class CellsCommand
{
    /// <summary>VCIs below this are the ATM Forum's (UNI 3.1/4.0 §2.3: 0 unassigned, 3–4 OAM F4, 5 signalling, 16 ILMI, ...).</summary>
    public const int FirstUserVci = 32;

    public static Command Create(CliIo io)
    {
        var command = new Command("cells", "Write the frames of a capture as the ATM traffic of one VC (RFC 2684 in AAL5): SunATM records, ERF AAL5 records, or ERF cell records, as a capture Wireshark decodes.");
        var input = new Argument<string>("IN") { Description = "Capture file (pcap or pcapng, by content), or - for standard input. Ethernet frames go bridged; raw IP (LINKTYPE_RAW 101, IPV4 228, IPV6 229) routed." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the ATM capture: a file, or - for standard output.", HelpName = "OUT", Required = true };
        var format = new Option<string>("--format") { Description = "sunatm: one LINKTYPE_SUNATM record per frame (pseudo-header + AAL5 SDU); erf-aal5: one ERF AAL5 record per frame (cell header + whole CPCS-PDU, so Wireshark checks its CRC-32); erf-cells: one ERF cell record per 48-octet cell, one OC-3 cell slot apart.", HelpName = "FORMAT", Required = true };
        format.AcceptOnlyFromAmong("sunatm", "erf-aal5", "erf-cells");
        var vpi = new Option<int>("--vpi") { Description = "The VPI of the VC (0-255, the UNI's 8 bits).", HelpName = "N", DefaultValueFactory = _ => 0 };
        var vci = new Option<int>("--vci") { Description = "The VCI of the VC (32-65535; 0-31 are reserved for signalling, OAM and ILMI).", HelpName = "N", DefaultValueFactory = _ => FirstUserVci };
        var encap = new Option<string>("--encap") { Description = "RFC 2684 multiplexing: llc (LLC/SNAP header on each PDU) or vcmux (the VC carries one protocol, no header).", HelpName = "llc|vcmux", DefaultValueFactory = _ => "llc" };
        encap.AcceptOnlyFromAmong("llc", "vcmux");
        var container = new Option<string>("--container") { Description = "The file around the records: pcap or pcapng.", HelpName = "pcap|pcapng", DefaultValueFactory = _ => "pcap" };
        container.AcceptOnlyFromAmong("pcap", "pcapng");
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object instead of text." };
        command.Arguments.Add(input);
        foreach (var option in new Option[] { output, format, vpi, vci, encap, container, json })
            command.Options.Add(option);
        command.SetAction(parseResult => Run(new Request(
            parseResult.GetValue(input)!,
            parseResult.GetValue(output)!,
            parseResult.GetValue(format)!,
            parseResult.GetValue(vpi),
            parseResult.GetValue(vci),
            parseResult.GetValue(encap) ?? "llc",
            parseResult.GetValue(container) ?? "pcap",
            parseResult.GetValue(json)), io));
        return command;
    }

    internal sealed record Request(string Input, string Output, string Format, int Vpi, int Vci, string Encap, string Container, bool Json);

    public static int Run(Request request, CliIo io)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(io);
        if ((uint)request.Vpi > 255)
            return Usage(io, $"--vpi must be from 0 to 255 (the UNI cell header has 8 VPI bits), not {request.Vpi}");
        if ((uint)request.Vci > 65535)
            return Usage(io, $"--vci must be from {FirstUserVci} to 65535 (the cell header has 16 VCI bits), not {request.Vci}");
        if (request.Vci < FirstUserVci)
            return Usage(io, $"--vci {request.Vci} is reserved: the ATM Forum UNI keeps VCIs 0-31 of every VPI for itself (0 unassigned cells, 3-4 OAM F4, 5 signalling, 16 ILMI); user data starts at {FirstUserVci}");
        var recordFormat = request.Format switch
        {
            "sunatm" => AtmRecordFormat.SunAtm,
            "erf-aal5" => AtmRecordFormat.ErfAal5,
            _ => AtmRecordFormat.ErfCell,
        };
        bool llc = request.Encap != "vcmux";
        bool fromStdin = request.Input == "-";
        string inputName = TextEscaping.Escape(fromStdin ? "(stdin)" : request.Input);
        string outputName = TextEscaping.Escape(request.Output == "-" ? "(stdout)" : request.Output);
        if (!fromStdin && Directory.Exists(request.Input))
            return BadInput(io, inputName, "is a directory, not a capture file");
        if (fromStdin && io.StdinIsTerminal())
            io.Stderr.WriteLine("condis cells: waiting for a capture on standard input (a terminal); pipe one in, as in 'condis cells - -o out.pcap --format sunatm < capture.pcap', or press Ctrl+D to stop");

        AtmEncodeSummary summary;
        AtmCaptureEncoderOptions options;
        Stream? inputStream = null;
        Stream? outputStream = null;
        bool complete = false;
        try
        {
            inputStream = fromStdin ? io.OpenStdin() : new FileStream(request.Input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var reader = CaptureReader.Open(inputStream, leaveOpen: true);
            // What the frames are is the capture's first interface's link type: Ethernet goes bridged, raw IP routed.
            bool packets = reader.Interfaces.Count > 0 && IsRawIp(reader.Interfaces[0].LinkType);
            options = new AtmCaptureEncoderOptions
            {
                Vpi = request.Vpi,
                Vci = request.Vci,
                Input = packets ? AtmFrameKind.Packet : AtmFrameKind.Ethernet,
                Encapsulation = (llc, packets) switch
                {
                    (true, false) => Rfc2684Encapsulation.LlcSnapBridged,
                    (true, true) => Rfc2684Encapsulation.LlcSnapRouted,
                    (false, false) => Rfc2684Encapsulation.VcMuxBridged,
                    _ => Rfc2684Encapsulation.VcMuxRouted,
                },
                Container = request.Container == "pcapng" ? CaptureFormat.PcapNg : CaptureFormat.Pcap,
            };
            outputStream = request.Output == "-" ? io.OpenStdout() : new FileStream(request.Output, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            using (var encoder = new AtmCaptureEncoder(outputStream, recordFormat, options, leaveOpen: true))
                summary = encoder.EncodeAll(reader);
            outputStream.Flush();
            complete = true;
        }
        catch (CaptureFormatException ex)
        {
            return BadInput(io, inputName, TextEscaping.Escape(ex.Message.ReplaceLineEndings(" ")));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return BadInput(io, inputName, "cannot read or write: " + TextEscaping.Escape(ex.Message.ReplaceLineEndings(" ")));
        }
        finally
        {
            if (!fromStdin)
                inputStream?.Dispose();
            if (request.Output != "-")
                outputStream?.Dispose();
            if (!complete && request.Output != "-")
                TryDelete(request.Output);
        }

        var summaryOut = request.Output == "-" ? io.Stderr : io.Stdout;
        long skipped = summary.SkippedLinkType + summary.SkippedTruncated + summary.SkippedNotCarried;
        if (request.Json)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("command", "cells");
                json.WriteString("input", fromStdin ? "(stdin)" : request.Input);
                json.WriteString("output", request.Output == "-" ? "(stdout)" : request.Output);
                json.WriteString("format", request.Format);
                json.WriteString("container", request.Container);
                json.WriteNumber("vpi", request.Vpi);
                json.WriteNumber("vci", request.Vci);
                json.WriteString("encapsulation", options.Encapsulation.ToString());
                json.WriteNumber("packetsRead", summary.PacketsRead);
                json.WriteNumber("framesEncoded", summary.FramesEncoded);
                json.WriteNumber("recordsWritten", summary.RecordsWritten);
                json.WriteNumber("cells", summary.Cells);
                json.WriteStartObject("skipped");
                json.WriteNumber("linkType", summary.SkippedLinkType);
                json.WriteNumber("truncated", summary.SkippedTruncated);
                json.WriteNumber("notCarried", summary.SkippedNotCarried);
                json.WriteNumber("total", skipped);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            summaryOut.WriteLine(System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
        }
        else
        {
            var c = CultureInfo.InvariantCulture;
            string kind = options.Input == AtmFrameKind.Ethernet ? "Ethernet frames" : "IP packets";
            summaryOut.WriteLine(string.Create(c, $"condis cells: {inputName} -> {outputName}: {summary.PacketsRead} packets read; {summary.FramesEncoded} {kind} as {summary.RecordsWritten} {request.Format} records ({summary.Cells} cells) on VPI {request.Vpi}/VCI {request.Vci}, {options.Encapsulation}; {skipped} not written ({summary.SkippedLinkType} another link type, {summary.SkippedTruncated} truncated, {summary.SkippedNotCarried} the encapsulation cannot carry)"));
        }

        return ExitCodes.Ok;
    }

    /// <summary>LINKTYPE_RAW (101), LINKTYPE_IPV4 (228), LINKTYPE_IPV6 (229): the link types the encoder carries routed.</summary>
    private static bool IsRawIp(uint linkType) => (linkType & 0x0FFFFFFF) is 101 or 228 or 229;

    private static int Usage(CliIo io, string problem)
    {
        io.Stderr.WriteLine($"condis cells: {problem}");
        io.Stderr.WriteLine("Run 'condis cells --help' for usage.");
        return ExitCodes.Usage;
    }

    private static int BadInput(CliIo io, string name, string problem)
    {
        io.Stderr.WriteLine($"condis cells: {name}: {problem}");
        return ExitCodes.BadInput;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // the message already says the run failed
        }
    }
}
