namespace CoNdis.Hardware.Nic;

/// <summary>SCATTER_GATHER_ELEMENT: one physically contiguous piece of a buffer (address and length).</summary>
public readonly record struct ScatterGatherElement(nint Address, int Length);
