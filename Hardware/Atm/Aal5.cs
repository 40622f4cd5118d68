using System.Buffers.Binary;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// The AAL5 common part convergence sublayer (ITU-T I.363.5 §10): a CPCS-PDU is the CPCS-SDU (1 to 65535 octets),
/// 0–47 octets of pad, then the 8-octet trailer CPCS-UU (1), CPI (1), Length (2, the SDU's length), CRC-32 (4), so
/// that the whole is a multiple of 48 octets: one cell payload each, the last cell marked by the SDU-type bit of its PTI.
/// </summary>
public static class Aal5
{
    /// <summary>Octets of payload per cell.</summary>
    public const int CellPayloadLength = 48;

    /// <summary>Octets of the CPCS-PDU trailer.</summary>
    public const int TrailerLength = 8;

    /// <summary>The longest CPCS-SDU the 16-bit Length field describes.</summary>
    public const int MaximumSduLength = 65535;

    /// <summary>The longest CPCS-PDU (a 65535-octet SDU, its pad and trailer).</summary>
    public const int MaximumPduLength = (MaximumSduLength + TrailerLength + CellPayloadLength - 1) / CellPayloadLength * CellPayloadLength;

    /// <summary>The CPCS-PDU length for an SDU of <paramref name="sduLength"/> octets (an abort, length 0, takes one cell).</summary>
    public static int PduLength(int sduLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sduLength);
        return (sduLength + TrailerLength + CellPayloadLength - 1) / CellPayloadLength * CellPayloadLength;
    }

    /// <summary>Cells that carry an SDU of <paramref name="sduLength"/> octets.</summary>
    public static int CellCount(int sduLength) => PduLength(sduLength) / CellPayloadLength;

    /// <summary>
    /// Builds the CPCS-PDU of <paramref name="prefix"/> followed by <paramref name="sdu"/> (the prefix is part of the
    /// SDU: an RFC 2684 header, for example) into <paramref name="pdu"/>: pad of zeros, UU, CPI, Length and the CRC-32.
    /// Returns the PDU's length. An empty SDU makes the abort PDU (Length 0).
    /// </summary>
    public static int BuildPdu(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> sdu, Span<byte> pdu, byte userToUser = 0, byte commonPartIndicator = 0)
    {
        int sduLength = prefix.Length + sdu.Length;
        if (sduLength > MaximumSduLength)
            throw new ArgumentException($"An AAL5 CPCS-SDU has at most {MaximumSduLength} octets; {sduLength} given.", nameof(sdu));
        int length = PduLength(sduLength);
        if (pdu.Length < length)
            throw new ArgumentException($"The PDU needs {length} octets; the buffer has {pdu.Length}.", nameof(pdu));
        prefix.CopyTo(pdu);
        sdu.CopyTo(pdu[prefix.Length..]);
        pdu[sduLength..(length - TrailerLength)].Clear();
        WriteTrailer(pdu[..length], sduLength, userToUser, commonPartIndicator);
        return length;
    }

    /// <summary>Builds the CPCS-PDU of <paramref name="sdu"/> into <paramref name="pdu"/>; returns its length.</summary>
    public static int BuildPdu(ReadOnlySpan<byte> sdu, Span<byte> pdu, byte userToUser = 0, byte commonPartIndicator = 0) =>
        BuildPdu([], sdu, pdu, userToUser, commonPartIndicator);

    /// <summary>Writes UU, CPI, Length and the CRC-32 over everything before it into the last 8 octets of <paramref name="pdu"/>.</summary>
    public static void WriteTrailer(Span<byte> pdu, int sduLength, byte userToUser = 0, byte commonPartIndicator = 0)
    {
        int at = pdu.Length - TrailerLength;
        pdu[at] = userToUser;
        pdu[at + 1] = commonPartIndicator;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[(at + 2)..], (ushort)sduLength);
        BinaryPrimitives.WriteUInt32BigEndian(pdu[(at + 4)..], Aal5Crc32.Compute(pdu[..(at + 4)]));
    }

    /// <summary>
    /// The CPCS receiver's checks on a reassembled PDU: cell-aligned, CRC-32 residue, Length not 0 (abort) and
    /// consistent with the pad. On <see cref="Aal5Status.Valid"/>, <paramref name="sduLength"/> is the SDU's length.
    /// </summary>
    public static Aal5Status Check(ReadOnlySpan<byte> pdu, out int sduLength)
    {
        sduLength = 0;
        if (pdu.Length < CellPayloadLength || pdu.Length % CellPayloadLength != 0)
            return Aal5Status.NotCellAligned;
        if (Aal5Crc32.Update(Aal5Crc32.Initial, pdu) != Aal5Crc32.Residue)
            return Aal5Status.CrcError;
        int length = BinaryPrimitives.ReadUInt16BigEndian(pdu[^6..]);
        if (length == 0)
            return Aal5Status.Aborted;
        int pad = pdu.Length - TrailerLength - length;
        if (pad is < 0 or >= CellPayloadLength)
            return Aal5Status.LengthError;
        sduLength = length;
        return Aal5Status.Valid;
    }

    /// <summary>The CPCS-UU octet of a PDU.</summary>
    public static byte UserToUser(ReadOnlySpan<byte> pdu) => pdu[^8];

    /// <summary>The CPI octet of a PDU.</summary>
    public static byte CommonPartIndicator(ReadOnlySpan<byte> pdu) => pdu[^7];
}
