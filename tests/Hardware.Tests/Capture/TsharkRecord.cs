using System.Globalization;
using CoNdis.Hardware.Capture;
using Xunit;

namespace CoNdis.Hardware.Tests.Capture;

/// <summary>What tshark reports for each record of a file: two tshark runs per file (fields, then a hex dump with dissection off).</summary>
internal sealed record TsharkRecord(bool IsPacket, string InterfaceId, int CapturedLength, long OriginalLength, CaptureTimestamp? Timestamp, byte[] Data)
{
    public static List<TsharkRecord> Read(string path)
    {
        var fields = ExternalTool.Run("tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=/t",
            "-e", "frame.encap_type", "-e", "frame.interface_id", "-e", "frame.cap_len", "-e", "frame.len", "-e", "frame.time_epoch");
        Assert.True(fields.ExitCode == 0, $"tshark fields failed on {path}: {fields.Stderr}");
        var hex = ExternalTool.Run("tshark", "-n", "-r", path, "--disable-protocol", "ALL", "-x");
        Assert.True(hex.ExitCode == 0, $"tshark -x failed on {path}: {hex.Stderr}");

        // -x prints every data source of a frame ("Frame (n bytes):", "Reassembled IPv4 (n bytes):"…); keep the frame's.
        var hexLines = new List<string>();
        bool inOtherSource = false;
        foreach (var text in hex.Stdout.Split('\n'))
        {
            if (text.Trim().Length == 0)
                inOtherSource = false;
            else if (text.EndsWith("bytes):", StringComparison.Ordinal))
                inOtherSource = !text.StartsWith("Frame (", StringComparison.Ordinal);
            else if (!inOtherSource && IsHexLine(text))
                hexLines.Add(text);
        }

        int line = 0;
        var records = new List<TsharkRecord>();
        foreach (var row in fields.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cols = row.Split('\t');
            int capturedLength = int.Parse(cols[2], CultureInfo.InvariantCulture);
            long originalLength = long.Parse(cols[3], CultureInfo.InvariantCulture);
            var data = new byte[capturedLength];
            for (int offset = 0; offset < capturedLength; offset += 16)
            {
                var text = hexLines[line++];
                int space = text.IndexOf(' ', StringComparison.Ordinal);
                Assert.Equal(offset, int.Parse(text.AsSpan(0, space), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                int count = Math.Min(16, capturedLength - offset);
                var bytes = text.AsSpan(space + 2, (count * 3) - 1);
                for (int i = 0; i < count; i++)
                    data[offset + i] = byte.Parse(bytes.Slice(i * 3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            records.Add(new TsharkRecord(cols[0].Length > 0, cols[1], capturedLength, originalLength, ParseEpoch(cols[4]), data));
        }

        Assert.Equal(hexLines.Count, line);
        return records;
    }

    /// <summary>tshark prints seconds '.' nanoseconds as %09d, unnormalised (a µs field of 1000000 prints as 1000000000).</summary>
    private static CaptureTimestamp? ParseEpoch(string text)
    {
        if (text.Trim().Length == 0)
            return null;
        var parts = text.Trim().Split('.');
        long seconds = long.Parse(parts[0], CultureInfo.InvariantCulture);
        long nanoseconds = parts.Length > 1 ? long.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
        return new CaptureTimestamp(seconds, nanoseconds);
    }

    private static bool IsHexLine(string line)
    {
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space < 4 || line.Length < space + 4 || line[space + 1] != ' ')
            return false;
        for (int i = 0; i < space; i++)
        {
            if (!char.IsAsciiHexDigit(line[i]))
                return false;
        }

        return true;
    }
}
