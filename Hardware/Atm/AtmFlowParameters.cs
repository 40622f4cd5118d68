namespace CoNdis.Hardware.Atm;

/// <summary>
/// One direction of NDIS's ATM_FLOW_PARAMETERS (the fields the device uses): service category, average (sustainable)
/// and peak cell rates in cells/s, burst length in cells, maximum SDU in octets.
/// </summary>
public readonly record struct AtmFlowParameters(
    AtmServiceCategory ServiceCategory,
    uint AverageCellRate,
    uint PeakCellRate,
    uint BurstLengthCells,
    uint MaxSduSize)
{
    /// <summary>Octets of ATM_FLOW_PARAMETERS.</summary>
    public const int StructureLength = 56;

    /// <summary>The traffic contract these parameters describe.</summary>
    public AtmTrafficDescriptor ToTrafficDescriptor() =>
        new(ServiceCategory, PeakCellRate, ServiceCategory == AtmServiceCategory.Vbr ? AverageCellRate : 0,
            ServiceCategory == AtmServiceCategory.Vbr ? (int)Math.Min(int.MaxValue, BurstLengthCells) : 0);

    /// <summary>Flow parameters carrying <paramref name="contract"/> and <paramref name="maxSduSize"/>.</summary>
    public static AtmFlowParameters From(AtmTrafficDescriptor contract, uint maxSduSize) =>
        new(contract.ServiceCategory, (uint)Math.Min(uint.MaxValue, contract.SustainableCellRate), (uint)Math.Min(uint.MaxValue, contract.PeakCellRate),
            (uint)Math.Max(0, contract.MaximumBurstSize), maxSduSize);
}
