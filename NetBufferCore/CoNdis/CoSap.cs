namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>CO_SAP: a service access point a client listens on (for ATM, an address and selector), opaque to NDIS.</summary>
public sealed record CoSap(uint SapType, ReadOnlyMemory<byte> Sap);
