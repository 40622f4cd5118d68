namespace Condis.Cli;

/// <summary>Which world a driver of a pairing is written for: NDIS 6 (NET_BUFFER_LIST) or NDIS 5.x (NDIS_PACKET).</summary>
internal enum DriverSide
{
    Native,
    Legacy,
}
