namespace CoNdis.LegacyPacket;

/// <summary>Where a packet is on the CoNDIS 5 data path (kept by the binding to catch broken rules).</summary>
public enum LegacyDataPathState
{
    /// <summary>Owned by the driver that allocated it.</summary>
    Idle,
    /// <summary>Handed to NdisCoSendPackets, not yet completed.</summary>
    Sending,
    /// <summary>Completed by NdisMCoSendComplete (back with the protocol).</summary>
    SendCompleted,
    /// <summary>Inside NdisMCoIndicateReceivePacket, or held by the protocol with references outstanding.</summary>
    Indicated,
}
