using System.Globalization;
using System.Text;
using CoNdis.Hardware.Capture;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Diagnostics;
using CoNdis.Translation;

namespace Condis.Cli;

/// <summary>
/// <c>inspect --packets</c> as text: per packet a heading line, the NBL/NB/MDL layout (LayoutWriter, as !ndiskd.nbl
/// shows it) and the NDIS_PACKET with its NDIS_BUFFERs, then the status the NBL completed with.
/// </summary>
internal sealed class TextPacketSink(TextWriter output) : IPacketLayoutSink
{
    private readonly StringBuilder _text = new(1024);

    public void Packet(long number, in CapturePacket packet, NetBufferList nbl, bool tagRemoved, TranslationOutcome outcome, TranslationFailure failure, NdisPacket? ndisPacket)
    {
        var text = _text.Clear();
        text.Append(CultureInfo.InvariantCulture, $"Packet {number}: interface {packet.InterfaceIndex}, link type {packet.LinkType & 0x0FFFFFFF}, {packet.CapturedLength} of {packet.OriginalLength} bytes");
        text.Append(packet.HasTimestamp ? $", time {packet.Timestamp}" : ", no time");
        text.Append('\n');
        if (tagRemoved)
        {
            var tag = nbl.Info.Ieee8021Q;
            text.Append(CultureInfo.InvariantCulture, $"  802.1Q tag taken out of the frame into Ieee8021QNetBufferListInfo: priority {tag.UserPriority}, CFI {tag.CanonicalFormatId}, VLAN {tag.VlanId}\n");
        }

        foreach (var line in LayoutWriter.Describe(nbl).AsSpan().EnumerateLines())
        {
            if (!line.IsEmpty)
                text.Append("  ").Append(line).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"  translation to NDIS_PACKET: {outcome}");
        if (failure != TranslationFailure.None)
            text.Append(CultureInfo.InvariantCulture, $" ({failure})");
        text.Append('\n');
        if (ndisPacket is not null)
            AppendPacket(text, ndisPacket, nbl);
        output.Write(text);
    }

    public void Completed(NdisStatus status) => output.Write($"  NBL completed with {status.Describe()}\n\n");

    private static void AppendPacket(StringBuilder text, NdisPacket packet, NetBufferList nbl)
    {
        int buffers = 0;
        long total = 0;
        foreach (var buffer in packet.Buffers)
        {
            buffers++;
            total += buffer.ByteCount;
        }

        var tag = packet.Extension.Ieee8021Q;
        text.Append(CultureInfo.InvariantCulture, $"  {packet}: {buffers} NDIS_BUFFER(s), {total} bytes, HeaderSize {packet.HeaderSize}, status {packet.Status.Describe()}");
        if (tag.Value != 0)
            text.Append(CultureInfo.InvariantCulture, $", Ieee8021QInfo priority {tag.UserPriority} VLAN {tag.VlanId}");
        text.Append('\n');
        foreach (var buffer in packet.Buffers)
        {
            text.Append("    ").Append(buffer).Append(' ');
            text.Append(SharedWith(buffer, nbl) ? "shared: the NB's own MDL" : $"origin {buffer.Origin}");
            text.Append('\n');
        }
    }

    internal static bool SharedWith(Mdl buffer, NetBufferList nbl)
    {
        foreach (var nb in nbl.NetBuffers)
        {
            foreach (var mdl in nb.Mdls)
            {
                if (ReferenceEquals(mdl, buffer))
                    return true;
            }
        }

        return false;
    }
}
