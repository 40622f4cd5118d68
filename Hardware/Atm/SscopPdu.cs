using System.Buffers.Binary;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// SSCOP PDUs (ITU-T Q.2110 §7) as the signalling AAL carries them in AAL5 SDUs on VPI 0/VCI 5: the "header" is a
/// trailer. An SD PDU is the user data padded to a multiple of 4 octets, then one octet of pad length (bits 8–7) and
/// PDU type (bits 4–1) and the 24-bit N(S). BGN ends in [reserved ×3, N(SQ)] [type, N(MR)]; BGAK in
/// [reserved ×4] [type, N(MR)]; END in [reserved ×4] [type with the source bit, reserved ×3].
/// </summary>
internal static class SscopPdu
{
    public const byte Begin = 0x01;
    public const byte BeginAcknowledge = 0x02;
    public const byte End = 0x03;
    public const byte EndAcknowledge = 0x04;
    public const byte BeginReject = 0x07;
    public const byte SequencedData = 0x08;

    /// <summary>Octets an SD adds at most: 3 of pad and the 4-octet trailer.</summary>
    public const int SequencedDataOverhead = 7;

    /// <summary>N(MR) this end advertises: the receive window (the model does not run out of it).</summary>
    public const uint Window = 0xFFFF;

    public static int WriteSequencedData(Span<byte> to, ReadOnlySpan<byte> payload, uint sequence)
    {
        int pad = (4 - (payload.Length & 3)) & 3;
        payload.CopyTo(to);
        to.Slice(payload.Length, pad).Clear();
        int at = payload.Length + pad;
        to[at] = (byte)(pad << 6 | SequencedData);
        Write24(to[(at + 1)..], sequence);
        return at + 4;
    }

    public static int WriteBegin(Span<byte> to, byte connectionSequence)
    {
        to[..3].Clear();
        to[3] = connectionSequence;
        to[4] = Begin;
        Write24(to[5..], Window);
        return 8;
    }

    public static int WriteBeginAcknowledge(Span<byte> to)
    {
        to[..4].Clear();
        to[4] = BeginAcknowledge;
        Write24(to[5..], Window);
        return 8;
    }

    public static int WriteEndAcknowledge(Span<byte> to)
    {
        to[..4].Clear();
        to[4] = EndAcknowledge;
        to[5..8].Clear();
        return 8;
    }

    /// <summary>Reads a PDU's type, and for an SD its payload and N(S); false when too short to be a PDU.</summary>
    public static bool TryRead(ReadOnlySpan<byte> pdu, out byte type, out ReadOnlySpan<byte> payload, out uint sequence)
    {
        payload = default;
        sequence = 0;
        type = 0;
        if (pdu.Length < 4 || (pdu.Length & 3) != 0)
            return false;
        byte last = pdu[^4];
        type = (byte)(last & 0x0F);
        sequence = (uint)(pdu[^3] << 16 | pdu[^2] << 8 | pdu[^1]);
        if (type == SequencedData)
        {
            int pad = last >> 6;
            if (pdu.Length - 4 < pad)
                return false;
            payload = pdu[..(pdu.Length - 4 - pad)];
        }
        return true;
    }

    private static void Write24(Span<byte> to, uint value)
    {
        to[0] = (byte)(value >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(to[1..], (ushort)value);
    }
}
