using CoNdis.Conformance;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.TestDrivers;
using CoNdis.TestDrivers.Translated;

namespace CoNdis.Translation.Tests;

/// <summary>
/// The CoNDIS conformance suite on all four pairings, on the inline device: native/native, native/legacy (a 5.x
/// miniport under the NBL runtime), legacy/native (a 5.x client over it), legacy/legacy.
/// </summary>
public sealed class TranslatedConformanceTests : CoNdisConformanceSuite
{
    public static new TheoryData<string, string> Targets => TargetsOf(Pairing.All, ConformanceRig.InlineDevice);

    protected override IConformanceMiniport CreateMiniport(DriverKind kind, string device, CoNdisRuntime runtime) =>
        TranslatedDrivers.CreateMiniport(kind, device, runtime);

    protected override IConformanceClient CreateClient(DriverKind kind, CoNdisRuntime runtime, CoMiniportAdapter adapter) =>
        TranslatedDrivers.CreateClient(kind, runtime, adapter);
}
