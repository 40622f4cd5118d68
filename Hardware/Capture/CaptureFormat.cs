namespace CoNdis.Hardware.Capture;

/// <summary>The capture file formats the readers detect by content and the writers produce (libpcap and pcapng).</summary>
public enum CaptureFormat
{
    /// <summary>Classic libpcap: one link type, microsecond or nanosecond timestamps, either byte order.</summary>
    Pcap = 1,

    /// <summary>pcapng: sections, interfaces with options, packet blocks.</summary>
    PcapNg = 2,
}
