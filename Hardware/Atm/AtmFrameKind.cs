namespace CoNdis.Hardware.Atm;

/// <summary>What the frames given to <see cref="AtmCaptureEncoder"/> are.</summary>
public enum AtmFrameKind
{
    /// <summary>Ethernet II frames without FCS (LINKTYPE_ETHERNET): bridged encapsulations carry them whole; routed ones carry what follows the EtherType (802.1Q tags skipped) and name it by that EtherType.</summary>
    Ethernet,
    /// <summary>Network-layer packets (IPv4 or IPv6, LINKTYPE_RAW): routed encapsulations only; the EtherType is taken from the IP version.</summary>
    Packet,
}
