namespace CoNdis.Hardware.Atm;

/// <summary>
/// The ATM personality's settings (its EEPROM and the driver's registry keywords): VPI/VCI bits of the connection
/// table (OID_ATM_MAX_ACTIVE_VPI_BITS / VCI_BITS), line rate, connections, SAR transmit memory, reassembly timeout,
/// shaping and policing, the signalling channel and the VCIs its call managers allocate.
/// </summary>
public sealed record AtmDeviceOptions
{
    /// <summary>VPI bits the connection table decodes (VPIs 0 to 2^bits − 1).</summary>
    public int VpiBits { get; init; } = 2;

    /// <summary>VCI bits the connection table decodes (VCIs 0 to 2^bits − 1).</summary>
    public int VciBits { get; init; } = 12;

    /// <summary>Line rate of the cell stream (OC-3: 149.76 Mbit/s of payload).</summary>
    public long LineRateBitsPerSecond { get; init; } = AtmLine.Oc3PayloadBitsPerSecond;

    /// <summary>Connections the SAR holds open at once (OID_ATM_MAX_ACTIVE_VCS).</summary>
    public int MaximumConnections { get; init; } = 1024;

    /// <summary>CPCS-PDUs the SAR's transmit memory holds (frames taken from the ring, not yet all on the wire).</summary>
    public int TransmitBuffers { get; init; } = 256;

    /// <summary>A partial PDU whose first cell is older than this is discarded (zero: never).</summary>
    public TimeSpan ReassemblyTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Shape each VC's cells to its transmit traffic contract (GCRA); off, cells leave at line rate.</summary>
    public bool Shaping { get; init; } = true;

    /// <summary>What usage parameter control does with received cells that exceed the VC's receive contract.</summary>
    public AtmPolicingAction Policing { get; init; }

    /// <summary>The cell delay variation tolerance policing allows (the GCRA's limit on the peak rate).</summary>
    public TimeSpan CellDelayVariationTolerance { get; init; }

    /// <summary>
    /// Hold each cell until its line slot comes on the device clock (a virtual clock then releases cells only as a test
    /// advances it). Off (the default), cells go on the wire at once, each timestamped with its slot on the line schedule.
    /// </summary>
    public bool PaceToClock { get; init; }

    /// <summary>The signalling channel's VPI (UNI: 0).</summary>
    public int SignallingVpi { get; init; }

    /// <summary>The signalling channel's VCI (UNI: 5).</summary>
    public int SignallingVci { get; init; } = 5;

    /// <summary>The VPI the call managers allocate calls on.</summary>
    public int CallVpi { get; init; }

    /// <summary>First VCI the call managers allocate (0–31 are reserved by the ATM Forum).</summary>
    public int FirstCallVci { get; init; } = 32;

    /// <summary>Last VCI the call managers allocate (null: the last the table decodes).</summary>
    public int? LastCallVci { get; init; }

    /// <summary>Checks the options; throws ArgumentException naming the bad one.</summary>
    public void Validate()
    {
        if (VpiBits is < 0 or > 8)
            throw new ArgumentException($"VpiBits must be from 0 to 8 (a UNI VPI has 8 bits), not {VpiBits}.", nameof(VpiBits));
        if (VciBits is < 6 or > 16)
            throw new ArgumentException($"VciBits must be from 6 to 16, not {VciBits}.", nameof(VciBits));
        if (VpiBits + VciBits > 20)
            throw new ArgumentException($"VpiBits + VciBits must be at most 20 (the NIC's 2^20 channels), not {VpiBits + VciBits}.", nameof(VciBits));
        if (LineRateBitsPerSecond < AtmLine.CellBits)
            throw new ArgumentException($"LineRateBitsPerSecond must be at least {AtmLine.CellBits}, not {LineRateBitsPerSecond}.", nameof(LineRateBitsPerSecond));
        if (MaximumConnections < 1)
            throw new ArgumentException($"MaximumConnections must be at least 1, not {MaximumConnections}.", nameof(MaximumConnections));
        if (TransmitBuffers < 1)
            throw new ArgumentException($"TransmitBuffers must be at least 1, not {TransmitBuffers}.", nameof(TransmitBuffers));
        if (ReassemblyTimeout < TimeSpan.Zero)
            throw new ArgumentException($"ReassemblyTimeout must not be negative ({ReassemblyTimeout}).", nameof(ReassemblyTimeout));
        if (CellDelayVariationTolerance < TimeSpan.Zero)
            throw new ArgumentException($"CellDelayVariationTolerance must not be negative ({CellDelayVariationTolerance}).", nameof(CellDelayVariationTolerance));
        int maxVpi = (1 << VpiBits) - 1, maxVci = (1 << VciBits) - 1;
        if ((uint)SignallingVpi > (uint)maxVpi || (uint)SignallingVci > (uint)maxVci)
            throw new ArgumentException($"The signalling channel VPI {SignallingVpi}/VCI {SignallingVci} is outside the table's VPI 0-{maxVpi}, VCI 0-{maxVci}.", nameof(SignallingVci));
        if ((uint)CallVpi > (uint)maxVpi)
            throw new ArgumentException($"CallVpi {CallVpi} is outside the table's VPI 0-{maxVpi}.", nameof(CallVpi));
        int last = LastCallVci ?? maxVci;
        if (FirstCallVci < 1 || FirstCallVci > last || last > maxVci)
            throw new ArgumentException($"The call VCIs {FirstCallVci}-{last} must lie within 1-{maxVci}.", nameof(FirstCallVci));
    }
}
