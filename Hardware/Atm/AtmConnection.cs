namespace CoNdis.Hardware.Atm;

/// <summary>What one open VC is on the SAR: a VPI/VCI with its encapsulation, contracts and maximum SDUs (immutable; replaced on reactivation).</summary>
internal sealed record AtmConnectionConfig(
    int Vpi,
    int Vci,
    Rfc2684Encapsulation Encapsulation,
    AtmTrafficDescriptor TransmitContract,
    AtmTrafficDescriptor ReceiveContract,
    int TransmitMaxSdu,
    int ReceiveMaxSdu);

/// <summary>
/// One entry of the SAR's connection table. Its configuration is published by the driver's activation; the transmit
/// half (queue of CPCS-PDUs, shaper, place in the scheduler) belongs to the engine thread, the receive half
/// (reassembler, policer) to the thread cells arrive on. Each applies a new configuration when it sees one.
/// </summary>
internal sealed class AtmConnection
{
    public AtmConnection(int channel, AtmConnectionConfig config)
    {
        Channel = channel;
        Config = config;
    }

    public int Channel { get; }

    /// <summary>The configuration the driver last activated the VC with.</summary>
    public volatile AtmConnectionConfig Config;

    /// <summary>Set when the VC was closed: nothing more is queued; what is queued still goes out.</summary>
    public volatile bool Closing;

    // ---- transmit (engine thread) ----
    public AtmConnectionConfig? TransmitApplied;
    public AtmShaper Shaper;
    public bool Shaped;
    /// <summary>The five header octets (HEC included) of the VC's cells: [0..5) a PDU's body cells, [5..10) its last cell.</summary>
    public readonly byte[] HeaderOctets = new byte[2 * AtmCellHeader.Length];
    public int TxHead = -1;
    public int TxTail = -1;
    public int TxOffset;
    public long HeadSequence;
    public long Eligible;
    public int HeapIndex = -1;

    // ---- receive (the thread cells arrive on) ----
    public AtmConnectionConfig? ReceiveApplied;
    public Aal5Reassembler? Reassembler;
    public AtmPolicer Policer;
    public int ReceiveEpoch;
}
