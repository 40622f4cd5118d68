using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.Translation;
using CoNdis.Translation.Adapters;

namespace CoNdis.Reliability.Tests;

/// <summary>What a soak host is made of beyond its pairing: sizes of the pools that can run dry, and the watchdog.</summary>
internal sealed record SoakHostOptions
{
    public NicOptions Nic { get; init; } = new()
    {
        CompletionMode = NicCompletionMode.DeviceThread,
        ModerationPackets = 16,
        ModerationTime = TimeSpan.FromMicroseconds(50),
    };

    public TimeSpan Watchdog { get; init; } = TimeSpan.Zero;

    public TransmitRingFullPolicy TransmitRingFull { get; init; } = TransmitRingFullPolicy.Queue;

    /// <summary>The miniport's receive buffers (0: the receive ring's size).</summary>
    public int ReceiveBuffers { get; init; }

    /// <summary>The client's own NBL or packet pool.</summary>
    public int ClientPool { get; init; } = 4096;

    /// <summary>The translation adapters' pools (null: their defaults).</summary>
    public TranslatorOptions? Translation { get; init; }

    /// <summary>The NIC is the ATM device (<see cref="AtmDevice"/>, the SAR) and the call managers speak UNI 3.1; null: the plain NIC.</summary>
    public AtmDeviceOptions? Atm { get; init; }
}

/// <summary>
/// One host of a soak: a runtime with a strict verifier, a NIC on a link port, the native reference miniport (an MCM)
/// or the 5.x one under <see cref="LegacyMiniportAdapter"/> with the stand-alone <see cref="DeviceCallManager"/>, and a
/// native or 5.x soak client with <see cref="Sap"/> registered.
/// </summary>
internal sealed class SoakHost : IDisposable
{
    private readonly NicMiniport? _native;
    private readonly LegacyNicMiniport? _legacy;
    private readonly LegacyMiniportAdapter? _adapter;
    private readonly DeviceCallManager? _callManager;
    private bool _disposed;

    public SoakHost(string pairing, ILinkPort port, string name, CoSap sap, SoakHostOptions options)
    {
        var parts = pairing.Split('/');
        Name = name;
        Verifier = new NdisVerifier(VerifierMode.Strict);
        Runtime = new CoNdisRuntime(Verifier);
        if (options.Atm is { } atm)
        {
            Atm = new AtmDevice(port, atm, options.Nic, name: $"{name} atm");
            Nic = Atm.Nic;
        }
        else
        {
            Nic = new SimulatedNic(port, options.Nic, name: $"{name} nic");
        }
        var calls = Atm is null ? SoakCalls.Device : SoakCalls.Uni;
        var miniportOptions = new NicMiniportOptions
        {
            WatchdogInterval = options.Watchdog,
            TransmitRingFull = options.TransmitRingFull,
            ReceiveBuffers = options.ReceiveBuffers,
            IntegratedCallManager = parts[1] == "native",
        };
        CoMiniportAdapter adapter;
        if (parts[1] == "native")
        {
            _native = new NicMiniport(Nic, miniportOptions);
            adapter = _native.Register(Runtime, $"{name} native miniport");
        }
        else
        {
            _legacy = new LegacyNicMiniport(Nic, miniportOptions);
            _adapter = new LegacyMiniportAdapter(new NdisHandle($"{name} 5.x miniport", Verifier), _legacy, _legacy, options.Translation);
            var status = _legacy.MiniportInitialize(_adapter.LegacyBinding);
            if (status != NdisStatus.Success)
                throw new InvalidOperationException($"MiniportInitialize: {status.Describe()}");
            adapter = _adapter.Register(Runtime, $"{name} 5.x miniport");
            _callManager = Atm?.CreateCallManager() ?? new DeviceCallManager(options.Nic.Channels);
            _callManager.Bind(Runtime, adapter, $"{name} call manager");
        }
        Client = parts[0] == "native"
            ? new NativeSoakClient(Runtime, adapter, $"{name} native client", options.ClientPool, calls)
            : new LegacySoakClient(Runtime, adapter, $"{name} 5.x client", options.ClientPool, options.Translation, calls);
        Sap = sap;
        Client.RegisterSap(sap);
    }

    public string Name { get; }

    public NdisVerifier Verifier { get; }

    public CoNdisRuntime Runtime { get; }

    public SimulatedNic Nic { get; }

    /// <summary>The ATM personality of <see cref="Nic"/> (its SAR's counters), or null on the plain NIC.</summary>
    public AtmDevice? Atm { get; }

    public ISoakClient Client { get; }

    public CoSap Sap { get; }

    public MiniportCounters MiniportCounters => _native?.Counters ?? _legacy!.Counters;

    /// <summary>Translation counters of the adapters on this host (5.x miniport below, 5.x client above).</summary>
    public TranslationCounts Translation
    {
        get
        {
            var counts = _adapter?.Counters ?? default;
            if (Client is LegacySoakClient legacy)
            {
                var above = legacy.Adapter.Counters;
                counts.Add(in above);
            }
            return counts;
        }
    }

    /// <summary>Receives the miniport indicated that no protocol has given back, plus the call managers' signalling frames out.</summary>
    public int MiniportOutstanding => (_native?.OutstandingPoolObjects ?? _legacy!.OutstandingPoolObjects) + (_callManager?.OutstandingPoolObjects ?? 0);

    public bool AdaptersIdle => (_adapter?.IsIdle ?? true) && (Client is not LegacySoakClient legacy || legacy.Adapter.IsIdle);

    /// <summary>The miniport's private scalar state (reflection; for failure messages only).</summary>
    public string MiniportState()
    {
        object miniport = (object?)_native ?? _legacy!;
        var fields = miniport.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
        var parts = new List<string>();
        foreach (var field in fields)
        {
            var value = field.GetValue(miniport);
            if (value is int or uint or long or bool || value is null)
                parts.Add($"{field.Name}={value ?? "null"}");
            else if (value is System.Collections.ICollection collection)
                parts.Add($"{field.Name}.Count={collection.Count}");
            else if (value is NetBufferList)
                parts.Add($"{field.Name}=NBL");
        }
        var ring = Nic.TransmitRing;
        parts.Add($"txring head={ring.Head} tail={ring.Tail}");
        foreach (var field in Nic.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic))
        {
            var value = field.GetValue(Nic);
            if (value is int or uint or long or bool)
                parts.Add($"nic.{field.Name}={value}");
            else if (value is Thread thread)
                parts.Add($"nic.{field.Name}={thread.ThreadState}");
        }
        return string.Join(' ', parts);
    }

    /// <summary>The miniport's receive low water: with a large one every receive is indicated with RESOURCES.</summary>
    public int ReceiveLowWater
    {
        get => _native?.ReceiveLowWater ?? _legacy!.ReceiveLowWater;
        set
        {
            if (_native is not null)
                _native.ReceiveLowWater = value;
            else
                _legacy!.ReceiveLowWater = value;
        }
    }

    /// <summary>Offers a PVC on <paramref name="channels"/> to this host's client (no signalling); the client's VC.</summary>
    public SoakVc OfferPermanentVc(ChannelBinding channels)
    {
        var vc = (_callManager is null ? _native!.OfferPermanentVc(Sap, channels) : _callManager.OfferPermanentVc(Sap, channels))
            ?? throw new InvalidOperationException($"{Name}: the client did not take the PVC on {channels}");
        return Client.Find(vc) ?? throw new InvalidOperationException($"{Name}: the client does not know its PVC {vc}");
    }

    /// <summary>The far end closes the call on <paramref name="vc"/> (the client hears ProtocolClIncomingCloseCall).</summary>
    public void RemoteClose(SoakVc vc)
    {
        if (_callManager is null)
            _native!.DispatchRemoteClose(vc.Runtime);
        else
            _callManager.DispatchRemoteClose(vc.Runtime);
    }

    /// <summary>Halts everything: the pool objects that were not home (0 when nothing leaked).</summary>
    public int Shutdown()
    {
        if (_disposed)
            return 0;
        _disposed = true;
        _callManager?.Unbind();
        int leaked = _native?.Halt() ?? _legacy!.Halt();
        Nic.Dispose();
        if (_adapter is not null)
            leaked += _adapter.FreePools();
        leaked += Client.FreePools();
        return leaked;
    }

    public void Dispose()
    {
        try
        {
            Shutdown();
        }
#pragma warning disable CA1031 // Dispose after a failed test must not hide the failure.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
