using System.Buffers.Binary;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// Contents (octet 5 on) of the Q.2931 / UNI 3.1 information elements the device's signalling uses, written and
/// read as the recommendation codes them (ITU-T Q.2931 §4.5, ATM Forum UNI 3.1 §5.4.5).
/// </summary>
internal static class Q2931Elements
{
    public const byte Cause = 0x08;
    public const byte AalParameters = 0x58;
    public const byte TrafficDescriptor = 0x59;
    public const byte ConnectionIdentifier = 0x5A;
    public const byte BroadbandBearerCapability = 0x5E;
    public const byte BroadbandLowLayerInformation = 0x5F;
    public const byte CallingPartyNumber = 0x6C;
    public const byte CalledPartyNumber = 0x70;

    /// <summary>AAL parameters for AAL5: type 5, forward (0x8C) and backward (0x81) maximum CPCS-SDU, mode message (0x83, UNI 3.1), SSCS null (0x84).</summary>
    public static int WriteAal5(Span<byte> to, int forwardMaxSdu, int backwardMaxSdu)
    {
        to[0] = 0x05;
        to[1] = 0x8C;
        BinaryPrimitives.WriteUInt16BigEndian(to[2..], (ushort)forwardMaxSdu);
        to[4] = 0x81;
        BinaryPrimitives.WriteUInt16BigEndian(to[5..], (ushort)backwardMaxSdu);
        to[7] = 0x83;
        to[8] = 0x01;
        to[9] = 0x84;
        to[10] = 0x00;
        return 11;
    }

    public static bool TryReadAal5(ReadOnlySpan<byte> ie, out int forwardMaxSdu, out int backwardMaxSdu)
    {
        forwardMaxSdu = backwardMaxSdu = 0;
        if (ie.Length < 1 || ie[0] != 0x05)
            return false;
        for (int at = 1; at < ie.Length;)
        {
            byte id = ie[at++];
            int size = id is 0x8C or 0x81 ? 2 : id is 0x83 or 0x84 ? 1 : -1;
            if (size < 0 || at + size > ie.Length)
                return false;
            if (id == 0x8C)
                forwardMaxSdu = BinaryPrimitives.ReadUInt16BigEndian(ie[at..]);
            else if (id == 0x81)
                backwardMaxSdu = BinaryPrimitives.ReadUInt16BigEndian(ie[at..]);
            at += size;
        }
        return true;
    }

    /// <summary>
    /// ATM traffic descriptor: forward/backward peak cell rate CLP=0+1 (0x84/0x85), sustainable cell rate (0x90/0x91)
    /// and maximum burst size (0xB0/0xB1) when given, and the best effort indicator (0xBE) for UBR, whose peak rate
    /// (UNI 3.1 requires one) is the line's cell rate when the contract names none.
    /// </summary>
    public static int WriteTrafficDescriptor(Span<byte> to, AtmTrafficDescriptor forward, AtmTrafficDescriptor backward, long lineCellRate)
    {
        int at = 0;
        void Put(Span<byte> span, byte id, long value)
        {
            span[at] = id;
            span[at + 1] = (byte)(value >> 16);
            span[at + 2] = (byte)(value >> 8);
            span[at + 3] = (byte)value;
            at += 4;
        }
        long Pcr(AtmTrafficDescriptor t) => Math.Min(0xFFFFFF, t.PeakCellRate > 0 ? t.PeakCellRate : lineCellRate);
        Put(to, 0x84, Pcr(forward));
        Put(to, 0x85, Pcr(backward));
        if (forward.SustainableCellRate > 0)
            Put(to, 0x90, Math.Min(0xFFFFFF, forward.SustainableCellRate));
        if (backward.SustainableCellRate > 0)
            Put(to, 0x91, Math.Min(0xFFFFFF, backward.SustainableCellRate));
        if (forward.MaximumBurstSize > 0)
            Put(to, 0xB0, Math.Min(0xFFFFFF, forward.MaximumBurstSize));
        if (backward.MaximumBurstSize > 0)
            Put(to, 0xB1, Math.Min(0xFFFFFF, backward.MaximumBurstSize));
        if (forward.ServiceCategory == AtmServiceCategory.Ubr)
            to[at++] = 0xBE;
        return at;
    }

    public static bool TryReadTrafficDescriptor(ReadOnlySpan<byte> ie, AtmServiceCategory category, long lineCellRate, out AtmTrafficDescriptor forward, out AtmTrafficDescriptor backward)
    {
        long fp = 0, bp = 0, fs = 0, bs = 0, fm = 0, bm = 0;
        bool bestEffort = false;
        forward = backward = default;
        for (int at = 0; at < ie.Length;)
        {
            byte id = ie[at++];
            if (id == 0xBE)
            {
                bestEffort = true;
                continue;
            }
            if (id == 0xBF)
            {
                at++;
                continue;
            }
            if (at + 3 > ie.Length)
                return false;
            long value = ie[at] << 16 | ie[at + 1] << 8 | ie[at + 2];
            at += 3;
            switch (id)
            {
                case 0x82 or 0x84: fp = value; break;
                case 0x83 or 0x85: bp = value; break;
                case 0x88 or 0x90: fs = value; break;
                case 0x89 or 0x91: bs = value; break;
                case 0xA0 or 0xB0: fm = value; break;
                case 0xA1 or 0xB1: bm = value; break;
                default: return false;
            }
        }
        if (bestEffort)
            category = AtmServiceCategory.Ubr;
        // A best-effort peak rate at (or above) the line rate is "no limit".
        long Limit(long pcr) => bestEffort && pcr >= lineCellRate ? 0 : pcr;
        forward = new AtmTrafficDescriptor(category, Limit(fp), fs, (int)fm);
        backward = new AtmTrafficDescriptor(category, Limit(bp), bs, (int)bm);
        return true;
    }

    /// <summary>Broadband bearer capability: BCOB-X, the UNI 3.1 traffic type (CBR, VBR or none), not susceptible to clipping, point-to-point.</summary>
    public static int WriteBearerCapability(Span<byte> to, AtmServiceCategory category)
    {
        to[0] = 0x10;
        to[1] = (byte)(0x80 | category switch { AtmServiceCategory.Cbr => 0x04, AtmServiceCategory.Vbr => 0x08, _ => 0x00 });
        to[2] = 0x80;
        return 3;
    }

    public static AtmServiceCategory ReadBearerCapability(ReadOnlySpan<byte> ie)
    {
        if (ie.Length < 2 || (ie[0] & 0x80) != 0)
            return AtmServiceCategory.Ubr;
        return ((ie[1] >> 2) & 7) switch { 1 => AtmServiceCategory.Cbr, 2 => AtmServiceCategory.Vbr, _ => AtmServiceCategory.Ubr };
    }

    /// <summary>
    /// Broadband low layer information naming the VC's RFC 2684 encapsulation (RFC 1755 / RFC 2331 codings): LLC is
    /// user information layer 2 protocol ISO 8802/2 (0x0C); VC multiplexing is layer 3 ISO/IEC TR 9577 with IPI 0xCC
    /// (routed IP) or IPI 0x80 (SNAP) OUI 00-80-C2 PID 00-07 (bridged Ethernet). The model marks LLC bridged by adding
    /// that SNAP layer 3 to the LLC layer 2 (RFC 2684 leaves the choice to the ends). Returns 0 for no encapsulation.
    /// </summary>
    public static int WriteBlli(Span<byte> to, Rfc2684Encapsulation encapsulation)
    {
        int at = 0;
        if (Rfc2684.IsLlc(encapsulation))
            to[at++] = 0x80 | 0x40 | 0x0C;
        switch (encapsulation)
        {
            case Rfc2684Encapsulation.VcMuxRouted:
                to[at++] = 0x60 | 0x0B;
                to[at++] = 0xCC >> 1;
                to[at++] = 0x80;
                break;
            case Rfc2684Encapsulation.VcMuxBridged:
            case Rfc2684Encapsulation.LlcSnapBridged:
                to[at++] = 0x60 | 0x0B;
                to[at++] = 0x80 >> 1;
                to[at++] = 0x80;
                to[at++] = 0x80;
                to[at++] = 0x00;
                to[at++] = 0x80;
                to[at++] = 0xC2;
                to[at++] = 0x00;
                to[at++] = 0x07;
                break;
            default:
                break;
        }
        return at;
    }

    public static Rfc2684Encapsulation ReadBlli(ReadOnlySpan<byte> ie)
    {
        bool llc = false;
        int at = 0;
        if (at < ie.Length && (ie[at] & 0x60) == 0x20)
            at++;
        if (at < ie.Length && (ie[at] & 0x60) == 0x40)
        {
            llc = (ie[at] & 0x1F) == 0x0C;
            while (at < ie.Length && (ie[at] & 0x80) == 0)
                at++;
            at++;
        }
        int ipi = -1;
        if (at + 2 < ie.Length && (ie[at] & 0x60) == 0x60 && (ie[at] & 0x1F) == 0x0B && (ie[at] & 0x80) == 0)
            ipi = (ie[at + 1] & 0x7F) << 1 | (ie[at + 2] & 0x40) >> 6;
        return (llc, ipi) switch
        {
            (true, 0x80) => Rfc2684Encapsulation.LlcSnapBridged,
            (true, _) => Rfc2684Encapsulation.LlcSnapRouted,
            (false, 0xCC) => Rfc2684Encapsulation.VcMuxRouted,
            (false, 0x80) => Rfc2684Encapsulation.VcMuxBridged,
            _ => Rfc2684Encapsulation.None,
        };
    }

    /// <summary>A party number: type of number unknown, numbering plan E.164 (IA5 digits) or NSAP (20 octets), no presentation octet.</summary>
    public static int WriteNumber(Span<byte> to, AtmAddress address)
    {
        to[0] = (byte)(0x80 | (address.Type == AtmAddressType.E164 ? 0x01 : 0x02));
        address.Digits.CopyTo(to[1..]);
        return 1 + address.Digits.Length;
    }

    public static bool TryReadNumber(ReadOnlySpan<byte> ie, out AtmAddress address)
    {
        address = default;
        if (ie.Length < 2)
            return false;
        int plan = ie[0] & 0x0F;
        int at = (ie[0] & 0x80) != 0 ? 1 : 2;
        if (at >= ie.Length)
            return false;
        return AtmAddress.TryCreate(plan == 0x02 ? AtmAddressType.Nsap : AtmAddressType.E164, ie[at..], out address);
    }

    /// <summary>Cause: location user, the cause value (Q.2931 Annex C / Q.850).</summary>
    public static int WriteCause(Span<byte> to, byte cause)
    {
        to[0] = 0x80;
        to[1] = (byte)(0x80 | (cause & 0x7F));
        return 2;
    }

    public static byte ReadCause(ReadOnlySpan<byte> ie) => ie.Length >= 2 ? (byte)(ie[1] & 0x7F) : (byte)0;

    /// <summary>Connection identifier: explicit VPCI, exclusive VPCI and VCI, then the VPCI and VCI.</summary>
    public static int WriteConnectionIdentifier(Span<byte> to, int vpi, int vci)
    {
        to[0] = 0x88;
        BinaryPrimitives.WriteUInt16BigEndian(to[1..], (ushort)vpi);
        BinaryPrimitives.WriteUInt16BigEndian(to[3..], (ushort)vci);
        return 5;
    }

    public static bool TryReadConnectionIdentifier(ReadOnlySpan<byte> ie, out int vpi, out int vci)
    {
        vpi = vci = 0;
        if (ie.Length < 5)
            return false;
        vpi = BinaryPrimitives.ReadUInt16BigEndian(ie[1..]);
        vci = BinaryPrimitives.ReadUInt16BigEndian(ie[3..]);
        return true;
    }
}
