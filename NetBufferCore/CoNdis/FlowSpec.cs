namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// FLOWSPEC (qos.h): one direction's traffic contract. Rates in bytes/s, sizes in bytes, times in µs;
/// <see cref="NotSpecified"/> (QOS_NOT_SPECIFIED) where a value is not given.
/// </summary>
public readonly record struct FlowSpec(
    uint TokenRate,
    uint TokenBucketSize,
    uint PeakBandwidth,
    uint Latency,
    uint DelayVariation,
    ServiceType ServiceType,
    uint MaxSduSize,
    uint MinimumPolicedSize)
{
    /// <summary>QOS_NOT_SPECIFIED.</summary>
    public const uint NotSpecified = 0xFFFFFFFF;

    /// <summary>POSITIVE_INFINITY_RATE.</summary>
    public const uint PositiveInfinityRate = 0xFFFFFFFE;

    /// <summary>A best-effort flow with every other value not specified.</summary>
    public static FlowSpec BestEffort(uint maxSduSize) =>
        new(NotSpecified, NotSpecified, NotSpecified, NotSpecified, NotSpecified, ServiceType.BestEffort, maxSduSize, NotSpecified);
}
