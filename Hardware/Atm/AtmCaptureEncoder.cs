using System.Buffers.Binary;
using CoNdis.Hardware.Capture;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// Turns a sequence of frames into ATM capture records on one VC: each frame is encapsulated per RFC 2684 (LLC/SNAP or
/// VC-multiplexed, routed or bridged), made an AAL5 CPCS-PDU (pad, trailer, CRC-32), and written as a SunATM record
/// (the SDU), an ERF AAL5 record (the whole PDU), or one ERF cell record per cell (timestamps one cell slot apart at the line rate). This is the
/// engine of <c>condis cells</c>; it allocates nothing per frame.
/// </summary>
public sealed class AtmCaptureEncoder : IDisposable
{
    private const ushort EtherTypeVlan = 0x8100;
    private const ushort EtherTypeQinQ = 0x88A8;

    private readonly SunAtmWriter? _sunAtm;
    private readonly ErfWriter? _erf;
    private readonly byte[] _pdu = new byte[Aal5.MaximumPduLength];
    private readonly byte[] _header = new byte[Rfc2684.MaximumHeaderLength];
    private readonly long _slotPicoseconds;
    private readonly AtmCellHeader _cellHeader;

    /// <summary>Writes the capture's header to <paramref name="output"/>; records follow with each <see cref="Encode"/>.</summary>
    public AtmCaptureEncoder(Stream output, AtmRecordFormat format, AtmCaptureEncoderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        Options = options ?? new AtmCaptureEncoderOptions();
        Options.Validate();
        Format = format;
        switch (format)
        {
            case AtmRecordFormat.SunAtm:
                _sunAtm = new SunAtmWriter(output, Options.Container, leaveOpen);
                break;
            case AtmRecordFormat.ErfAal5:
            case AtmRecordFormat.ErfCell:
                _erf = new ErfWriter(output, Options.Container, leaveOpen);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "The format is SunAtm, ErfAal5 or ErfCell.");
        }
        _slotPicoseconds = AtmLine.CellSlotPicoseconds(Options.LineRateBitsPerSecond);
        _cellHeader = new AtmCellHeader(Options.Vpi, Options.Vci);
    }

    public AtmCaptureEncoderOptions Options { get; }

    public AtmRecordFormat Format { get; }

    /// <summary>Frames written.</summary>
    public long FramesEncoded { get; private set; }

    /// <summary>Frames not written (see <see cref="AtmEncodeResult"/>).</summary>
    public long FramesSkipped { get; private set; }

    /// <summary>Records written (one per frame, or one per cell for <see cref="AtmRecordFormat.ErfCell"/>).</summary>
    public long RecordsWritten => _sunAtm?.RecordCount ?? _erf!.RecordCount;

    /// <summary>Cells the frames written took on the line.</summary>
    public long Cells { get; private set; }

    /// <summary>The traffic type SunATM records carry for the options' encapsulation and VC.</summary>
    public SunAtmTrafficType TrafficType =>
        Options.Vpi == 0 && Options.Vci == 5 ? SunAtmTrafficType.Signalling
        : Rfc2684.IsLlc(Options.Encapsulation) ? SunAtmTrafficType.LlcMultiplexed
        : SunAtmTrafficType.Unknown;

    /// <summary>Encapsulates one frame sent at <paramref name="timestamp"/> and writes its record(s).</summary>
    public AtmEncodeResult Encode(CaptureTimestamp timestamp, ReadOnlySpan<byte> frame)
    {
        var result = BuildPdu(frame, out int pduLength, out int sduLength);
        if (result == AtmEncodeResult.Encoded && _erf is not null && Format == AtmRecordFormat.ErfAal5 && pduLength > ErfWriter.MaximumAal5PduLength)
            result = AtmEncodeResult.TooLong;
        if (result != AtmEncodeResult.Encoded)
        {
            FramesSkipped++;
            return result;
        }
        var pdu = _pdu.AsSpan(0, pduLength);
        int cells = pduLength / AtmCell.PayloadLength;
        switch (Format)
        {
            case AtmRecordFormat.SunAtm:
                _sunAtm!.WriteSdu(timestamp, Options.Vpi, Options.Vci, TrafficType, Options.Direction, pdu[..sduLength]);
                break;
            case AtmRecordFormat.ErfAal5:
                _erf!.WriteAal5(timestamp, _cellHeader, pdu, Options.Direction);
                break;
            default:
                var last = _cellHeader.WithPayloadType(AtmPayloadType.UserDataEndOfPdu);
                for (int i = 0; i < cells; i++)
                {
                    var at = new CaptureTimestamp(timestamp.Seconds, timestamp.Nanoseconds + (_slotPicoseconds * i + 500) / 1000);
                    _erf!.WriteCell(at, i == cells - 1 ? last : _cellHeader, pdu.Slice(i * AtmCell.PayloadLength, AtmCell.PayloadLength), Options.Direction);
                }
                break;
        }
        Cells += cells;
        FramesEncoded++;
        return AtmEncodeResult.Encoded;
    }

    /// <summary>LINKTYPE_ETHERNET.</summary>
    public const uint LinkTypeEthernet = 1;

    /// <summary>
    /// Encodes every packet of <paramref name="reader"/> whose link type carries the options' input — Ethernet
    /// (LINKTYPE_ETHERNET 1) or network-layer packets (LINKTYPE_RAW 101, LINKTYPE_IPV4 228, LINKTYPE_IPV6 229) —
    /// in order, at its own timestamp. Other link types, truncated packets and frames the encapsulation cannot carry
    /// are skipped and counted.
    /// </summary>
    public AtmEncodeSummary EncodeAll(CaptureReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long read = 0, linkType = 0, truncated = 0, notCarried = 0, before = FramesEncoded, records = RecordsWritten, cells = Cells;
        while (reader.TryReadPacket(out var packet))
        {
            read++;
            uint type = packet.LinkType & 0x0FFFFFFF;
            bool carried = Options.Input == AtmFrameKind.Ethernet ? type == LinkTypeEthernet : type is 101 or 228 or 229;
            if (!carried)
            {
                linkType++;
                FramesSkipped++;
                continue;
            }
            if (packet.IsTruncated)
            {
                truncated++;
                FramesSkipped++;
                continue;
            }
            if (Encode(packet.Timestamp, packet.Data) != AtmEncodeResult.Encoded)
                notCarried++;
        }
        Flush();
        return new AtmEncodeSummary(read, FramesEncoded - before, linkType, truncated, notCarried, RecordsWritten - records, Cells - cells);
    }

    private AtmEncodeResult BuildPdu(ReadOnlySpan<byte> frame, out int pduLength, out int sduLength)
    {
        pduLength = 0;
        sduLength = 0;
        if (frame.IsEmpty)
            return AtmEncodeResult.Empty;
        var encapsulation = Options.Encapsulation;
        ReadOnlySpan<byte> payload = frame;
        ushort etherType = 0;
        if (!Rfc2684.IsBridged(encapsulation) && encapsulation != Rfc2684Encapsulation.None)
        {
            if (Options.Input == AtmFrameKind.Ethernet)
            {
                int at = 12;
                if (frame.Length < 14)
                    return AtmEncodeResult.NotRouted;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
                while ((etherType == EtherTypeVlan || etherType == EtherTypeQinQ) && frame.Length >= at + 6)
                {
                    at += 4;
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
                }
                if (etherType < 0x0600)
                    return AtmEncodeResult.NotRouted;
                payload = frame[(at + 2)..];
            }
            else
            {
                etherType = Rfc2684.EtherTypeOfIpPacket(frame);
            }
        }
        int headerLength = Rfc2684.WriteHeader(encapsulation, etherType, _header);
        if (headerLength + payload.Length > Aal5.MaximumSduLength)
            return AtmEncodeResult.TooLong;
        if (headerLength + payload.Length == 0)
            return AtmEncodeResult.Empty;
        sduLength = headerLength + payload.Length;
        pduLength = Aal5.BuildPdu(_header.AsSpan(0, headerLength), payload, _pdu);
        return AtmEncodeResult.Encoded;
    }

    public void Flush()
    {
        _sunAtm?.Flush();
        _erf?.Flush();
    }

    public void Dispose()
    {
        _sunAtm?.Dispose();
        _erf?.Dispose();
    }
}
