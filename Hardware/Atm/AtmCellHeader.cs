using System.Buffers.Binary;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// The 5-octet header of an ATM cell at the UNI (ITU-T I.361 §2.2): GFC (4 bits), VPI (8 bits), VCI (16 bits),
/// PTI (3 bits), CLP (1 bit), then the HEC (ITU-T I.432.1, see <see cref="AtmHec"/>). A cell is this header and 48
/// octets of payload (<see cref="AtmCell"/>); the VPI/VCI is what an NDIS ATM_VPIVCI names.
/// </summary>
public readonly record struct AtmCellHeader
{
    /// <summary>A header with every field given; out-of-range values are an ArgumentException.</summary>
    public AtmCellHeader(int vpi, int vci, AtmPayloadType payloadType = AtmPayloadType.UserData, bool cellLossPriority = false, int genericFlowControl = 0)
    {
        if ((uint)vpi > 0xFF)
            throw new ArgumentOutOfRangeException(nameof(vpi), vpi, "A UNI VPI has 8 bits (0-255).");
        if ((uint)vci > 0xFFFF)
            throw new ArgumentOutOfRangeException(nameof(vci), vci, "A VCI has 16 bits (0-65535).");
        if ((uint)payloadType > 7)
            throw new ArgumentOutOfRangeException(nameof(payloadType), payloadType, "The PTI has 3 bits (0-7).");
        if ((uint)genericFlowControl > 0xF)
            throw new ArgumentOutOfRangeException(nameof(genericFlowControl), genericFlowControl, "The GFC has 4 bits (0-15).");
        Vpi = (byte)vpi;
        Vci = (ushort)vci;
        PayloadType = payloadType;
        CellLossPriority = cellLossPriority;
        GenericFlowControl = (byte)genericFlowControl;
    }

    /// <summary>Octets of the header, HEC included.</summary>
    public const int Length = 5;

    /// <summary>Octets of the header without the HEC (what ERF and the HEC computation cover).</summary>
    public const int LengthWithoutHec = 4;

    public byte GenericFlowControl { get; }

    public byte Vpi { get; }

    public ushort Vci { get; }

    public AtmPayloadType PayloadType { get; }

    /// <summary>CLP: 1 marks a cell the network may discard first (tagged by policing, or sent low priority).</summary>
    public bool CellLossPriority { get; }

    /// <summary>PTI 0xx: a user data cell (not OAM or resource management).</summary>
    public bool IsUserData => ((int)PayloadType & 4) == 0;

    /// <summary>PTI bit 1 of a user data cell: the AAL5 SDU-type (AUU) bit, set on the last cell of a CPCS-PDU.</summary>
    public bool IsEndOfPdu => IsUserData && ((int)PayloadType & 1) != 0;

    /// <summary>PTI 100 or 101: an F5 OAM cell (segment or end-to-end).</summary>
    public bool IsOam => PayloadType is AtmPayloadType.SegmentOam or AtmPayloadType.EndToEndOam;

    /// <summary>VPI 0, VCI 0 with PTI 0xx: an unassigned (or idle) cell that carries nothing for any VC (ITU-T I.361 Table 2).</summary>
    public bool IsUnassigned => Vpi == 0 && Vci == 0 && IsUserData;

    /// <summary>The same header with another PTI.</summary>
    public AtmCellHeader WithPayloadType(AtmPayloadType payloadType) => new(Vpi, Vci, payloadType, CellLossPriority, GenericFlowControl);

    /// <summary>The same header with CLP set or cleared.</summary>
    public AtmCellHeader WithCellLossPriority(bool clp) => new(Vpi, Vci, PayloadType, clp, GenericFlowControl);

    /// <summary>The first four header octets as one big-endian word (GFC:4 VPI:8 VCI:16 PTI:3 CLP:1), as ERF stores them.</summary>
    public uint ToUInt32() =>
        (uint)GenericFlowControl << 28 | (uint)Vpi << 20 | (uint)Vci << 4 | (uint)PayloadType << 1 | (CellLossPriority ? 1u : 0u);

    /// <summary>The header of a big-endian word laid out as <see cref="ToUInt32"/> returns it.</summary>
    public static AtmCellHeader FromUInt32(uint word) =>
        new((int)(word >> 20) & 0xFF, (int)(word >> 4) & 0xFFFF, (AtmPayloadType)((word >> 1) & 7), (word & 1) != 0, (int)(word >> 28));

    /// <summary>Writes the four header octets (no HEC) to <paramref name="destination"/>.</summary>
    public void WriteWithoutHec(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, ToUInt32());

    /// <summary>Writes the five header octets, the HEC computed over the first four (ITU-T I.432.1).</summary>
    public void Write(Span<byte> destination)
    {
        WriteWithoutHec(destination);
        destination[4] = AtmHec.Compute(destination[..4]);
    }

    /// <summary>Reads the first four octets of <paramref name="source"/> (the HEC, if any, is not checked here).</summary>
    public static AtmCellHeader Read(ReadOnlySpan<byte> source) => FromUInt32(BinaryPrimitives.ReadUInt32BigEndian(source));

    public override string ToString() =>
        $"VPI {Vpi} VCI {Vci} PTI {(int)PayloadType} CLP {(CellLossPriority ? 1 : 0)}{(GenericFlowControl != 0 ? $" GFC {GenericFlowControl}" : "")}";
}
