using System.Text.Json;
using CoNdis.Hardware.Capture;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;
using CoNdis.Translation;

namespace Condis.Cli;

/// <summary>
/// <c>inspect --packets --json</c>: each packet as one object of the "packets" array, with the same facts as the text
/// form (no addresses: they change from run to run). The caller starts the array and ends it.
/// </summary>
internal sealed class JsonPacketSink(Utf8JsonWriter json, Action flushIfFull) : IPacketLayoutSink
{
    public void Packet(long number, in CapturePacket packet, NetBufferList nbl, bool tagRemoved, TranslationOutcome outcome, TranslationFailure failure, NdisPacket? ndisPacket)
    {
        json.WriteStartObject();
        json.WriteNumber("number", number);
        json.WriteNumber("interface", packet.InterfaceIndex);
        json.WriteNumber("linkType", packet.LinkType & 0x0FFFFFFF);
        json.WriteNumber("capturedLength", packet.CapturedLength);
        json.WriteNumber("originalLength", packet.OriginalLength);
        if (packet.HasTimestamp)
            json.WriteString("timestampEpoch", packet.Timestamp.ToString());
        else
            json.WriteNull("timestampEpoch");
        json.WriteBoolean("ieee8021QTagRemoved", tagRemoved);

        json.WriteStartObject("netBufferList");
        json.WriteNumber("netBufferCount", nbl.NetBufferCount);
        json.WriteString("status", nbl.Status.Describe());
        Tag(json, nbl.Info.Ieee8021Q);
        json.WriteStartArray("netBuffers");
        foreach (var nb in nbl.NetBuffers)
        {
            json.WriteStartObject();
            json.WriteNumber("dataOffset", nb.DataOffset);
            json.WriteNumber("dataLength", nb.DataLength);
            json.WriteNumber("currentMdlOffset", nb.CurrentMdlOffset);
            json.WriteStartArray("mdls");
            int position = 0, usedStart = nb.DataOffset, usedEnd = nb.DataOffset + nb.DataLength;
            foreach (var mdl in nb.Mdls)
            {
                int end = position + mdl.ByteCount;
                json.WriteStartObject();
                json.WriteNumber("byteCount", mdl.ByteCount);
                json.WriteString("origin", mdl.Origin.ToString());
                json.WriteBoolean("partial", mdl.Flags.HasFlag(MdlFlags.Partial));
                json.WriteNumber("used", Math.Max(0, Math.Min(end, usedEnd) - Math.Max(position, usedStart)));
                json.WriteEndObject();
                position = end;
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartObject("translation");
        json.WriteString("outcome", outcome.ToString());
        if (failure == TranslationFailure.None)
            json.WriteNull("failure");
        else
            json.WriteString("failure", failure.ToString());
        if (ndisPacket is null)
        {
            json.WriteNull("ndisPacket");
        }
        else
        {
            json.WriteStartObject("ndisPacket");
            json.WriteString("status", ndisPacket.Status.Describe());
            json.WriteNumber("headerSize", ndisPacket.HeaderSize);
            Tag(json, ndisPacket.Extension.Ieee8021Q);
            json.WriteStartArray("buffers");
            long total = 0;
            foreach (var buffer in ndisPacket.Buffers)
            {
                total += buffer.ByteCount;
                json.WriteStartObject();
                json.WriteNumber("byteCount", buffer.ByteCount);
                json.WriteString("origin", buffer.Origin.ToString());
                json.WriteBoolean("partial", buffer.Flags.HasFlag(MdlFlags.Partial));
                json.WriteBoolean("sharedWithNetBuffer", TextPacketSink.SharedWith(buffer, nbl));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("totalLength", total);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    public void Completed(NdisStatus status)
    {
        json.WriteString("completionStatus", status.Describe());
        json.WriteEndObject();
        flushIfFull();
    }

    private static void Tag(Utf8JsonWriter json, Ieee8021QInfo tag)
    {
        if (tag.Value == 0)
        {
            json.WriteNull("ieee8021Q");
            return;
        }

        json.WriteStartObject("ieee8021Q");
        json.WriteNumber("userPriority", tag.UserPriority);
        json.WriteNumber("canonicalFormatId", tag.CanonicalFormatId);
        json.WriteNumber("vlanId", tag.VlanId);
        json.WriteEndObject();
    }
}
