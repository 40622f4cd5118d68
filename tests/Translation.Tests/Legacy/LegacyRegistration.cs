using System.Runtime.CompilerServices;
using CoNdis.Conformance;

namespace CoNdis.Translation.Tests.Legacy;

/// <summary>Registers the 5.x drivers with the shared conformance suite, so it runs on all four pairings here.</summary>
internal static class LegacyRegistration
{
#pragma warning disable CA2255 // A test assembly's module initializer: the suite reads the factories during discovery.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        LegacyFactories.Miniport = runtime => new LegacyConformanceMiniport(runtime);
        LegacyFactories.Client = (runtime, adapter) => new LegacyConformanceClient(runtime, adapter);
    }
}
