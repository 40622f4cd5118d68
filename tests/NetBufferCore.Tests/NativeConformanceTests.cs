using CoNdis.Conformance;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.TestDrivers;

namespace CoNdis.NetBufferCore.Tests;

/// <summary>
/// The conformance suite on the native client over the native miniport, on the inline device: the pairing this
/// assembly can build without translation (Translation.Tests runs the same suite on all four).
/// </summary>
public sealed class NativeConformanceTests : CoNdisConformanceSuite
{
    public static new TheoryData<string, string> Targets => TargetsOf([Pairing.NativeNative], ConformanceRig.InlineDevice);

    protected override IConformanceMiniport CreateMiniport(DriverKind kind, string device, CoNdisRuntime runtime) =>
        ConformanceRig.CreateNativeMiniport(kind, device, runtime);

    protected override IConformanceClient CreateClient(DriverKind kind, CoNdisRuntime runtime, CoMiniportAdapter adapter) =>
        ConformanceRig.CreateNativeClient(kind, runtime, adapter);
}
