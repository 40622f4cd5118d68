namespace CoNdis.Hardware.Atm;

/// <summary>
/// A 53-octet ATM cell (ITU-T I.361): the 5-octet header (<see cref="AtmCellHeader"/>, HEC last) and 48 octets of
/// payload. Helpers that write cells into caller buffers; nothing allocates.
/// </summary>
public static class AtmCell
{
    /// <summary>Octets of a cell.</summary>
    public const int Length = 53;

    /// <summary>Octets of payload.</summary>
    public const int PayloadLength = 48;

    /// <summary>Writes <paramref name="header"/> (HEC computed) and the 48-octet <paramref name="payload"/> into <paramref name="cell"/>.</summary>
    public static void Write(AtmCellHeader header, ReadOnlySpan<byte> payload, Span<byte> cell)
    {
        if (payload.Length != PayloadLength)
            throw new ArgumentException($"A cell payload has {PayloadLength} octets; {payload.Length} given.", nameof(payload));
        if (cell.Length < Length)
            throw new ArgumentException($"A cell needs {Length} octets; the buffer has {cell.Length}.", nameof(cell));
        header.Write(cell);
        payload.CopyTo(cell[AtmCellHeader.Length..]);
    }

    /// <summary>The payload of a cell.</summary>
    public static ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> cell) => cell.Slice(AtmCellHeader.Length, PayloadLength);

    /// <summary>
    /// Segments an AAL5 CPCS-PDU (a multiple of 48 octets, see <see cref="Aal5.BuildPdu(ReadOnlySpan{byte}, Span{byte}, byte, byte)"/>)
    /// into cells on <paramref name="vpi"/>/<paramref name="vci"/> in <paramref name="cells"/>, the last one's PTI
    /// marking the end of the PDU. Returns the number of cells.
    /// </summary>
    public static int Segment(ReadOnlySpan<byte> pdu, int vpi, int vci, Span<byte> cells, bool cellLossPriority = false)
    {
        if (pdu.Length == 0 || pdu.Length % PayloadLength != 0)
            throw new ArgumentException($"An AAL5 CPCS-PDU is a non-zero multiple of {PayloadLength} octets; {pdu.Length} given.", nameof(pdu));
        int count = pdu.Length / PayloadLength;
        if (cells.Length < count * Length)
            throw new ArgumentException($"{count} cells need {count * Length} octets; the buffer has {cells.Length}.", nameof(cells));
        var body = new AtmCellHeader(vpi, vci, AtmPayloadType.UserData, cellLossPriority);
        var last = body.WithPayloadType(AtmPayloadType.UserDataEndOfPdu);
        for (int i = 0; i < count; i++)
            Write(i == count - 1 ? last : body, pdu.Slice(i * PayloadLength, PayloadLength), cells.Slice(i * Length, Length));
        return count;
    }
}
