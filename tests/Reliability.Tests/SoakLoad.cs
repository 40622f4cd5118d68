using System.Collections.Concurrent;
using System.Diagnostics;
using CoNdis.Hardware.Miniports;
using CoNdis.NetBufferCore;

namespace CoNdis.Reliability.Tests;

/// <summary>How the soak's senders get their VCs.</summary>
internal enum VcChurn
{
    /// <summary>Switched calls: NdisClMakeCall through the call manager's signalling, NdisClCloseCall by the caller.</summary>
    Calls,

    /// <summary>Permanent VCs offered by the call manager and closed from the far end (no signalling on the wire).</summary>
    PermanentVcs,
}

/// <summary>
/// The load of a soak: <see cref="Senders"/> threads on host A, each in a loop of open a VC, send a random number of
/// chains of 1–16 frames on it, close the call at once (so sends are still in flight when the close starts); a janitor
/// thread that closes what the far end released and gives back held receives; optionally a fault thread. Every
/// exception on any of them is kept and fails the test; every wait is bounded.
/// </summary>
internal sealed class SoakLoad
{
    public const int Senders = 4;
    private const int MaxInFlightPerClient = 2048;

    private readonly SoakRig _rig;
    private readonly VcChurn _churn;
    private readonly int _seed;
    private readonly ConcurrentQueue<Exception> _errors = new();
    private volatile bool _stopping;
    private volatile bool _janitorStopping;
    private long _vcsOpened, _callFailures, _closesWithSendsInFlight, _dryPool, _batches;

    public SoakLoad(SoakRig rig, VcChurn churn, int seed)
    {
        _rig = rig;
        _churn = churn;
        _seed = seed;
    }

    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(20);

    public long VcsOpened => Interlocked.Read(ref _vcsOpened);

    public long CallFailures => Interlocked.Read(ref _callFailures);

    /// <summary>Closes (NdisClCloseCall, or the far end's close of a PVC) started while sends on the VC were in flight.</summary>
    public long ClosesWithSendsInFlight => Interlocked.Read(ref _closesWithSendsInFlight);

    /// <summary>Send attempts that found the client's pool empty.</summary>
    public long DryPool => Interlocked.Read(ref _dryPool);

    public long Batches => Interlocked.Read(ref _batches);

    public IReadOnlyCollection<Exception> Errors => _errors;

    public TimeSpan Elapsed { get; private set; }

    /// <summary>Runs the load for <paramref name="duration"/> with <paramref name="faults"/> (given a stop flag) on its own thread, then drains.</summary>
    public void Run(TimeSpan duration, Action<Func<bool>>? faults = null)
    {
        var clock = Stopwatch.StartNew();
        var senders = Enumerable.Range(0, Senders).Select(t => Start($"soak sender {t}", () => Sender(t))).ToList();
        var janitor = Start("soak janitor", Janitor);
        var faulter = faults is null ? null : Start("soak faults", () => faults(() => _stopping));
        Thread.Sleep(duration);
        _stopping = true;
        foreach (var thread in senders.Append(faulter).OfType<Thread>())
        {
            if (!thread.Join(Wait * 3))
                _errors.Enqueue(new TimeoutException($"{thread.Name} did not stop within {(Wait * 3).TotalSeconds} s (a hang)"));
        }
        // Drain: every send completes, the janitor closes what is left open, every VC goes.
        if (!Bounded.TryUntil(() => _rig.Hosts.All(h => h.Client.Ledger.InFlight == 0), Wait))
            _errors.Enqueue(new TimeoutException($"sends still in flight after {Wait.TotalSeconds} s:{_rig.Describe()}"));
        if (!Bounded.TryUntil(() => _rig.Hosts.All(h => h.Client.LiveVcs == 0), Wait))
            _errors.Enqueue(new TimeoutException($"VCs still open after {Wait.TotalSeconds} s: {string.Join(", ", _rig.Hosts.Select(h => $"{h.Name} {h.Client.LiveVcs}"))}"));
        _janitorStopping = true;
        if (!janitor.Join(Wait))
            _errors.Enqueue(new TimeoutException("the janitor did not stop"));
        foreach (var host in _rig.Hosts)
            host.Client.Janitor();
        Elapsed = clock.Elapsed;
    }

    /// <summary>Opens a VC from A towards B: a call, or a PVC on both hosts on <paramref name="channel"/>. Null when the call failed.</summary>
    public (SoakVc Tx, SoakVc Rx)? Open(int channel)
    {
        if (_churn == VcChurn.Calls)
        {
            var vc = _rig.A.Client.TryCall(_rig.B.Sap, Wait);
            return vc is null ? null : (vc, vc);
        }
        var channels = ChannelBinding.Both(_rig.ChannelBase + channel);
        var tx = _rig.A.OfferPermanentVc(channels);
        var rx = _rig.OneHost ? tx : _rig.B.OfferPermanentVc(channels);
        return (tx, rx);
    }

    /// <summary>Closes what <see cref="Open"/> opened, at once: the sends still in flight complete before the close does.</summary>
    public void Close(SoakVc tx, SoakVc rx)
    {
        if (tx.SendsInFlight > 0)
            Interlocked.Increment(ref _closesWithSendsInFlight);
        if (_churn == VcChurn.Calls)
        {
            if (!_rig.A.Client.CloseOwn(tx, Wait))
                throw new TimeoutException($"NdisClCloseCall on {tx.Runtime} did not complete in {Wait.TotalSeconds} s:{_rig.Describe()}");
            return;
        }
        _rig.A.RemoteClose(tx);
        if (!Bounded.TryUntil(() => tx.Deleted, Wait))
            throw new TimeoutException($"the PVC {tx.Runtime} was not closed and deleted in {Wait.TotalSeconds} s (state {tx.Runtime.State}, {tx.SendsInFlight} sends in flight):{_rig.Describe()}");
        if (!ReferenceEquals(tx, rx))
        {
            _rig.B.RemoteClose(rx);
            if (!Bounded.TryUntil(() => rx.Deleted, Wait))
                throw new TimeoutException($"the PVC {rx.Runtime} was not closed and deleted in {Wait.TotalSeconds} s");
        }
    }

    /// <summary>Sends one chain, waiting (bounded) while the client has too much in flight; 0 when its pool was dry.</summary>
    public int SendChain(SoakVc vc, int count, Random random)
    {
        var client = _rig.A.Client;
        if (client.Ledger.InFlight > MaxInFlightPerClient && !Bounded.TryUntil(() => client.Ledger.InFlight <= MaxInFlightPerClient / 2, Wait))
            throw new TimeoutException($"{client.Ledger.InFlight} sends stayed in flight for {Wait.TotalSeconds} s (nothing completes: a hang)");
        int sent = client.Send(vc, count, random);
        if (sent == 0)
        {
            Interlocked.Increment(ref _dryPool);
            // The pool refills as completions come back: wait for one, bounded.
            long completed = client.Ledger.Completed;
            if (client.Ledger.InFlight > 0 && !Bounded.TryUntil(() => client.Ledger.Completed != completed || client.Ledger.InFlight == 0, Wait))
                throw new TimeoutException($"the client's pool stayed dry for {Wait.TotalSeconds} s with {client.Ledger.InFlight} sends in flight (a deadlock)");
            Thread.Sleep(1);
        }
        else
        {
            Interlocked.Increment(ref _batches);
        }
        return sent;
    }

    private void Sender(int thread)
    {
        var random = new Random((_seed * 100) + thread);
        int round = 0;
        while (!_stopping)
        {
            // Channels: each sender its own range (1..255 at a time), never one still in use.
            var opened = Open(16 + (thread * 256) + (round++ % 255));
            if (opened is not { } vcs)
            {
                Interlocked.Increment(ref _callFailures);
                continue;
            }
            Interlocked.Increment(ref _vcsOpened);
            int chains = random.Next(1, 48);
            for (int i = 0; i < chains && !_stopping; i++)
            {
                SendChain(vcs.Tx, random.Next(1, 17), random);
                if (random.Next(8) == 0)
                    Thread.Yield();
            }
            Close(vcs.Tx, vcs.Rx);
        }
    }

    private void Janitor()
    {
        while (!_janitorStopping)
        {
            foreach (var host in _rig.Hosts)
                host.Client.Janitor();
            Thread.Sleep(1);
        }
    }

    private Thread Start(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
#pragma warning disable CA1031 // Every failure on a load thread is kept and fails the test.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _errors.Enqueue(ex);
                _stopping = true;
            }
        })
        { Name = name, IsBackground = true };
        thread.Start();
        return thread;
    }
}
