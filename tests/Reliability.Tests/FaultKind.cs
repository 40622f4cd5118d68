namespace CoNdis.Reliability.Tests;

/// <summary>The faults a soak injects: the fault injector's on the link, the NIC's own (docs/device.md, Faults and their statuses).</summary>
public enum FaultKind
{
    Drop,
    Corrupt,
    Delay,
    Reorder,
    LinkDown,
    Hang,
    Reset,
}
