using CoNdis.Hardware.Miniports;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.Translation.Adapters;

namespace CoNdis.TestDrivers.Device;

/// <summary>
/// The miniport role played by the 5.x reference miniport (<see cref="LegacyNicMiniport"/>, NDIS 5, written only
/// against Ndis5) over the simulated NIC, under the NBL runtime through a <see cref="LegacyMiniportAdapter"/> like any
/// 5.x miniport.
/// </summary>
public sealed class LegacyDeviceMiniport : DeviceConformanceMiniport
{
    private readonly CoMiniportAdapter _adapter;

    public LegacyDeviceMiniport(string device, CoNdisRuntime runtime)
        : base(device, runtime)
    {
        string name = $"{device} 5.x miniport";
        Driver = new LegacyNicMiniport(Nic, MiniportOptions);
        Translation = new LegacyMiniportAdapter(new NdisHandle(name, runtime.Verifier), Driver, miniportAdapterContext: Driver);
        _adapter = Translation.Register(runtime, name);
        var status = Driver.MiniportInitialize(Translation.LegacyBinding);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"{name}: MiniportInitialize: {status.Describe()}");
        Started();
    }

    /// <summary>The 5.x reference miniport itself.</summary>
    public LegacyNicMiniport Driver { get; }

    /// <summary>The adapter that binds it under the runtime.</summary>
    public LegacyMiniportAdapter Translation { get; }

    public override CoMiniportAdapter Adapter => _adapter;

    /// <summary>The miniport's counters: its sends and returns are packets.</summary>
    public override MiniportCounters Counters => Driver.Counters;

    protected override int ReceiveLowWater
    {
        get => Driver.ReceiveLowWater;
        set => Driver.ReceiveLowWater = value;
    }

    protected override TransmitRingFullPolicy TransmitRingFull
    {
        set => Driver.TransmitRingFull = value;
    }

    /// <summary>The driver's receive packets held, plus one while the adapter still has anything translated out.</summary>
    protected override int MiniportOutstandingPoolObjects => Driver.OutstandingPoolObjects + (Translation.IsIdle ? 0 : 1);

    protected override void HaltMiniport()
    {
        Driver.Dispose();
        Translation.FreePools();
    }
}
