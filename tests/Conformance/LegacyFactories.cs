using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Conformance;

/// <summary>
/// Where a test assembly that has the translation layer plugs in its 5.x drivers, so the same suite runs on
/// the legacy pairings (set once, from a module initializer).
/// </summary>
public static class LegacyFactories
{
    public static Func<CoNdisRuntime, IConformanceMiniport>? Miniport { get; set; }

    public static Func<CoNdisRuntime, CoMiniportAdapter, IConformanceClient>? Client { get; set; }
}
