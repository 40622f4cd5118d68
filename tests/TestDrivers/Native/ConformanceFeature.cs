namespace CoNdis.TestDrivers;

/// <summary>
/// A behaviour some conformance tests need from the miniport role that not every miniport has: a role that lacks one
/// says why (<see cref="IConformanceMiniport.Unsupported"/>) and those tests are skipped for it with that reason.
/// </summary>
public enum ConformanceFeature
{
    /// <summary>MiniportCoActivateVc answers PENDING on the test's word (<see cref="IConformanceMiniport.PendActivate"/>).</summary>
    PendedActivation,

    /// <summary>MiniportCoDeactivateVc answers PENDING on the test's word, with nothing in flight (<see cref="IConformanceMiniport.PendDeactivate"/>).</summary>
    PendedDeactivation,

    /// <summary>The miniport can be made to indicate on a VC that is no longer active (so the runtime's refusal is exercised).</summary>
    IndicationOnInactiveVc,
}
