namespace CoNdis.Hardware.Capture;

/// <summary>Where a record writer of one link type puts its records: a pcap file of that link type, or one pcapng interface.</summary>
internal sealed class LinkTypeRecordSink : IDisposable
{
    private readonly PcapWriter? _pcap;
    private readonly PcapNgWriter? _pcapNg;
    private readonly int _interface;

    public LinkTypeRecordSink(Stream stream, uint linkType, CaptureFormat container, string interfaceName, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(interfaceName);
        switch (container)
        {
            case CaptureFormat.Pcap:
                _pcap = new PcapWriter(stream, linkType, PcapWriter.DefaultSnapLength, nanosecond: true, leaveOpen: leaveOpen);
                break;
            case CaptureFormat.PcapNg:
                _pcapNg = new PcapNgWriter(stream, leaveOpen: leaveOpen);
                var options = new System.Buffers.ArrayBufferWriter<byte>();
                PcapNgOptions.AppendString(options, PcapNgOptions.IfName, interfaceName);
                PcapNgOptions.Append(options, PcapNgOptions.IfTimestampResolution, [9]);
                _interface = _pcapNg.AddInterface(new CaptureInterface(linkType, PcapWriter.DefaultSnapLength, options.WrittenSpan));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(container), container, "The container is pcap or pcapng.");
        }
    }

    public CaptureWriter Writer => (CaptureWriter?)_pcap ?? _pcapNg!;

    public void Write(CaptureTimestamp timestamp, ReadOnlySpan<byte> record)
    {
        if (_pcap is not null)
            _pcap.WritePacket(timestamp, record, (uint)record.Length);
        else
            _pcapNg!.WritePacket(_interface, timestamp, record, (uint)record.Length);
    }

    public void Flush() => Writer.Flush();

    public void Dispose() => Writer.Dispose();
}
