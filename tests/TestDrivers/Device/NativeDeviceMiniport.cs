using CoNdis.Hardware.Miniports;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers.Device;

/// <summary>The miniport role played by the native reference miniport (<see cref="NicMiniport"/>, NDIS 6) over the simulated NIC.</summary>
public sealed class NativeDeviceMiniport : DeviceConformanceMiniport
{
    private readonly CoMiniportAdapter _adapter;

    public NativeDeviceMiniport(string device, CoNdisRuntime runtime)
        : base(device, runtime)
    {
        Miniport = new NicMiniport(Nic, MiniportOptions);
        _adapter = Miniport.Register(runtime, $"{device} native miniport");
        Started();
    }

    /// <summary>The reference miniport itself.</summary>
    public NicMiniport Miniport { get; }

    public override CoMiniportAdapter Adapter => _adapter;

    public override MiniportCounters Counters => Miniport.Counters;

    protected override int ReceiveLowWater
    {
        get => Miniport.ReceiveLowWater;
        set => Miniport.ReceiveLowWater = value;
    }

    protected override TransmitRingFullPolicy TransmitRingFull
    {
        set => Miniport.TransmitRingFull = value;
    }

    protected override int MiniportOutstandingPoolObjects => Miniport.OutstandingPoolObjects;

    protected override void HaltMiniport() => Miniport.Dispose();
}
