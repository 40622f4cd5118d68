using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers.Device;

/// <summary>
/// The miniport factory for the simulated devices: the native reference miniport or the 5.x one (under translation)
/// over a NIC on a loopback link ("loopback") or cabled to an echoing far host ("pair-link").
/// </summary>
public static class DeviceConformanceDrivers
{
    /// <summary>The device tokens this factory builds.</summary>
    public static IReadOnlyList<string> Devices { get; } = [ConformanceRig.LoopbackDevice, ConformanceRig.PairLinkDevice];

    /// <summary>The reference miniport of <paramref name="kind"/> on <paramref name="device"/>, registered with <paramref name="runtime"/>.</summary>
    public static IConformanceMiniport CreateMiniport(DriverKind kind, string device, CoNdisRuntime runtime) =>
        kind == DriverKind.Native ? new NativeDeviceMiniport(device, runtime) : new LegacyDeviceMiniport(device, runtime);
}
