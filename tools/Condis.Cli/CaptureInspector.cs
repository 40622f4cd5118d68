using System.Globalization;
using System.Text;
using System.Text.Json;
using CoNdis.Hardware.Capture;

namespace Condis.Cli;

/// <summary>
/// Gathers what <c>condis inspect</c> prints (the facts capinfos prints) while the packets stream past: nothing is kept
/// per packet, so memory does not grow with the capture.
/// </summary>
internal sealed class CaptureInspector
{
    private readonly List<long> _packetsPerInterface = [];

    public CaptureInspector(string name) => Name = name;

    public string Name { get; }

    public CaptureFormat Format { get; private set; }

    public bool BigEndian { get; private set; }

    public int Sections { get; private set; }

    public IReadOnlyList<CaptureInterface> Interfaces { get; private set; } = [];

    public long PacketCount { get; private set; }

    public long TruncatedCount { get; private set; }

    public long CapturedBytes { get; private set; }

    public long OriginalBytes { get; private set; }

    public long PacketsWithoutTimestamp { get; private set; }

    public CaptureTimestamp? First { get; private set; }

    public CaptureTimestamp? Last { get; private set; }

    public CaptureTimestamp? Earliest { get; private set; }

    public CaptureTimestamp? Latest { get; private set; }

    public long SkippedBlocks { get; private set; }

    public long CapturedAboveSnapLength { get; private set; }

    public long CapturedAboveOriginal { get; private set; }

    public long InvalidFractions { get; private set; }

    public string Version { get; private set; } = "";

    /// <summary>Takes the file header's facts; call before the first <see cref="Add"/>.</summary>
    public void Begin(CaptureReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Format = reader.Format;
        BigEndian = reader.IsBigEndian;
        Version = $"{reader.VersionMajor}.{reader.VersionMinor}";
    }

    /// <summary>Takes what the reader learned by the end (sections, interfaces, skipped blocks, lenient counts).</summary>
    public void End(CaptureReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Sections = reader.SectionCount;
        Interfaces = reader.Interfaces;
        SkippedBlocks = reader.SkippedBlocks.Values.Sum();
        CapturedAboveSnapLength = reader.CapturedAboveSnapLengthCount;
        CapturedAboveOriginal = reader.CapturedAboveOriginalCount;
        InvalidFractions = reader.InvalidFractionCount;
        while (_packetsPerInterface.Count < reader.Interfaces.Count)
            _packetsPerInterface.Add(0);
    }

    public void WriteText(TextWriter output)
    {
        var text = new StringBuilder();
        Line(text, "File name", TextEscaping.Escape(Name));
        Line(text, "File format", $"{FormatName} {Version} ({(BigEndian ? "big-endian" : "little-endian")})");
        Line(text, "Sections", Sections.ToString(CultureInfo.InvariantCulture));
        Line(text, "Interfaces", Interfaces.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var captureInterface in Interfaces)
        {
            text.Append(CultureInfo.InvariantCulture, $"  #{captureInterface.Index}: link type {captureInterface.LinkType & 0x0FFFFFFF}");
            if ((captureInterface.LinkType & 0xF0000000) != 0)
                text.Append(CultureInfo.InvariantCulture, $" (field 0x{captureInterface.LinkType:X8})");
            text.Append(CultureInfo.InvariantCulture, $", snaplen {captureInterface.SnapLength}, timestamps {captureInterface.ResolutionText}");
            if (captureInterface.Name is not null)
                text.Append(CultureInfo.InvariantCulture, $", name {TextEscaping.Escape(captureInterface.Name)}");
            text.Append(CultureInfo.InvariantCulture, $", section {captureInterface.Section}, {_packetsPerInterface[captureInterface.Index]} packets").Append('\n');
        }

        Line(text, "Packets", PacketCount.ToString(CultureInfo.InvariantCulture));
        Line(text, "Truncated packets", TruncatedCount.ToString(CultureInfo.InvariantCulture));
        Line(text, "Captured bytes", CapturedBytes.ToString(CultureInfo.InvariantCulture));
        Line(text, "Original bytes", OriginalBytes.ToString(CultureInfo.InvariantCulture));
        Line(text, "First packet time", Describe(First));
        Line(text, "Last packet time", Describe(Last));
        Line(text, "Earliest packet time", Describe(Earliest));
        Line(text, "Latest packet time", Describe(Latest));
        if (PacketsWithoutTimestamp > 0)
            Line(text, "Packets without time", PacketsWithoutTimestamp.ToString(CultureInfo.InvariantCulture));
        if (SkippedBlocks > 0)
            Line(text, "Skipped blocks", SkippedBlocks.ToString(CultureInfo.InvariantCulture));
        if (CapturedAboveSnapLength + CapturedAboveOriginal + InvalidFractions > 0)
            Line(text, "Read leniently", $"caplen > snaplen {CapturedAboveSnapLength}, caplen > len {CapturedAboveOriginal}, invalid time fraction {InvalidFractions}");
        output.Write(text.ToString());
    }

    /// <summary>The summary as properties of the JSON object the caller has started (and ends).</summary>
    public void WriteJsonFields(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteString("file", Name);
        json.WriteString("format", FormatName);
        json.WriteString("version", Version);
        json.WriteString("byteOrder", BigEndian ? "big-endian" : "little-endian");
        json.WriteNumber("sections", Sections);
        json.WriteStartArray("interfaces");
        foreach (var captureInterface in Interfaces)
        {
            json.WriteStartObject();
            json.WriteNumber("index", captureInterface.Index);
            json.WriteNumber("section", captureInterface.Section);
            json.WriteNumber("linkType", captureInterface.LinkType & 0x0FFFFFFF);
            json.WriteNumber("linkTypeField", captureInterface.LinkType);
            json.WriteNumber("snapLength", captureInterface.SnapLength);
            json.WriteNumber("timestampResolution", captureInterface.TimestampResolution);
            json.WriteNumber("ticksPerSecond", captureInterface.TicksPerSecond);
            json.WriteString("resolution", captureInterface.ResolutionText);
            if (captureInterface.Name is null)
                json.WriteNull("name");
            else
                json.WriteString("name", captureInterface.Name);
            json.WriteNumber("packetCount", _packetsPerInterface[captureInterface.Index]);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("packetCount", PacketCount);
        json.WriteNumber("truncatedCount", TruncatedCount);
        json.WriteNumber("capturedBytes", CapturedBytes);
        json.WriteNumber("originalBytes", OriginalBytes);
        json.WriteNumber("packetsWithoutTimestamp", PacketsWithoutTimestamp);
        Time(json, "firstTimestamp", First);
        Time(json, "lastTimestamp", Last);
        Time(json, "earliestTimestamp", Earliest);
        Time(json, "latestTimestamp", Latest);
        json.WriteNumber("skippedBlocks", SkippedBlocks);
        json.WriteStartObject("lenient");
        json.WriteNumber("capturedAboveSnapLength", CapturedAboveSnapLength);
        json.WriteNumber("capturedAboveOriginal", CapturedAboveOriginal);
        json.WriteNumber("invalidTimeFraction", InvalidFractions);
        json.WriteEndObject();
    }

    private string FormatName => Format == CaptureFormat.PcapNg ? "pcapng" : "pcap";

    public void Add(in CapturePacket packet)
    {
        PacketCount++;
        CapturedBytes += packet.CapturedLength;
        OriginalBytes += packet.OriginalLength;
        if (packet.IsTruncated)
            TruncatedCount++;
        while (_packetsPerInterface.Count <= packet.InterfaceIndex)
            _packetsPerInterface.Add(0);
        _packetsPerInterface[packet.InterfaceIndex]++;
        if (!packet.HasTimestamp)
        {
            PacketsWithoutTimestamp++;
            return;
        }

        var time = packet.Timestamp;
        First ??= time;
        Last = time;
        if (Earliest is null || time < Earliest.Value)
            Earliest = time;
        if (Latest is null || time > Latest.Value)
            Latest = time;
    }

    private static void Line(StringBuilder text, string label, string value) =>
        text.Append(CultureInfo.InvariantCulture, $"{label + ":",-22}{value}").Append('\n');

    private static string Describe(CaptureTimestamp? time) =>
        time is CaptureTimestamp t ? $"{t.ToIsoString() ?? "(beyond year 9999)"} ({t})" : "n/a";

    /// <summary>A timestamp as ISO 8601 (null beyond year 9999) plus "<name>Epoch": seconds.nanoseconds as capinfos -S prints it.</summary>
    private static void Time(Utf8JsonWriter json, string name, CaptureTimestamp? time)
    {
        if (time is not CaptureTimestamp t)
        {
            json.WriteNull(name);
            json.WriteNull(name + "Epoch");
            return;
        }

        if (t.ToIsoString() is string iso)
            json.WriteString(name, iso);
        else
            json.WriteNull(name);
        json.WriteString(name + "Epoch", t.ToString());
    }
}
