using CoNdis.Hardware.Capture;
using Xunit;

namespace CoNdis.Hardware.Tests.Capture;

/// <summary>A packet copied out of a reader, for comparisons.</summary>
internal sealed record ReadPacket(int Interface, int InterfaceInSection, uint LinkType, CaptureTimestamp Timestamp, bool HasTimestamp, uint OriginalLength, byte[] Data, byte[] Options)
{
    public static List<ReadPacket> ReadAll(CaptureReader reader)
    {
        var list = new List<ReadPacket>();
        while (reader.TryReadPacket(out var p))
        {
            int section = p.Interface.Section;
            int inSection = p.InterfaceIndex - reader.Interfaces.Count(i => i.Section < section);
            list.Add(new ReadPacket(p.InterfaceIndex, inSection, p.LinkType, p.Timestamp, p.HasTimestamp, p.OriginalLength, p.Data.ToArray(), p.Options.ToArray()));
        }

        return list;
    }

    public static List<ReadPacket> ReadAll(string path)
    {
        using var reader = CaptureReader.Open(path);
        return ReadAll(reader);
    }
}
