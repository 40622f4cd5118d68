namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// Not an NDIS handler (no 5.x driver implements it): how a client that stands in for NDIS itself, such as the
/// translation layer above a 5.x miniport, learns where one NdisMCoIndicateReceivePacket array begins and ends. The
/// binding calls <see cref="BeginPacketArray"/> before the array's first ProtocolCoReceivePacket and
/// <see cref="EndPacketArray"/> after its last (also when a verifier finding cuts the array short), so the packets of
/// one array can go up as one NBL chain: a chain in is a chain out.
/// </summary>
public interface ILegacyCoIndicationBoundary
{
    /// <summary>An array of packets is about to be indicated on the VC with this ProtocolVcContext.</summary>
    void BeginPacketArray(object? protocolVcContext);

    /// <summary>The array's last packet has been indicated.</summary>
    void EndPacketArray(object? protocolVcContext);
}
