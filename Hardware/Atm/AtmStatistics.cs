namespace CoNdis.Hardware.Atm;

/// <summary>
/// The ATM personality's counters at one moment (what an ATM miniport answers OID_ATM_RCV_CELLS_OK,
/// OID_ATM_XMIT_CELLS_OK, OID_ATM_RCV_CELLS_DROPPED, OID_ATM_RCV_INVALID_VPI_VCI, OID_ATM_CELLS_HEC_ERROR and
/// OID_ATM_RCV_REASSEMBLY_ERROR from), plus the SAR's shaping and policing work.
/// </summary>
public readonly record struct AtmStatistics
{
    public long CellsTransmitted { get; init; }
    public long PdusTransmitted { get; init; }
    /// <summary>Cells that left later than the line was free because their VC's shaper held them (GCRA).</summary>
    public long CellsDelayedByShaping { get; init; }
    /// <summary>Frames the SAR could not take (no connection on the channel, longer than the VC's SDU).</summary>
    public long TransmitRefused { get; init; }
    /// <summary>Times a frame waited on the ring because the SAR's transmit memory was full.</summary>
    public long TransmitMemoryFull { get; init; }
    /// <summary>PDUs a device reset dropped from transmit memory (their sends had completed when the SAR took them).</summary>
    public long TransmitFlushed { get; init; }
    public long CellsReceived { get; init; }
    /// <summary>Cells whose header had a single-bit error the HEC corrected.</summary>
    public long HecCorrected { get; init; }
    /// <summary>Cells discarded for a header error (OID_ATM_CELLS_HEC_ERROR).</summary>
    public long HecDiscarded { get; init; }
    /// <summary>Cells on a VPI/VCI no connection is open on (OID_ATM_RCV_INVALID_VPI_VCI).</summary>
    public long CellsUnknownVc { get; init; }
    /// <summary>End-of-PDU cells on a VPI/VCI no connection is open on: each ends a frame lost (its VC was closed here while its cells were on the way).</summary>
    public long PdusUnknownVc { get; init; }
    /// <summary>Unassigned and idle cells (VPI 0, VCI 0).</summary>
    public long CellsUnassigned { get; init; }
    /// <summary>OAM and resource management cells (not passed to the SAR).</summary>
    public long CellsOam { get; init; }
    /// <summary>Units from the wire that were not 53 octets.</summary>
    public long CellsMalformed { get; init; }
    public long CellsTagged { get; init; }
    public long CellsPolicedOut { get; init; }
    public long PdusReceived { get; init; }
    public long CrcErrors { get; init; }
    public long LengthErrors { get; init; }
    public long Aborts { get; init; }
    public long Oversize { get; init; }
    public long ReassemblyTimeouts { get; init; }
    /// <summary>PDUs whose RFC 2684 header the VC does not carry.</summary>
    public long EncapsulationErrors { get; init; }
    /// <summary>Connections open on the SAR now.</summary>
    public int OpenConnections { get; init; }

    /// <summary>Every PDU the receiver discarded (OID_ATM_RCV_REASSEMBLY_ERROR).</summary>
    public long ReassemblyErrors => CrcErrors + LengthErrors + Aborts + Oversize + ReassemblyTimeouts;
}
