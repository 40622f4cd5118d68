using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// One direction's ATM traffic contract (the ATM traffic descriptor of Q.2931/UNI 3.1 §5.4.5.6, NDIS's
/// ATM_FLOW_PARAMETERS): service category, peak cell rate, sustainable cell rate and maximum burst size (cells/s and
/// cells), and the cell delay variation tolerance. Rates of 0 are "not given" (UBR without a PCR is sent at line rate).
/// </summary>
public readonly record struct AtmTrafficDescriptor(
    AtmServiceCategory ServiceCategory,
    long PeakCellRate,
    long SustainableCellRate = 0,
    int MaximumBurstSize = 0,
    long CellDelayVariationTolerancePicoseconds = 0)
{
    /// <summary>Best effort at line rate.</summary>
    public static AtmTrafficDescriptor BestEffort { get; } = new(AtmServiceCategory.Ubr, 0);

    /// <summary>True when the contract limits the cell rate (a PCR or an SCR is given).</summary>
    public bool IsShaped => PeakCellRate > 0 || SustainableCellRate > 0;

    /// <summary>Cells per second of <paramref name="bytesPerSecond"/> of cell payload (48 octets a cell), rounded up; 0 for not specified.</summary>
    public static long CellsPerSecond(uint bytesPerSecond) =>
        bytesPerSecond is FlowSpec.NotSpecified or FlowSpec.PositiveInfinityRate or 0 ? 0 : (bytesPerSecond + AtmCell.PayloadLength - 1) / AtmCell.PayloadLength;

    /// <summary>
    /// The contract a FLOWSPEC asks for, as NDIS ATM call managers derive it: PeakBandwidth → PCR, TokenRate → SCR and
    /// TokenBucketSize → MBS (bytes to 48-octet cells); guaranteed service is CBR, controlled load VBR, the rest UBR.
    /// </summary>
    public static AtmTrafficDescriptor FromFlowSpec(FlowSpec flow)
    {
        long pcr = CellsPerSecond(flow.PeakBandwidth);
        long scr = CellsPerSecond(flow.TokenRate);
        int mbs = flow.TokenBucketSize is FlowSpec.NotSpecified or 0 ? 0 : (int)Math.Min(int.MaxValue, (flow.TokenBucketSize + AtmCell.PayloadLength - 1L) / AtmCell.PayloadLength);
        return flow.ServiceType switch
        {
            ServiceType.Guaranteed => new AtmTrafficDescriptor(AtmServiceCategory.Cbr, pcr),
            ServiceType.ControlledLoad when scr > 0 => new AtmTrafficDescriptor(AtmServiceCategory.Vbr, pcr, scr, Math.Max(1, mbs)),
            _ => new AtmTrafficDescriptor(AtmServiceCategory.Ubr, pcr),
        };
    }

    /// <summary>The FLOWSPEC of this contract (the inverse of <see cref="FromFlowSpec"/>) with <paramref name="maxSduSize"/>.</summary>
    public FlowSpec ToFlowSpec(uint maxSduSize)
    {
        static uint Bytes(long cells) => cells <= 0 ? FlowSpec.NotSpecified : (uint)Math.Min(uint.MaxValue - 2, cells * AtmCell.PayloadLength);
        var service = ServiceCategory switch
        {
            AtmServiceCategory.Cbr => ServiceType.Guaranteed,
            AtmServiceCategory.Vbr => ServiceType.ControlledLoad,
            _ => ServiceType.BestEffort,
        };
        return new FlowSpec(Bytes(SustainableCellRate), MaximumBurstSize <= 0 ? FlowSpec.NotSpecified : (uint)MaximumBurstSize * AtmCell.PayloadLength,
            Bytes(PeakCellRate), FlowSpec.NotSpecified, FlowSpec.NotSpecified, service, maxSduSize, FlowSpec.NotSpecified);
    }

    /// <summary>The peak-rate GCRA(1/PCR, CDVT), inactive without a PCR.</summary>
    public Gcra PeakGcra() => PeakCellRate > 0 ? new Gcra(Interval(PeakCellRate), CellDelayVariationTolerancePicoseconds) : default;

    /// <summary>
    /// The sustainable-rate GCRA(1/SCR, BT + CDVT) with the burst tolerance BT = (MBS − 1)(1/SCR − 1/PCR) (I.371
    /// §5.4.1.2), inactive without an SCR.
    /// </summary>
    public Gcra SustainableGcra()
    {
        if (SustainableCellRate <= 0)
            return default;
        long ts = Interval(SustainableCellRate);
        long tp = PeakCellRate > 0 ? Interval(PeakCellRate) : 0;
        long burstTolerance = Math.Max(0, (long)Math.Max(0, MaximumBurstSize - 1) * Math.Max(0, ts - tp));
        return new Gcra(ts, burstTolerance + CellDelayVariationTolerancePicoseconds);
    }

    /// <summary>1/rate in picoseconds.</summary>
    public static long Interval(long cellsPerSecond) => cellsPerSecond <= 0 ? 0 : (1_000_000_000_000L + cellsPerSecond / 2) / cellsPerSecond;
}
