using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.TestDrivers.Translated;

/// <summary>
/// The driver factories of an assembly that has the translation layer: native drivers for the native roles, the 5.x
/// test drivers behind the adapters for the legacy ones, so a <see cref="ConformanceRig"/> can be built on all four
/// pairings.
/// </summary>
public static class TranslatedDrivers
{
    /// <summary>A native miniport, or the 5.x test miniport under a <see cref="Translation.Adapters.LegacyMiniportAdapter"/>, on the inline device.</summary>
    public static IConformanceMiniport CreateMiniport(DriverKind kind, string device, CoNdisRuntime runtime)
    {
        if (kind == DriverKind.Native)
            return ConformanceRig.CreateNativeMiniport(kind, device, runtime);
        if (device != ConformanceRig.InlineDevice)
            throw new NotSupportedException($"no 5.x test miniport on device '{device}' here");
        return new TranslatedTestMiniport(runtime);
    }

    /// <summary>A native client, or the 5.x test client over a <see cref="Translation.Adapters.LegacyClientAdapter"/>.</summary>
    public static IConformanceClient CreateClient(DriverKind kind, CoNdisRuntime runtime, CoMiniportAdapter adapter) =>
        kind == DriverKind.Native ? ConformanceRig.CreateNativeClient(kind, runtime, adapter) : new TranslatedTestClient(runtime, adapter);

    /// <summary>A rig on <paramref name="pairing"/> with the inline device.</summary>
    public static ConformanceRig Rig(Pairing pairing, VerifierMode mode = VerifierMode.Strict) =>
        new(pairing, ConformanceRig.InlineDevice, mode, CreateMiniport, CreateClient);
}
