namespace CoNdis.TestDrivers;

/// <summary>Which world a test driver is written for: NDIS 6 (NET_BUFFER_LIST handlers) or NDIS 5.x (NDIS_PACKET handlers).</summary>
public enum DriverKind
{
    Native,
    Legacy,
}
