using System.Globalization;
using System.Text;
using System.Text.Json;
using CoNdis.Translation;

namespace Condis.Cli;

/// <summary>The summary at the end of <c>condis convert</c>, as text or one JSON object: per input and in total.</summary>
internal sealed class ConvertSummary
{
    private readonly ConvertSettings _settings;
    private readonly int _jobs;
    private readonly IReadOnlyList<ConversionResult> _results;
    private readonly TimeSpan _elapsed;

    public ConvertSummary(ConvertSettings settings, int jobs, IReadOnlyList<ConversionResult> results, TimeSpan elapsed)
    {
        _settings = settings;
        _jobs = jobs;
        _results = results;
        _elapsed = elapsed;
        foreach (var result in results)
        {
            Packets += result.Packets;
            Bytes += result.Bytes;
            Carried += result.Carried;
            LinkType += result.PassedThroughLinkType;
            TooLong += result.PassedThroughTooLong;
            Empty += result.PassedThroughEmpty;
            var counts = Translation;
            counts.Add(result.Translation);
            Translation = counts;
            NdisCopies += result.NdisCopies;
            NdisBytes += result.NdisBytesCopied;
            DmaCopies += result.Device.DmaCopies;
            DmaBytes += result.Device.DmaBytes;
            BounceCopies += result.Device.BounceCopies;
            Interrupts += result.Device.Interrupts;
            WireFrames += result.WireFrames;
        }
    }

    public long Packets { get; }

    public long Bytes { get; }

    public long Carried { get; }

    public long LinkType { get; }

    public long TooLong { get; }

    public long Empty { get; }

    public TranslationCounts Translation { get; }

    public long NdisCopies { get; }

    public long NdisBytes { get; }

    public long DmaCopies { get; }

    public long DmaBytes { get; }

    public long BounceCopies { get; }

    public long Interrupts { get; }

    public long WireFrames { get; }

    private string DeviceName => _settings.Host.Device == DeviceKind.Atm ? "atm" : "loopback";

    public double PacketsPerSecond => Packets / Math.Max(_elapsed.TotalSeconds, 1e-9);

    /// <summary>3 if any input was bad, else 2 if an output could not hold its input, else 1 if any verify or data path failed, else 0.</summary>
    public int ExitCode
    {
        get
        {
            var codes = _results.Select(r => r.ExitCode).ToList();
            if (codes.Contains(ExitCodes.BadInput))
                return ExitCodes.BadInput;
            if (codes.Contains(ExitCodes.Usage))
                return ExitCodes.Usage;
            return codes.Contains(ExitCodes.VerifyMismatch) ? ExitCodes.VerifyMismatch : ExitCodes.Ok;
        }
    }

    public void WriteText(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"condis convert: {_results.Count} input(s), {_settings.Pairing} over {DeviceName}, {Math.Min(_jobs, Math.Max(1, _results.Count))} at once\n");
        if (_results.Count > 1)
        {
            foreach (var result in _results)
            {
                text.Append(c, $"  {TextEscaping.Escape(result.Input)} -> {TextEscaping.Escape(result.Output)}: ");
                if (result.Error is not null)
                    text.Append(c, $"failed (exit {result.ExitCode})\n");
                else
                    text.Append(c, $"{result.Packets} packets ({result.Carried} carried, {result.PassedThrough} passed through), {result.Elapsed.TotalMilliseconds:F1} ms{(result.Differences.Count > 0 ? ", VERIFY FAILED" : "")}\n");
            }
        }

        Line(text, "Packets", $"{Packets} ({Carried} crossed the device; {LinkType + TooLong + Empty} passed through untouched: {LinkType} not Ethernet, {TooLong} longer than its {DeviceHost.MaximumFrameSize(_settings.Host)}-byte frames, {Empty} empty)");
        Line(text, "Bytes", Bytes.ToString(c));
        Line(text, "Time", $"{_elapsed.TotalSeconds:F3} s, {PacketsPerSecond:F0} packets/s");
        var t = Translation;
        Line(text, "Translation", $"{t.PacketsBuilt} NDIS_PACKETs built from NBLs, {t.NetBufferListsBuilt} NBLs built from NDIS_PACKETs, {t.PartialMdls} partial MDLs, {t.SharedMdls} shared MDLs, {t.BounceCopies} bounce copies, {t.ResourcesCopies} resources copies, {t.CannotTranslate} not translatable");
        Line(text, "NDIS copies", $"{NdisCopies} ({NdisBytes} bytes)");
        Line(text, "Device copies", $"{DmaCopies} DMA ({DmaBytes} bytes), {BounceCopies} bounce; {Interrupts} interrupts");
        if (_settings.Host.Device == DeviceKind.Atm)
        {
            var channels = string.Join(", ", _results.Where(r => r.AtmChannel is not null).Select(r => $"{r.AtmChannel!.Value.Vpi}/{r.AtmChannel.Value.Vci}").Distinct());
            long cells = _results.Sum(r => r.Atm?.A.CellsTransmitted ?? 0), pdus = _results.Sum(r => r.Atm?.B.PdusReceived ?? 0);
            long atmErrors = _results.Sum(r => (r.Atm?.B.ReassemblyErrors ?? 0) + (r.Atm?.B.HecDiscarded ?? 0) + (r.Atm?.B.EncapsulationErrors ?? 0));
            Line(text, "ATM", $"UNI call {DeviceHost.CallingNumber} -> {DeviceHost.CalledNumber} on VPI/VCI {(channels.Length > 0 ? channels : "-")}, {DeviceHost.AtmEncapsulation} in AAL5; host A sent {cells} cells (signalling included), host B reassembled {pdus} PDUs (signalling included), {atmErrors} errors");
        }

        if (WireFrames > 0)
            Line(text, "Wire", _settings.Host.Device == DeviceKind.Atm ? $"{WireFrames} SunATM records (Q.2931 signalling and AAL5 data, both ways at host A's port)" : $"{WireFrames} frames recorded");
        if (_settings.Verify)
        {
            int failed = _results.Count(r => r.Differences.Count > 0);
            string how = _results.FirstOrDefault(r => r.Verified is not null)?.Verified ?? "not run";
            Line(text, "Verify", failed == 0 && _results.All(r => r.ExitCode == ExitCodes.Ok) ? $"every frame out equals the frame in ({how})" : $"{failed} input(s) differ");
        }

        int errors = _results.Count(r => r.Error is not null);
        if (errors > 0)
            Line(text, "Failed", $"{errors} input(s)");
        output.Write(text.ToString());
    }

    public void WriteJson(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("command", "convert");
            json.WriteString("client", ConvertSettings.Name(_settings.Client));
            json.WriteString("miniport", ConvertSettings.Name(_settings.Miniport));
            json.WriteString("device", DeviceName);
            json.WriteNumber("jobs", _jobs);
            json.WriteNumber("exitCode", ExitCode);
            json.WriteNumber("elapsedSeconds", _elapsed.TotalSeconds);
            WriteCounts(json, Packets, Bytes, Carried, LinkType, TooLong, Empty, PacketsPerSecond, Translation, NdisCopies, NdisBytes, DmaCopies, DmaBytes, BounceCopies, Interrupts);
            json.WriteStartArray("files");
            foreach (var r in _results)
            {
                json.WriteStartObject();
                json.WriteString("input", r.Input);
                json.WriteString("output", r.Output);
                if (r.Format is null)
                    json.WriteNull("format");
                else
                    json.WriteString("format", r.Format);
                json.WriteNumber("exitCode", r.ExitCode);
                if (r.Error is null)
                    json.WriteNull("error");
                else
                    json.WriteString("error", r.Error);
                json.WriteNumber("elapsedSeconds", r.Elapsed.TotalSeconds);
                WriteCounts(json, r.Packets, r.Bytes, r.Carried, r.PassedThroughLinkType, r.PassedThroughTooLong, r.PassedThroughEmpty, r.PacketsPerSecond, r.Translation,
                    r.NdisCopies, r.NdisBytesCopied, r.Device.DmaCopies, r.Device.DmaBytes, r.Device.BounceCopies, r.Device.Interrupts);
                json.WriteNumber("wireFrames", r.WireFrames);
                if (r.Atm is { } atm)
                {
                    json.WriteStartObject("atm");
                    json.WriteNumber("vpi", r.AtmChannel?.Vpi ?? -1);
                    json.WriteNumber("vci", r.AtmChannel?.Vci ?? -1);
                    json.WriteNumber("cellsSent", atm.A.CellsTransmitted);
                    json.WriteNumber("cellsReceived", atm.B.CellsReceived);
                    json.WriteNumber("pdusReceived", atm.B.PdusReceived);
                    json.WriteNumber("reassemblyErrors", atm.B.ReassemblyErrors);
                    json.WriteNumber("hecDiscarded", atm.B.HecDiscarded);
                    json.WriteEndObject();
                }
                json.WriteNumber("problems", r.Problems);
                if (r.Verified is null)
                    json.WriteNull("verified");
                else
                    json.WriteString("verified", r.Verified);
                json.WriteStartArray("differences");
                foreach (var difference in r.Differences)
                    json.WriteStringValue(difference);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.Write(Encoding.UTF8.GetString(stream.ToArray()));
        output.Write('\n');
    }

    private static void WriteCounts(Utf8JsonWriter json, long packets, long bytes, long carried, long linkType, long tooLong, long empty, double rate,
        TranslationCounts t, long ndisCopies, long ndisBytes, long dma, long dmaBytes, long bounce, long interrupts)
    {
        json.WriteNumber("packets", packets);
        json.WriteNumber("bytes", bytes);
        json.WriteNumber("carried", carried);
        json.WriteStartObject("passedThrough");
        json.WriteNumber("total", linkType + tooLong + empty);
        json.WriteNumber("linkType", linkType);
        json.WriteNumber("tooLong", tooLong);
        json.WriteNumber("empty", empty);
        json.WriteEndObject();
        json.WriteNumber("packetsPerSecond", Math.Round(rate, 1));
        json.WriteStartObject("translation");
        json.WriteNumber("packetsBuilt", t.PacketsBuilt);
        json.WriteNumber("netBufferListsBuilt", t.NetBufferListsBuilt);
        json.WriteNumber("partialMdls", t.PartialMdls);
        json.WriteNumber("sharedMdls", t.SharedMdls);
        json.WriteNumber("bytesCopied", t.BytesCopied);
        json.WriteNumber("resourcesCopies", t.ResourcesCopies);
        json.WriteNumber("bounceCopies", t.BounceCopies);
        json.WriteNumber("cannotTranslate", t.CannotTranslate);
        json.WriteEndObject();
        json.WriteStartObject("ndisCopies");
        json.WriteNumber("copies", ndisCopies);
        json.WriteNumber("bytes", ndisBytes);
        json.WriteEndObject();
        json.WriteStartObject("deviceCopies");
        json.WriteNumber("dma", dma);
        json.WriteNumber("dmaBytes", dmaBytes);
        json.WriteNumber("bounce", bounce);
        json.WriteNumber("interrupts", interrupts);
        json.WriteEndObject();
    }

    private static void Line(StringBuilder text, string label, string value) =>
        text.Append(CultureInfo.InvariantCulture, $"{label + ":",-16}{value}").Append('\n');
}
