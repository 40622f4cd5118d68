using System.Buffers.Binary;
using CoNdis.Hardware.Atm;

namespace CoNdis.Hardware.Capture;

/// <summary>
/// Writes LINKTYPE_SUNATM (123) records, as Solaris' SunATM driver captured them and Wireshark reads them: a 4-octet
/// pseudo-header (flags: 0x80 for DTE→DCE, the traffic type in the low nibble; VPI; VCI big-endian) followed by the
/// reassembled AAL5 CPCS-SDU, without pad or trailer (Wireshark reads SunATM PDUs as trailer-less: it finds the SSCOP
/// trailer of a signalling PDU at the SDU's end), and dissects it: Q.2931 over SSCOP on signalling records, LLC/SNAP
/// down to IP on LLC-multiplexed ones. In a pcap or a pcapng file.
/// Allocates nothing per record.
/// </summary>
public sealed class SunAtmWriter : IDisposable
{
    /// <summary>LINKTYPE_SUNATM.</summary>
    public const uint LinkType = 123;

    /// <summary>Octets of the pseudo-header.</summary>
    public const int PseudoHeaderLength = 4;

    private readonly LinkTypeRecordSink _sink;
    private readonly byte[] _record = new byte[PseudoHeaderLength + Aal5.MaximumSduLength];

    /// <summary>Writes the file header to <paramref name="stream"/> (a pcap file, or pcapng with one SunATM interface).</summary>
    public SunAtmWriter(Stream stream, CaptureFormat container = CaptureFormat.Pcap, bool leaveOpen = false, string interfaceName = "atm0") =>
        _sink = new LinkTypeRecordSink(stream, LinkType, container, interfaceName, leaveOpen);

    /// <summary>Records written.</summary>
    public long RecordCount { get; private set; }

    /// <summary>The underlying capture writer.</summary>
    public CaptureWriter Writer => _sink.Writer;

    /// <summary>Writes one record: the pseudo-header and the CPCS-SDU <paramref name="sdu"/> (the AAL5 payload, without pad or trailer).</summary>
    public void WriteSdu(CaptureTimestamp timestamp, int vpi, int vci, SunAtmTrafficType trafficType, AtmCaptureDirection direction, ReadOnlySpan<byte> sdu)
    {
        if ((uint)vpi > 0xFF)
            throw new ArgumentOutOfRangeException(nameof(vpi), vpi, "SunATM records carry an 8-bit VPI.");
        if ((uint)vci > 0xFFFF)
            throw new ArgumentOutOfRangeException(nameof(vci), vci, "SunATM records carry a 16-bit VCI.");
        if (sdu.Length > Aal5.MaximumSduLength)
            throw new ArgumentException($"A CPCS-SDU has at most {Aal5.MaximumSduLength} octets; {sdu.Length} given.", nameof(sdu));
        WritePseudoHeader(_record, vpi, vci, trafficType, direction);
        sdu.CopyTo(_record.AsSpan(PseudoHeaderLength));
        _sink.Write(timestamp, _record.AsSpan(0, PseudoHeaderLength + sdu.Length));
        RecordCount++;
    }

    /// <summary>The four pseudo-header octets.</summary>
    public static void WritePseudoHeader(Span<byte> destination, int vpi, int vci, SunAtmTrafficType trafficType, AtmCaptureDirection direction)
    {
        destination[0] = (byte)((direction == AtmCaptureDirection.Transmitted ? 0x80 : 0x00) | ((int)trafficType & 0x0F));
        destination[1] = (byte)vpi;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)vci);
    }

    public void Flush() => _sink.Flush();

    public void Dispose() => _sink.Dispose();
}
