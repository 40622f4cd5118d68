using CoNdis.Conformance;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.TestDrivers;
using CoNdis.TestDrivers.Device;
using CoNdis.TestDrivers.Translated;

namespace CoNdis.Translation.Tests;

/// <summary>
/// The CoNDIS conformance suite on all four pairings (native/native, native/legacy: a 5.x miniport under the NBL
/// runtime, legacy/native: a 5.x client over it, legacy/legacy) and three devices: "inline" (the test miniports are
/// their own device), "loopback" and "pair-link" (the reference miniports of Hardware/Miniports over a simulated NIC on
/// a loopback link, or cabled to an echoing far host).
/// </summary>
public sealed class TranslatedConformanceTests : CoNdisConformanceSuite
{
    public static new TheoryData<string, string> Targets =>
        TargetsOf(Pairing.All, ConformanceRig.InlineDevice, ConformanceRig.LoopbackDevice, ConformanceRig.PairLinkDevice);

    protected override IConformanceMiniport CreateMiniport(DriverKind kind, string device, CoNdisRuntime runtime) =>
        device == ConformanceRig.InlineDevice
            ? TranslatedDrivers.CreateMiniport(kind, device, runtime)
            : DeviceConformanceDrivers.CreateMiniport(kind, device, runtime);

    protected override IConformanceClient CreateClient(DriverKind kind, CoNdisRuntime runtime, CoMiniportAdapter adapter) =>
        TranslatedDrivers.CreateClient(kind, runtime, adapter);
}
