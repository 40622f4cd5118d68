using System.Buffers.Binary;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// NDIS's ATM_MEDIA_PARAMETERS (the media-specific part of CO_CALL_PARAMETERS, ParamType ATM_MEDIA_SPECIFIC): the
/// VC's VPI/VCI (ATM_VPIVCI), its AAL type and the transmit and receive ATM_FLOW_PARAMETERS, laid out as the C
/// structure is (little-endian ULONGs, 152 octets; the cell delay/loss fields and the ABR fields are kept as zeros).
/// An ATM miniport reads it in MiniportCoActivateVc to open the VC on its SAR.
/// </summary>
public sealed record AtmMediaParameters(int Vpi, int Vci, AtmFlowParameters Transmit, AtmFlowParameters Receive, uint AalType = AtmMediaParameters.AalTypeAal5)
{
    /// <summary>ATM_MEDIA_SPECIFIC: CO_SPECIFIC_PARAMETERS.ParamType of these parameters.</summary>
    public const uint ParamType = 1;

    /// <summary>AAL_TYPE_AAL5.</summary>
    public const uint AalTypeAal5 = 8;

    /// <summary>Octets of ATM_MEDIA_PARAMETERS.</summary>
    public const int StructureLength = 8 + 4 + 7 * 4 + 2 * AtmFlowParameters.StructureLength;

    private const int FlowOffset = 8 + 4 + 7 * 4;

    /// <summary>The structure's octets.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[StructureLength];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)Vpi);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)Vci);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), AalType);
        WriteFlow(bytes.AsSpan(FlowOffset), Transmit);
        WriteFlow(bytes.AsSpan(FlowOffset + AtmFlowParameters.StructureLength), Receive);
        return bytes;
    }

    /// <summary>Reads the structure; false when it is too short.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out AtmMediaParameters? parameters)
    {
        parameters = null;
        if (bytes.Length < StructureLength)
            return false;
        uint vpi = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        uint vci = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (vpi > 0xFF || vci > 0xFFFF)
            return false;
        parameters = new AtmMediaParameters((int)vpi, (int)vci, ReadFlow(bytes[FlowOffset..]),
            ReadFlow(bytes[(FlowOffset + AtmFlowParameters.StructureLength)..]), BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]));
        return true;
    }

    // ATM_FLOW_PARAMETERS: ServiceCategory, AverageCellRate, PeakCellRate, MinimumCellRate, InitialCellRate,
    // BurstLengthCells, MaxSduSize, TransientBufferExposure, CumulativeRMFixedRTT, four UCHARs, a USHORT…, 56 octets.
    private static void WriteFlow(Span<byte> at, AtmFlowParameters flow)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(at, (uint)flow.ServiceCategory);
        BinaryPrimitives.WriteUInt32LittleEndian(at[4..], flow.AverageCellRate);
        BinaryPrimitives.WriteUInt32LittleEndian(at[8..], flow.PeakCellRate);
        BinaryPrimitives.WriteUInt32LittleEndian(at[20..], flow.BurstLengthCells);
        BinaryPrimitives.WriteUInt32LittleEndian(at[24..], flow.MaxSduSize);
    }

    private static AtmFlowParameters ReadFlow(ReadOnlySpan<byte> at) => new(
        (AtmServiceCategory)BinaryPrimitives.ReadUInt32LittleEndian(at),
        BinaryPrimitives.ReadUInt32LittleEndian(at[4..]),
        BinaryPrimitives.ReadUInt32LittleEndian(at[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(at[20..]),
        BinaryPrimitives.ReadUInt32LittleEndian(at[24..]));
}
