using System.Buffers.Binary;
using CoNdis.Hardware.Links;

namespace CoNdis.Hardware.Nic;

// The device itself: one engine pass moves frames from the receive FIFO into posted buffers, transmits what the
// transmit ring holds, runs the timer and raises the interrupt when moderation lets it. Passes never overlap (a
// busy flag per device, taken once per doorbell, not per frame); counters the engine writes have one writer.
public sealed partial class SimulatedNic
{
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 20);
    private Thread? _thread;
    private volatile bool _stopping;
    private int _sleeping;
    private int _busy;
    private int _moreWork;
    private int _engineThread;

    private volatile bool _hung;
    private volatile bool _resetting;
    private int _resetPending;
    private int _linkChanged;
    private int _refused;
    private int _txReady;
    private bool _txPaused;

    private NicInterruptCauses _causes;
    private int _pendingEvents;
    private long _firstPendingNanoseconds;
    private int _moderationPackets;
    private long _moderationNanoseconds;

    private Action? _timer;
    private long _timerPeriodNanoseconds;
    private long _timerDueNanoseconds;

    private long _txFrames, _txBytes, _txErrors, _rxFrames, _rxBytes, _dmaCopies, _dmaBytes, _interrupts, _resets, _pauses;
    private long _checksumsInserted, _checksumsVerified;
    private long _rxErrors, _rxFcsErrors, _rxNoBuffer, _rxFlushed, _bounces, _bounceBytes;

    /// <summary>Something changed: run the engine now (inline) or wake the device thread.</summary>
    private void Kick()
    {
        Interlocked.Exchange(ref _moreWork, 1);
        if (Options.CompletionMode == NicCompletionMode.DeviceThread)
        {
            if (Volatile.Read(ref _sleeping) != 0)
                _wake.Set();
            return;
        }
        if (!_started)
            return;
        while (Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            int previous = Volatile.Read(ref _engineThread);
            Volatile.Write(ref _engineThread, Environment.CurrentManagedThreadId);
            try
            {
                while (Interlocked.Exchange(ref _moreWork, 0) != 0)
                {
                    while (RunPass())
                    {
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _engineThread, previous);
                Volatile.Write(ref _busy, 0);
            }
            // A kick that came in while we were leaving must not be lost: look once more.
            if (Volatile.Read(ref _moreWork) == 0)
                break;
        }
    }

    private void StartThread()
    {
        _stopping = false;
        _thread = new Thread(DeviceLoop) { IsBackground = true, Name = $"{Name} device" };
        _thread.Start();
    }

    private void StopThread()
    {
        var thread = _thread;
        if (thread is null)
            return;
        _stopping = true;
        _wake.Set();
        if (!thread.Join(TimeSpan.FromSeconds(10)))
            throw new TimeoutException($"{Name}'s device thread did not stop within 10 s (a DPC handler blocked?).");
        _thread = null;
    }

    /// <summary>The device thread: work → look again; no work → arm the doorbell, look once more, then sleep until a doorbell or the next timer.</summary>
    private void DeviceLoop()
    {
        Volatile.Write(ref _engineThread, Environment.CurrentManagedThreadId);
        while (!_stopping)
        {
            Interlocked.Exchange(ref _moreWork, 0);
            while (RunPass() && !_stopping)
            {
            }
            if (Volatile.Read(ref _moreWork) != 0)
                continue;
            Volatile.Write(ref _sleeping, 1);
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _moreWork) != 0 || _stopping)
            {
                Volatile.Write(ref _sleeping, 0);
                continue;
            }
            long wait = NanosecondsToNextDeadline();
            if (wait < 0 || Clock.IsVirtual)
            {
                _wake.Wait();
            }
            else if (wait >= 1_000_000)
            {
                _wake.Wait(TimeSpan.FromTicks(wait / 100));
            }
            else
            {
                // Closer than a scheduler tick: yield until it is due (or a doorbell comes).
                long due = Clock.NowNanoseconds + wait;
                while (Clock.NowNanoseconds < due && Volatile.Read(ref _moreWork) == 0 && !_stopping)
                    Thread.Yield();
            }
            _wake.Reset();
            Volatile.Write(ref _sleeping, 0);
        }
    }

    private long NanosecondsToNextDeadline()
    {
        long now = Clock.NowNanoseconds;
        long best = -1;
        if (_pendingEvents > 0 && Interlocked.Read(ref _moderationNanoseconds) > 0)
            best = Math.Max(0, _firstPendingNanoseconds + Interlocked.Read(ref _moderationNanoseconds) - now);
        if (Volatile.Read(ref _timer) is not null)
        {
            long timer = Math.Max(0, Interlocked.Read(ref _timerDueNanoseconds) - now);
            best = best < 0 ? timer : Math.Min(best, timer);
        }
        if (_personality?.NextDeadline(now) is long due and >= 0)
            best = best < 0 ? Math.Max(0, due - now) : Math.Min(best, Math.Max(0, due - now));
        return best;
    }

    /// <summary>One pass of the device; true when it did anything (then it runs again).</summary>
    private bool RunPass()
    {
        bool worked = false;
        if (Volatile.Read(ref _resetPending) != 0)
        {
            ResetDevice();
            worked = true;
        }
        if (Volatile.Read(ref _linkChanged) != 0 && Interlocked.Exchange(ref _linkChanged, 0) != 0)
        {
            Raise(NicInterruptCauses.LinkStatusChange);
            if (!Link.IsUp)
                Interlocked.Add(ref _rxFlushed, _fifo.Flush());
        }
        if (!_hung && !_resetting)
        {
            worked |= DrainFifo();
            worked |= TransmitFrames();
            if (_personality is { } personality)
                worked |= personality.Pump(Clock.NowNanoseconds);
        }
        worked |= RunTimer();
        worked |= MaybeInterrupt();
        return worked;
    }

    private void ResetDevice()
    {
        Volatile.Write(ref _resetPending, 0);
        _hung = false;
        _resetting = true;
        Interlocked.Add(ref _rxFlushed, _fifo.Flush());
        if (Interlocked.Exchange(ref _refused, 0) != 0)
            Link.ReceiverReady(); // the FIFO is empty now: a far end we refused must hear it, nothing else will tell it
        _txPaused = false;
        _personality?.Reset();
        _causes = NicInterruptCauses.None;
        _pendingEvents = 0;
        _resets++;
        Raise(NicInterruptCauses.ResetDone);
    }

    /// <summary>Transmits whole frames from the ring's head: DMA-gather, offloads, onto the wire, write back.</summary>
    private bool TransmitFrames()
    {
        if (_txPaused)
        {
            if (Volatile.Read(ref _txReady) == 0 || Interlocked.Exchange(ref _txReady, 0) == 0)
                return false;
            _txPaused = false;
        }
        var ring = TransmitRing;
        uint head = ring.Head;
        uint tail = ring.Tail;
        int budget = Options.TransmitBudget;
        bool worked = false;
        long now = 0; // one clock read per pass: the frames of a burst leave together
        while (head != tail && budget-- > 0)
        {
            uint end = head;
            int length = 0;
            bool complete = false;
            while (end != tail)
            {
                ref var piece = ref ring[end];
                length += piece.Length;
                end++;
                if ((piece.Command & NicTxCommand.EndOfPacket) != 0)
                {
                    complete = true;
                    break;
                }
            }
            if (!complete)
            {
                if (end - head < (uint)ring.Size)
                    break; // the driver is still posting this frame
                WriteBack(ring, head, end, NicTxStatus.Malformed);
                head = end;
                continue;
            }
            ref var first = ref ring[head];
            NicTxStatus status;
            bool tag = (first.Command & NicTxCommand.InsertVlan) != 0;
            if (!Link.IsUp)
            {
                status = NicTxStatus.NoCarrier;
            }
            else if (length + (tag ? FrameOffload.VlanTagLength : 0) > Options.MaximumFrameSize)
            {
                status = NicTxStatus.FrameTooLong;
            }
            else
            {
                var frame = Gather(ring, head, end, length, ref first);
                if (now == 0)
                    now = Clock.NowNanoseconds;
                if (_personality is { } personality)
                {
                    // The SAR takes the frame into its own memory (segmented onto the wire by its Pump), or has no room yet.
                    var taken = personality.TransmitFrame(frame, first.Channel);
                    if (taken == PersonalityTransmit.NoRoom)
                        break;
                    status = taken == PersonalityTransmit.Accepted ? NicTxStatus.Done : NicTxStatus.Malformed;
                    if (status == NicTxStatus.Done)
                    {
                        _txFrames++;
                        _txBytes += frame.Length;
                    }
                }
                else if (!Link.Transmit(new LinkFrame(frame, first.Channel, LinkFrameFlags.None, now)))
                {
                    // PAUSE from the far end: keep the frame, retry once room is signalled.
                    if (Interlocked.Exchange(ref _txReady, 0) != 0)
                        continue;
                    _txPaused = true;
                    _pauses++;
                    break;
                }
                else
                {
                    status = NicTxStatus.Done;
                    _txFrames++;
                    _txBytes += frame.Length;
                }
            }
            if (status != NicTxStatus.Done)
                _txErrors++;
            WriteBack(ring, head, end, status);
            head = end;
            worked = true;
            tail = ring.Tail;
        }
        return worked;
    }

    private void WriteBack(DescriptorRing<NicTxDescriptor> ring, uint head, uint end, NicTxStatus status)
    {
        for (uint i = head; i != end; i++)
            ring[i].Status = status;
        ring.AdvanceHead(end);
        Raise(NicInterruptCauses.TransmitDone);
    }

    /// <summary>The DMA read: the frame's pieces into the device FIFO, then the tag and checksums the descriptor asks for.</summary>
    private unsafe Span<byte> Gather(DescriptorRing<NicTxDescriptor> ring, uint head, uint end, int length, ref NicTxDescriptor first)
    {
        const int front = FrameOffload.VlanTagLength;
        fixed (byte* staging = _staging)
        {
            byte* at = staging + front;
            for (uint i = head; i != end; i++)
            {
                ref var piece = ref ring[i];
                Buffer.MemoryCopy((void*)piece.BufferAddress, at, piece.Length, piece.Length);
                at += piece.Length;
            }
        }
        _dmaCopies++;
        _dmaBytes += length;
        Span<byte> frame;
        if ((first.Command & NicTxCommand.InsertVlan) != 0 && length >= FrameOffload.MacAddressesLength)
        {
            _staging.AsSpan(front, FrameOffload.MacAddressesLength).CopyTo(_staging);
            BinaryPrimitives.WriteUInt16BigEndian(_staging.AsSpan(FrameOffload.MacAddressesLength), FrameOffload.Ieee8021QTpid);
            BinaryPrimitives.WriteUInt16BigEndian(_staging.AsSpan(FrameOffload.MacAddressesLength + 2), first.VlanTag);
            frame = _staging.AsSpan(0, length + front);
        }
        else
        {
            frame = _staging.AsSpan(front, length);
        }
        const NicTxCommand checksums = NicTxCommand.InsertIpChecksum | NicTxCommand.InsertTcpChecksum | NicTxCommand.InsertUdpChecksum;
        if ((first.Command & checksums) != 0 && Options.TransmitChecksumOffload)
        {
            var layout = FrameOffload.Parse(frame);
            bool inserted = false;
            if ((first.Command & NicTxCommand.InsertIpChecksum) != 0)
                inserted |= FrameOffload.InsertIpChecksum(frame, layout);
            if ((first.Command & NicTxCommand.InsertTcpChecksum) != 0 && FrameOffload.IsTcp(layout.Transport)
                || (first.Command & NicTxCommand.InsertUdpChecksum) != 0 && FrameOffload.IsUdp(layout.Transport))
                inserted |= FrameOffload.InsertTransportChecksum(frame, layout);
            if (inserted)
                _checksumsInserted++;
        }
        return frame;
    }

    /// <summary>Frames waiting in the FIFO go to posted buffers; a paused far end hears there is room again.</summary>
    private bool DrainFifo()
    {
        bool worked = false;
        var ring = ReceiveRing;
        while (_fifo.ReadyCount > 0 && ring.Head != ring.Tail && _fifo.TryTake(out int index))
        {
            DeliverToHost(_fifo.Frame(index));
            _fifo.Release(index);
            worked = true;
        }
        // A full fence between freeing FIFO slots and reading the flag (store then load), paired with the receiver's.
        if (worked && Interlocked.Exchange(ref _refused, 0) != 0)
            Link.ReceiverReady();
        return worked;
    }

    /// <summary>
    /// The DMA write of one received frame into the next posted buffer: 802.1Q tag stripped into the descriptor,
    /// checksums verified, length/status/tag/channel written back. False when no buffer is posted.
    /// </summary>
    private unsafe bool DeliverToHost(LinkFrame frame)
    {
        var ring = ReceiveRing;
        uint head = ring.Head;
        if (head == ring.Tail)
            return false;
        ref var descriptor = ref ring[head];
        var data = frame.Data;
        var status = NicRxStatus.Done | NicRxStatus.EndOfPacket;
        ushort tci = 0;
        int strip = 0;
        if (Options.StripVlanTags && FrameOffload.ReadVlanTag(data) is ushort tag)
        {
            tci = tag;
            strip = FrameOffload.VlanTagLength;
            status |= NicRxStatus.VlanStripped;
        }
        int length = data.Length - strip;
        if (length > descriptor.BufferLength)
        {
            Interlocked.Increment(ref _rxErrors);
            return true; // too long for the posted buffer: discarded, the buffer stays posted
        }
        var target = new Span<byte>((void*)descriptor.BufferAddress, length);
        if (strip == 0)
        {
            data.CopyTo(target);
        }
        else
        {
            data[..FrameOffload.MacAddressesLength].CopyTo(target);
            data[(FrameOffload.MacAddressesLength + strip)..].CopyTo(target[FrameOffload.MacAddressesLength..]);
        }
        _dmaCopies++;
        _dmaBytes += length;
        if (Options.ReceiveChecksumOffload)
            status |= VerifyChecksums(target);
        descriptor.Length = length;
        descriptor.VlanTag = tci;
        descriptor.Channel = frame.Channel;
        descriptor.Status = status;
        ring.AdvanceHead(head + 1);
        _rxFrames++;
        _rxBytes += data.Length;
        Raise(NicInterruptCauses.ReceiveDone);
        return true;
    }

    private NicRxStatus VerifyChecksums(ReadOnlySpan<byte> frame)
    {
        var layout = FrameOffload.Parse(frame);
        if (!layout.IsIPv4 && !layout.IsIPv6)
            return NicRxStatus.None;
        var status = layout.IsIPv4 ? NicRxStatus.IPv4 : NicRxStatus.IPv6;
        if (layout.IsIPv4)
        {
            status |= NicRxStatus.IpChecksumChecked;
            if (!FrameOffload.VerifyIpChecksum(frame, layout))
                status |= NicRxStatus.IpChecksumError;
        }
        if (FrameOffload.VerifyTransportChecksum(frame, layout) is bool good)
        {
            status |= FrameOffload.IsTcp(layout.Transport) ? NicRxStatus.TcpChecksumChecked : NicRxStatus.UdpChecksumChecked;
            if (!good)
                status |= NicRxStatus.L4ChecksumError;
        }
        _checksumsVerified++;
        return status;
    }

    private void Raise(NicInterruptCauses cause)
    {
        if (_pendingEvents++ == 0)
            _firstPendingNanoseconds = Interlocked.Read(ref _moderationNanoseconds) > 0 ? Clock.NowNanoseconds : 0;
        _causes |= cause;
    }

    /// <summary>Moderation: interrupt after N events, or T after the first unsignalled one; link, reset and overrun at once.</summary>
    private bool MaybeInterrupt()
    {
        var causes = _causes;
        if (causes == NicInterruptCauses.None)
            return false;
        const NicInterruptCauses urgent = NicInterruptCauses.LinkStatusChange | NicInterruptCauses.ResetDone | NicInterruptCauses.ReceiveOverrun;
        if ((causes & urgent) == 0 && _pendingEvents < Volatile.Read(ref _moderationPackets))
        {
            long limit = Interlocked.Read(ref _moderationNanoseconds);
            if (limit <= 0 || Clock.NowNanoseconds - _firstPendingNanoseconds < limit)
                return false;
        }
        _causes = NicInterruptCauses.None;
        _pendingEvents = 0;
        _interrupts++;
        Volatile.Read(ref _handler)?.InterruptDpc(causes);
        return true;
    }

    private bool RunTimer()
    {
        var timer = Volatile.Read(ref _timer);
        if (timer is null)
            return false;
        long now = Clock.NowNanoseconds;
        if (now < Interlocked.Read(ref _timerDueNanoseconds))
            return false;
        Interlocked.Exchange(ref _timerDueNanoseconds, now + Interlocked.Read(ref _timerPeriodNanoseconds));
        timer();
        return true;
    }
}
