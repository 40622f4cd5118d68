using System.Collections.Concurrent;
using System.Diagnostics;
using CoNdis.Hardware.Links;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// Fires faults at random points of a soak, from a fixed seed: after a random 20–80 ms of load, the next kind of a
/// seeded shuffle of every <see cref="FaultKind"/> is switched on for 10–40 ms (a hang lasts until the watchdog
/// resets the device), switched off, and then traffic must flow again: frames sent on a probe PVC must arrive intact
/// within 10 s. Records how often each kind fired and the longest recovery.
/// </summary>
internal sealed class FaultSchedule
{
    private const int ProbeChannel = 4000;
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(10);

    private readonly SoakRig _rig;
    private readonly SoakLoad _load;
    private readonly Random _random;
    private readonly FaultInjectorLink _faults;
    private readonly ConcurrentDictionary<FaultKind, int> _fired = new();
    private readonly ConcurrentDictionary<FaultKind, TimeSpan> _worstRecovery = new();
    private readonly ConcurrentQueue<string> _events = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public FaultSchedule(SoakRig rig, SoakLoad load, int seed)
    {
        _rig = rig;
        _load = load;
        _random = new Random(seed);
        _faults = rig.Faults ?? throw new ArgumentException("the rig has no fault injector", nameof(rig));
        rig.Events = () => string.Join("; ", _events.TakeLast(12));
    }

    private void Note(string what)
    {
        _events.Enqueue($"{_clock.ElapsedMilliseconds} ms {what}");
        while (_events.Count > 64)
            _events.TryDequeue(out _);
    }

    public IReadOnlyDictionary<FaultKind, int> Fired => _fired;

    /// <summary>The kinds fired: all of them, or those CONDIS_FAULT_KINDS names (comma-separated), to look at one alone.</summary>
    public static FaultKind[] Kinds =>
        Environment.GetEnvironmentVariable("CONDIS_FAULT_KINDS") is { Length: > 0 } names
            ? [.. names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Enum.Parse<FaultKind>)]
            : Enum.GetValues<FaultKind>();

    public IReadOnlyDictionary<FaultKind, TimeSpan> WorstRecovery => _worstRecovery;

    public int Recoveries { get; private set; }

    public void Run(Func<bool> stopping)
    {
        var probe = _load.Open(ProbeChannel) ?? throw new InvalidOperationException("the probe PVC could not be opened");
        var kinds = Kinds;
        var order = new List<FaultKind>();
        try
        {
            Probe(probe.Tx, probe.Rx, "the start");
            while (!stopping())
            {
                Thread.Sleep(_random.Next(20, 80));
                if (stopping())
                    break;
                if (order.Count == 0)
                    order.AddRange(kinds.OrderBy(_ => _random.Next()));
                var kind = order[0];
                order.RemoveAt(0);
                Note($"inject {kind}");
                Inject(kind);
                Note($"cleared {kind}");
                _fired.AddOrUpdate(kind, 1, static (_, n) => n + 1);
                var clock = Stopwatch.StartNew();
                Probe(probe.Tx, probe.Rx, kind.ToString());
                var took = clock.Elapsed;
                Note($"recovered from {kind} in {took.TotalMilliseconds:F0} ms");
                _worstRecovery.AddOrUpdate(kind, took, (_, old) => took > old ? took : old);
                Recoveries++;
            }
        }
        finally
        {
            ClearLinkFaults();
            Thread.Sleep(5); // delayed frames fall due; the last probe puts them on the wire
            Probe(probe.Tx, probe.Rx, "the end");
            _load.Close(probe.Tx, probe.Rx);
        }
    }

    private void Inject(FaultKind kind)
    {
        int hold = _random.Next(10, 40);
        switch (kind)
        {
            case FaultKind.Drop:
                _faults.DropProbability = 0.3;
                break;
            case FaultKind.Corrupt:
                _faults.CorruptProbability = 0.3;
                break;
            case FaultKind.Delay:
                _faults.Delay = TimeSpan.FromMicroseconds(300);
                _faults.DelayProbability = 0.5;
                break;
            case FaultKind.Reorder:
                _faults.ReorderProbability = 0.3;
                break;
            case FaultKind.LinkDown:
                // The carrier is cut between frames the line holds (the injector's own bookkeeping has one writer).
                Bounded.TryUntil(() => _faults.InFlight == 0, TimeSpan.FromSeconds(1));
                _faults.LinkDown();
                Thread.Sleep(hold);
                _faults.LinkUp();
                return;
            case FaultKind.Hang:
            {
                // The transmitting host hangs: its watchdog finds the held descriptors and resets it.
                var host = _rig.A;
                long resets = host.MiniportCounters.Resets;
                host.Nic.InjectHang();
                if (!Bounded.TryUntil(() => host.MiniportCounters.Resets > resets, RecoveryLimit))
                    throw new TimeoutException($"{host.Name}: the watchdog did not reset the hung device within {RecoveryLimit.TotalSeconds} s");
                return;
            }
            case FaultKind.Reset:
                (_random.Next(2) == 0 ? _rig.A : _rig.B).Nic.InjectReset();
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        Thread.Sleep(hold);
        ClearLinkFaults();
    }

    private void ClearLinkFaults()
    {
        _faults.DropProbability = 0;
        _faults.CorruptProbability = 0;
        _faults.DelayProbability = 0;
        _faults.ReorderProbability = 0;
        _faults.LinkUp();
    }

    /// <summary>Traffic flows again: frames sent on the probe PVC arrive intact, within the recovery limit.</summary>
    private void Probe(SoakVc tx, SoakVc rx, string after)
    {
        long before = rx.Intact;
        var deadline = DateTime.UtcNow + RecoveryLimit;
        while (rx.Intact < before + 4)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"traffic did not flow again within {RecoveryLimit.TotalSeconds} s after {after}: {rx.Intact - before} probe frames arrived, {tx.SendsInFlight} probe sends in flight:{_rig.Describe()}");
            if (tx.SendsInFlight < 32)
                _load.SendChain(tx, 1, _random);
            Thread.Sleep(1);
        }
    }
}
