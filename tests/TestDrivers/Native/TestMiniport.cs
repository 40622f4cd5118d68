using System.Collections.Concurrent;
using CoNdis.NetBufferCore;

namespace CoNdis.TestDrivers;

/// <summary>
/// What the NDIS 6 and the NDIS 5.x test miniports share, written once: the knobs a test sets (completion mode,
/// loopback, recording, pended activation and deactivation), per-VC bookkeeping (sends held or in flight, receives
/// out), a deactivation that completes only once its VC is idle, pended activation and deactivation finished on the
/// test's word, held sends completed in wire order or cancelled by a predicate, and the "DPC" thread that completes
/// sends in random groups and order. <typeparamref name="TVcHandle"/> is the NdisVcHandle of the world the miniport
/// lives in, <typeparamref name="TSend"/> what a send hands it one by one (an NBL, a packet); the DDI calls are the
/// deriving miniport's.
/// </summary>
public abstract class TestMiniport<TVcHandle, TSend> : IDisposable
    where TVcHandle : class
    where TSend : class
{
    private readonly List<byte[]> _sent = [];
    private readonly List<MiniportVc> _vcs = [];
    private readonly BlockingCollection<(MiniportVc Vc, TSend[] Sends)> _work = [];
    private Thread? _worker;
    private int _returned;

    public SendCompletion SendCompletion { get; set; }

    /// <summary>Indicate every frame that completes successfully back as a receive on the same VC.</summary>
    public bool Loopback { get; set; }

    /// <summary>Keep a copy of every frame sent.</summary>
    public bool RecordSentFrames { get; set; } = true;

    public bool PendActivate { get; set; }

    public bool PendDeactivate { get; set; }

    /// <summary>Sends held (SendCompletion.Held), over all VCs.</summary>
    public int QueuedSends
    {
        get { lock (Sync) return _vcs.Sum(v => v.Queue.Count); }
    }

    /// <summary>Own receives that came back (NdisReturnNetBufferLists / NdisReturnPackets reaching this miniport).</summary>
    public int ReturnedReceives => Volatile.Read(ref _returned);

    /// <summary>Frames the miniport saw sent, in order.</summary>
    public IReadOnlyList<byte[]> SentFrames
    {
        get { lock (_sent) return [.. _sent]; }
    }

    protected object Sync { get; } = new();

    /// <summary>Completes held sends with <paramref name="status"/>, in wire order per VC; returns how many.</summary>
    public int CompleteQueued(NdisStatus status = NdisStatus.Success)
    {
        int total = 0;
        foreach (var vc in Vcs())
        {
            var queued = TakeQueue(vc);
            Complete(vc, queued, status, counted: true);
            total += queued.Length;
        }
        return total;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
            return;
        _work.CompleteAdding();
        _worker?.Join(TimeSpan.FromSeconds(10));
        _work.Dispose();
    }

    // ---- for the deriving miniport ------------------------------------------------------------------------

    /// <summary>Completes <paramref name="sends"/> with <paramref name="status"/> through the DDI; calls <see cref="Completed"/> when <paramref name="counted"/>.</summary>
    protected abstract void Complete(MiniportVc vc, TSend[] sends, NdisStatus status, bool counted);

    /// <summary>Finishes a pended activation (NdisMCoActivateVcComplete).</summary>
    protected abstract void CompleteActivation(MiniportVc vc, NdisStatus status);

    /// <summary>Finishes a pended deactivation (NdisMCoDeactivateVcComplete).</summary>
    protected abstract void CompleteDeactivation(MiniportVc vc, NdisStatus status);

    /// <summary>MiniportCoCreateVc: a MiniportVcContext for <paramref name="handle"/>; never pends.</summary>
    protected NdisStatus CreateVc(TVcHandle handle, out object? miniportVcContext)
    {
        var vc = new MiniportVc(handle);
        lock (Sync)
            _vcs.Add(vc);
        miniportVcContext = vc;
        return NdisStatus.Success;
    }

    /// <summary>MiniportCoDeleteVc: forgets the VC's context.</summary>
    protected NdisStatus DeleteVc(object? miniportVcContext)
    {
        lock (Sync)
            _vcs.Remove((MiniportVc)miniportVcContext!);
        return NdisStatus.Success;
    }

    protected MiniportVc Find(TVcHandle handle)
    {
        lock (Sync)
            return _vcs.First(v => ReferenceEquals(v.Handle, handle));
    }

    /// <summary>MiniportCoActivateVc's answer: SUCCESS, or PENDING when <see cref="PendActivate"/> (finished by <see cref="FinishPended"/>).</summary>
    protected NdisStatus Activate(MiniportVc vc)
    {
        lock (Sync)
            vc.Pending = PendActivate ? PendedWork.Activation : PendedWork.None;
        return PendActivate ? NdisStatus.Pending : NdisStatus.Success;
    }

    /// <summary>
    /// MiniportCoDeactivateVc: every held send completes first (with NDIS_STATUS_CLOSING, the status NDIS gives sends
    /// refused on a closing VC); SUCCESS when the VC is idle, else PENDING, finished once the last send completes
    /// and the last receive is home (or by <see cref="FinishPended"/> when <see cref="PendDeactivate"/>).
    /// </summary>
    protected NdisStatus Deactivate(MiniportVc vc)
    {
        Complete(vc, TakeQueue(vc), NdisStatus.Closing, counted: true);
        lock (Sync)
        {
            vc.Pending = PendDeactivate ? PendedWork.Deactivation : PendedWork.None;
            if (!PendDeactivate && vc.InFlight == 0 && vc.HeldReceives == 0)
                return NdisStatus.Success;
            vc.CompleteDeactivationWhenIdle = !PendDeactivate;
        }
        return NdisStatus.Pending;
    }

    /// <summary>Finishes what <paramref name="vc"/> has pended: its activation, or its deactivation once it is idle.</summary>
    protected void FinishPended(MiniportVc vc, NdisStatus status)
    {
        PendedWork pending;
        lock (Sync)
        {
            pending = vc.Pending;
            vc.Pending = PendedWork.None;
        }
        if (pending == PendedWork.Activation)
        {
            CompleteActivation(vc, status);
            return;
        }
        if (pending != PendedWork.Deactivation)
            throw new InvalidOperationException($"{vc.Handle} has no pended activation or deactivation in the test miniport.");
        lock (Sync)
        {
            if (vc.InFlight > 0 || vc.HeldReceives > 0)
            {
                vc.CompleteDeactivationWhenIdle = true;
                return;
            }
        }
        CompleteDeactivation(vc, status);
    }

    protected void Record(byte[] frame)
    {
        lock (_sent)
            _sent.Add(frame);
    }

    /// <summary>Takes <paramref name="sends"/> in flight and completes them as <see cref="SendCompletion"/> says (not Inline: the deriving miniport completes those itself).</summary>
    protected void Accept(MiniportVc vc, TSend[] sends)
    {
        lock (Sync)
        {
            vc.InFlight += sends.Length;
            if (SendCompletion == SendCompletion.Held)
                vc.Queue.AddRange(sends); // InsertTailList(&pVc->SendQueue, …): arrival order is wire order
        }
        if (SendCompletion == SendCompletion.Thread)
        {
            StartWorker();
            _work.Add((vc, sends));
        }
    }

    /// <summary>Completes the held sends <paramref name="match"/> picks with NDIS_STATUS_SEND_ABORTED (MiniportCancelSend).</summary>
    protected void Cancel(Func<TSend, bool> match)
    {
        foreach (var vc in Vcs())
        {
            TSend[] cancelled;
            lock (Sync)
            {
                cancelled = [.. vc.Queue.Where(match)];
                vc.Queue.RemoveAll(s => match(s));
            }
            Complete(vc, cancelled, NdisStatus.SendAborted, counted: true);
        }
    }

    /// <summary><paramref name="count"/> sends that were in flight completed; a deactivation waiting for them may finish.</summary>
    protected void Completed(MiniportVc vc, int count)
    {
        lock (Sync)
            vc.InFlight -= count;
        MaybeFinishDeactivation(vc);
    }

    /// <summary><paramref name="count"/> receives went up and are the protocol's until they come back.</summary>
    protected void ReceivesOut(MiniportVc vc, int count)
    {
        lock (Sync)
            vc.HeldReceives += count;
    }

    /// <summary><paramref name="count"/> receives came back; a deactivation waiting for them may finish.</summary>
    protected void ReceivesBack(MiniportVc vc, int count)
    {
        Interlocked.Add(ref _returned, count);
        lock (Sync)
            vc.HeldReceives -= count;
        MaybeFinishDeactivation(vc);
    }

    private MiniportVc[] Vcs()
    {
        lock (Sync)
            return [.. _vcs];
    }

    private TSend[] TakeQueue(MiniportVc vc)
    {
        lock (Sync)
        {
            TSend[] queued = [.. vc.Queue];
            vc.Queue.Clear();
            return queued;
        }
    }

    private void MaybeFinishDeactivation(MiniportVc vc)
    {
        lock (Sync)
        {
            if (!vc.CompleteDeactivationWhenIdle || vc.InFlight > 0 || vc.HeldReceives > 0)
                return;
            vc.CompleteDeactivationWhenIdle = false;
            vc.Pending = PendedWork.None;
        }
        CompleteDeactivation(vc, NdisStatus.Success);
    }

    private void StartWorker()
    {
        lock (Sync)
        {
            if (_worker is not null)
                return;
            _worker = new Thread(Work) { IsBackground = true, Name = $"{GetType().Name} DPC" };
            _worker.Start();
        }
    }

    /// <summary>The "DPC": completes each batch in random groups of one to four, in a shuffled order.</summary>
    private void Work()
    {
        var random = new Random(1);
        foreach (var (vc, sends) in _work.GetConsumingEnumerable())
        {
            var groups = new List<TSend[]>();
            for (int at = 0; at < sends.Length;)
            {
                int size = Math.Min(random.Next(1, 5), sends.Length - at);
                groups.Add(sends[at..(at + size)]);
                at += size;
            }
            foreach (var group in groups.OrderBy(_ => random.Next()))
                Complete(vc, group, NdisStatus.Success, counted: true);
        }
    }

    protected enum PendedWork
    {
        None,
        Activation,
        Deactivation,
    }

    /// <summary>A test miniport's MiniportVcContext.</summary>
    protected sealed class MiniportVc(TVcHandle handle)
    {
        public TVcHandle Handle { get; } = handle;

        /// <summary>Sends held, in wire order.</summary>
        public List<TSend> Queue { get; } = [];

        public int InFlight { get; set; }

        public int HeldReceives { get; set; }

        public bool CompleteDeactivationWhenIdle { get; set; }

        public PendedWork Pending { get; set; }
    }
}
