namespace CoNdis.Hardware.Miniports;

/// <summary>What a miniport does with sends when the transmit ring has no room: never drop them silently.</summary>
public enum TransmitRingFullPolicy
{
    /// <summary>Keep them in order in the driver's send queue until descriptors free up (netvmini's SendWaitList).</summary>
    Queue,
    /// <summary>Complete NBLs (packets) of which nothing is on the ring yet with NDIS_STATUS_RESOURCES.</summary>
    CompleteWithResources,
}
