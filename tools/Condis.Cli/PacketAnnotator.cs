using System.Buffers;
using System.Globalization;
using CoNdis.Hardware.Capture;

namespace Condis.Cli;

/// <summary>
/// For <c>convert --annotate</c>: a pcapng comment (opt_comment) per packet with the NBL/NB/MDL layout the frame
/// travelled as and the NDIS_PACKET of the 5.x side, produced by the same <see cref="DataPathInspector"/>,
/// <see cref="FrameNetBufferListBuilder"/> and <see cref="TextPacketSink"/> as <c>inspect --packets</c>, so the two agree
/// line for line. The comment is added after the record's own options, which are kept.
/// </summary>
internal sealed class PacketAnnotator : IDisposable
{
    private readonly DataPathInspector _inspector = new(CaptureReaderOptions.DefaultMaxPacketLength);
    private readonly StringWriter _text = new(CultureInfo.InvariantCulture);
    private readonly TextPacketSink _sink;
    private readonly ArrayBufferWriter<byte> _options = new(4096);
    private readonly string _heading;

    public PacketAnnotator(string pairing)
    {
        _sink = new TextPacketSink(_text);
        _heading = pairing switch
        {
            "native/native" => "condis convert, native/native over loopback: sent and received as the NBL below (the NDIS_PACKET is what a 5.x miniport would get)\n",
            "native/legacy" => "condis convert, native/legacy over loopback: the native client's NBL below, translated into the NDIS_PACKET below for the 5.x miniport\n",
            "legacy/native" => "condis convert, legacy/native over loopback: the 5.x client's NDIS_PACKET (buffers as below), translated into the NBL below for the native miniport\n",
            _ => "condis convert, legacy/legacy over loopback: the 5.x client's NDIS_PACKET, translated into the NBL below and back into the NDIS_PACKET below for the 5.x miniport\n",
        };
    }

    /// <summary>Translation problems the inspector met (0: each packet's layout was described and freed clean).</summary>
    public int Problems => _inspector.Problems;

    /// <summary>The record's options followed by the comment describing <paramref name="packet"/>; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Annotate(long number, in CapturePacket packet)
    {
        _text.GetStringBuilder().Clear();
        _text.Write(_heading);
        _inspector.Inspect(number, packet, _sink);
        var text = _text.GetStringBuilder();
        while (text.Length > 0 && text[^1] == '\n')
            text.Length--;
        _options.ResetWrittenCount();
        _options.Write(packet.Options);
        PcapNgOptions.AppendString(_options, PcapNgOptions.Comment, text.ToString());
        return _options.WrittenMemory;
    }

    public void Dispose() => _inspector.Dispose();
}
