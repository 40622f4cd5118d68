using System.Buffers.Binary;
using CoNdis.Hardware.Atm;

namespace CoNdis.Hardware.Capture;

/// <summary>
/// Writes ATM traffic as Endace ERF records in a LINKTYPE_ERF (197) capture: each packet is one ERF record, the
/// 16-octet ERF header (timestamp as 32.32 fixed-point seconds, little-endian; type; flags with the interface in bits
/// 0–1 and the variable-length bit 0x04; rlen, lctr, wlen big-endian) then the record: for <see cref="ErfRecordType.Aal5"/>
/// the 4-octet ATM header and the whole CPCS-PDU (Wireshark checks its CRC-32 and dissects the payload), for
/// <see cref="ErfRecordType.AtmCell"/> the 4-octet header and the 48-octet payload. Allocates nothing per record.
/// </summary>
public sealed class ErfWriter : IDisposable
{
    /// <summary>LINKTYPE_ERF.</summary>
    public const uint LinkType = 197;

    /// <summary>Octets of the ERF record header.</summary>
    public const int HeaderLength = 16;

    /// <summary>flags bit: the record has a variable length (AAL5 records).</summary>
    public const byte VariableLengthFlag = 0x04;

    private readonly LinkTypeRecordSink _sink;
    private readonly byte[] _record = new byte[HeaderLength + AtmCellHeader.LengthWithoutHec + Aal5.MaximumPduLength];

    /// <summary>Writes the file header to <paramref name="stream"/> (a pcap file, or pcapng with one ERF interface).</summary>
    public ErfWriter(Stream stream, CaptureFormat container = CaptureFormat.Pcap, bool leaveOpen = false, string interfaceName = "erf0") =>
        _sink = new LinkTypeRecordSink(stream, LinkType, container, interfaceName, leaveOpen);

    /// <summary>Records written.</summary>
    public long RecordCount { get; private set; }

    /// <summary>The underlying capture writer.</summary>
    public CaptureWriter Writer => _sink.Writer;

    /// <summary>Writes an AAL5 record: the header of the PDU's cells (its PTI does not matter) and the whole CPCS-PDU.</summary>
    public void WriteAal5(CaptureTimestamp timestamp, AtmCellHeader header, ReadOnlySpan<byte> cpcsPdu, AtmCaptureDirection direction = AtmCaptureDirection.Transmitted)
    {
        if (cpcsPdu.Length > MaximumAal5PduLength)
            throw new ArgumentException($"An ERF record holds at most {ushort.MaxValue} octets (rlen is 16 bits): a CPCS-PDU of {cpcsPdu.Length} octets does not fit (at most {MaximumAal5PduLength}).", nameof(cpcsPdu));
        header.WithPayloadType(AtmPayloadType.UserData).WriteWithoutHec(_record.AsSpan(HeaderLength));
        cpcsPdu.CopyTo(_record.AsSpan(HeaderLength + AtmCellHeader.LengthWithoutHec));
        WriteRecord(timestamp, ErfRecordType.Aal5, direction, AtmCellHeader.LengthWithoutHec + cpcsPdu.Length);
    }

    /// <summary>Writes an AAL5 record for <paramref name="sdu"/>: its pad and trailer (CRC-32) are built here.</summary>
    public void WriteAal5Sdu(CaptureTimestamp timestamp, AtmCellHeader header, ReadOnlySpan<byte> sdu, AtmCaptureDirection direction = AtmCaptureDirection.Transmitted)
    {
        if (Aal5.PduLength(sdu.Length) > MaximumAal5PduLength)
            throw new ArgumentException($"An ERF record holds at most {ushort.MaxValue} octets (rlen is 16 bits): the CPCS-PDU of a {sdu.Length}-octet SDU does not fit (at most {MaximumAal5PduLength}).", nameof(sdu));
        header.WithPayloadType(AtmPayloadType.UserData).WriteWithoutHec(_record.AsSpan(HeaderLength));
        int length = Aal5.BuildPdu(sdu, _record.AsSpan(HeaderLength + AtmCellHeader.LengthWithoutHec));
        WriteRecord(timestamp, ErfRecordType.Aal5, direction, AtmCellHeader.LengthWithoutHec + length);
    }

    /// <summary>Writes a cell record: the header (as given, PTI and CLP included; no HEC) and the 48-octet payload.</summary>
    public void WriteCell(CaptureTimestamp timestamp, AtmCellHeader header, ReadOnlySpan<byte> payload, AtmCaptureDirection direction = AtmCaptureDirection.Transmitted)
    {
        if (payload.Length != AtmCell.PayloadLength)
            throw new ArgumentException($"A cell payload has {AtmCell.PayloadLength} octets; {payload.Length} given.", nameof(payload));
        header.WriteWithoutHec(_record.AsSpan(HeaderLength));
        payload.CopyTo(_record.AsSpan(HeaderLength + AtmCellHeader.LengthWithoutHec));
        WriteRecord(timestamp, ErfRecordType.AtmCell, direction, AtmCellHeader.LengthWithoutHec + AtmCell.PayloadLength);
    }

    /// <summary>Writes a cell record for a 53-octet cell as it was on the wire (the HEC is dropped, as ERF stores it).</summary>
    public void WriteCell(CaptureTimestamp timestamp, ReadOnlySpan<byte> cell, AtmCaptureDirection direction = AtmCaptureDirection.Transmitted)
    {
        if (cell.Length != AtmCell.Length)
            throw new ArgumentException($"A cell has {AtmCell.Length} octets; {cell.Length} given.", nameof(cell));
        WriteCell(timestamp, AtmCellHeader.Read(cell), AtmCell.Payload(cell), direction);
    }

    /// <summary>The ERF timestamp of <paramref name="timestamp"/>: seconds in the upper 32 bits, the binary fraction below.</summary>
    public static ulong ToErfTimestamp(CaptureTimestamp timestamp)
    {
        if (timestamp.Seconds is < 0 or > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(timestamp), "ERF timestamps hold 1970-01-01 to 2106-02-07 only.");
        ulong fraction = (((ulong)timestamp.Nanoseconds << 32) + 500_000_000) / 1_000_000_000;
        return ((ulong)timestamp.Seconds << 32) + fraction;
    }

    /// <summary>The longest CPCS-PDU an AAL5 record holds: ERF's rlen is 16 bits and counts the 20 octets of headers too.</summary>
    public const int MaximumAal5PduLength = ushort.MaxValue - HeaderLength - AtmCellHeader.LengthWithoutHec;

    private void WriteRecord(CaptureTimestamp timestamp, ErfRecordType type, AtmCaptureDirection direction, int bodyLength)
    {
        var header = _record.AsSpan(0, HeaderLength);
        BinaryPrimitives.WriteUInt64LittleEndian(header, ToErfTimestamp(timestamp));
        header[8] = (byte)type;
        header[9] = (byte)((direction == AtmCaptureDirection.Transmitted ? 0 : 1) | (type == ErfRecordType.Aal5 ? VariableLengthFlag : 0));
        int recordLength = HeaderLength + bodyLength;
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], (ushort)recordLength);
        BinaryPrimitives.WriteUInt16BigEndian(header[12..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(header[14..], (ushort)bodyLength);
        _sink.Write(timestamp, _record.AsSpan(0, recordLength));
        RecordCount++;
    }

    public void Flush() => _sink.Flush();

    public void Dispose() => _sink.Dispose();
}
