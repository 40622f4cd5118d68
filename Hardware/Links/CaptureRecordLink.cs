using CoNdis.Hardware.Capture;
using CoNdis.Hardware.Nic;

namespace CoNdis.Hardware.Links;

/// <summary>
/// A capture tap on the transmit side of a link: every frame the NIC puts on the wire is written to a pcapng file as
/// an Enhanced Packet Block on one Ethernet interface (nanosecond timestamps from the frame's transmit time on the
/// device clock), then passed on to the inner port; with no inner port the tap is the end of the wire. One NIC
/// transmits through it (its device thread), so writing takes no lock.
/// </summary>
public sealed class CaptureRecordLink : LinkDecorator
{
    /// <summary>LINKTYPE_ETHERNET.</summary>
    public const uint EthernetLinkType = 1;

    private readonly PcapNgWriter _writer;
    private readonly int _interface;
    private readonly DeviceClock _clock;
    private long _recorded;

    /// <summary>
    /// Records into <paramref name="writer"/> (which stays the caller's to dispose), on <paramref name="captureInterface"/>
    /// or a new Ethernet interface named after the link, in front of <paramref name="inner"/> (null: a sink).
    /// </summary>
    public CaptureRecordLink(PcapNgWriter writer, ILinkPort? inner = null, CaptureInterface? captureInterface = null,
        DeviceClock? clock = null, string name = "capture record")
        : base(inner ?? new SinkPort(), name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _clock = clock ?? DeviceClock.System;
        captureInterface ??= new CaptureInterface(EthernetLinkType, 262144, InterfaceOptions(name));
        _interface = writer.AddInterface(captureInterface);
    }

    /// <summary>Frames written.</summary>
    public long Recorded => Interlocked.Read(ref _recorded);

    /// <summary>The interface index the frames are written on.</summary>
    public int InterfaceIndex => _interface;

    public override bool Transmit(LinkFrame frame)
    {
        // A frame the far end pauses is transmitted again later: it is on the wire (and recorded) once, when taken.
        if (!Inner.Transmit(frame))
            return false;
        long time = frame.TimestampNanoseconds != 0 ? frame.TimestampNanoseconds : _clock.NowNanoseconds;
        _writer.WritePacket(_interface, CaptureTimestamp.FromUnixNanoseconds(time), frame.Data, (uint)frame.Data.Length);
        Interlocked.Increment(ref _recorded);
        return true;
    }

    private static byte[] InterfaceOptions(string name)
    {
        var options = new System.Buffers.ArrayBufferWriter<byte>();
        PcapNgOptions.AppendString(options, PcapNgOptions.IfName, name);
        PcapNgOptions.Append(options, PcapNgOptions.IfTimestampResolution, [9]);
        return options.WrittenSpan.ToArray();
    }

    /// <summary>The far end of a tap with nothing behind it: takes every frame, never sends one.</summary>
    private sealed class SinkPort : ILinkPort
    {
        public string Name => "sink";

        public bool IsUp => true;

        public long SpeedBitsPerSecond => 10_000_000_000;

        public void Attach(ILinkReceiver receiver)
        {
        }

        public void Detach(ILinkReceiver receiver)
        {
        }

        public bool Transmit(LinkFrame frame) => true;

        public void ReceiverReady()
        {
        }
    }
}
