using CoNdis.Hardware.Links;
using CoNdis.Hardware.Nic;

namespace CoNdis.Hardware.Atm;

// The SAR's transmit side, all on the engine thread: TransmitFrame copies a gathered frame into a CPCS-PDU of the
// SAR's memory on its VC's queue; Pump puts cells on the line in slot order, each VC's next cell no earlier than its
// shaper allows, the VC with the earliest eligible cell first (ties: the frame that came first). Nothing allocates.
public sealed partial class AtmDevice
{
    private readonly byte[][] _txBuffers;
    private readonly int[] _txLength;
    private readonly int[] _txNext;
    private readonly long[] _txSequence;
    private readonly int[] _txFree;
    private readonly byte[] _txHeader = new byte[Rfc2684.MaximumHeaderLength];
    private readonly byte[] _txCell = new byte[AtmCell.Length];
    private readonly AtmConnection[] _heap;
    private int _txFreeCount;
    private int _heapCount;
    private long _sequence;
    private long _lineFree;
    private long _nextDue = -1;
    private bool _txPaused; // engine thread only
    private long _txFlushed; // engine thread only (read by Statistics)
    private int _txRoom;    // set by TransmitReady (the far end's thread), taken by the engine

    private long _cellsTransmitted, _pdusTransmitted, _cellsShaped, _txRefused, _txMemoryFull;

    PersonalityTransmit INicPersonality.TransmitFrame(ReadOnlySpan<byte> frame, int channel)
    {
        var connection = Lookup(channel);
        if (connection is null || connection.Closing)
        {
            _txRefused++;
            return PersonalityTransmit.Refused;
        }
        ApplyTransmitConfig(connection);
        var config = connection.TransmitApplied!;
        int headerLength = Rfc2684.HeaderLength(config.Encapsulation);
        if (frame.Length + headerLength > config.TransmitMaxSdu || frame.Length + headerLength > Aal5.MaximumSduLength
            || Aal5.PduLength(frame.Length + headerLength) > _txBuffers[0].Length)
        {
            _txRefused++;
            return PersonalityTransmit.Refused;
        }
        if (_txFreeCount == 0 || (connection.TxTail < 0 && _heapCount == _heap.Length))
        {
            _txMemoryFull++;
            return PersonalityTransmit.NoRoom;
        }
        int buffer = _txFree[--_txFreeCount];
        ushort etherType = config.Encapsulation == Rfc2684Encapsulation.LlcSnapRouted ? Rfc2684.EtherTypeOfIpPacket(frame) : (ushort)0;
        int written = Rfc2684.WriteHeader(config.Encapsulation, etherType, _txHeader);
        _txLength[buffer] = Aal5.BuildPdu(_txHeader.AsSpan(0, written), frame, _txBuffers[buffer]);
        _txSequence[buffer] = ++_sequence;
        _txNext[buffer] = -1;
        if (connection.TxTail < 0)
        {
            connection.TxHead = connection.TxTail = buffer;
            connection.TxOffset = 0;
            connection.HeadSequence = _txSequence[buffer];
            connection.Eligible = connection.Shaped ? connection.Shaper.EarliestDeparture : long.MinValue / 2;
            HeapPush(connection);
        }
        else
        {
            _txNext[connection.TxTail] = buffer;
            connection.TxTail = buffer;
        }
        return PersonalityTransmit.Accepted;
    }

    private void ApplyTransmitConfig(AtmConnection connection)
    {
        var config = connection.Config;
        if (ReferenceEquals(config, connection.TransmitApplied))
            return;
        connection.TransmitApplied = config;
        connection.Shaper = new AtmShaper(config.TransmitContract);
        connection.Shaped = Options.Shaping && connection.Shaper.IsActive;
        // The header and its HEC are the same for every cell of the VC but the last of a PDU: computed once here.
        var header = new AtmCellHeader(config.Vpi, config.Vci);
        header.Write(connection.HeaderOctets);
        header.WithPayloadType(AtmPayloadType.UserDataEndOfPdu).Write(connection.HeaderOctets.AsSpan(AtmCellHeader.Length));
    }

    bool INicPersonality.Pump(long nowNanoseconds)
    {
        if (_heapCount == 0)
            return false;
        if (_txPaused)
        {
            if (Interlocked.Exchange(ref _txRoom, 0) == 0)
                return false;
            _txPaused = false;
        }
        long now = ToPicoseconds(nowNanoseconds);
        long horizon = Options.PaceToClock ? now : long.MaxValue;
        if (_lineFree < now)
            _lineFree = now / _slot * _slot; // an idle line: the slot under way now is the first free one
        _nextDue = -1;
        bool worked = false;
        var link = Nic.Link;
        while (_heapCount > 0)
        {
            var connection = _heap[0];
            long time = Math.Max(_lineFree, connection.Eligible);
            time = (time + _slot - 1) / _slot * _slot;
            if (time > horizon)
            {
                _nextDue = ToNanoseconds(time);
                break;
            }
            int buffer = connection.TxHead;
            int offset = connection.TxOffset;
            bool last = offset + AtmCell.PayloadLength >= _txLength[buffer];
            connection.HeaderOctets.AsSpan(last ? AtmCellHeader.Length : 0, AtmCellHeader.Length).CopyTo(_txCell);
            _txBuffers[buffer].AsSpan(offset, AtmCell.PayloadLength).CopyTo(_txCell.AsSpan(AtmCellHeader.Length));
            if (!link.Transmit(new LinkFrame(_txCell, connection.Channel, LinkFrameFlags.None, ToNanoseconds(time))))
            {
                // The far end's FIFO is full: this cell goes again once it has room. Room signalled since the
                // refusal (TransmitReady on the far end's thread) is taken here, or by the next Pump: never lost.
                if (Interlocked.Exchange(ref _txRoom, 0) != 0)
                    continue;
                _txPaused = true;
                break;
            }
            if (time > _lineFree)
                _cellsShaped++;
            _lineFree = time + _slot;
            if (connection.Shaped)
                connection.Shaper.Sent(time);
            _cellsTransmitted++;
            worked = true;
            if (!last)
            {
                connection.TxOffset = offset + AtmCell.PayloadLength;
            }
            else
            {
                _pdusTransmitted++;
                connection.TxHead = _txNext[buffer];
                connection.TxOffset = 0;
                _txFree[_txFreeCount++] = buffer;
                if (connection.TxHead < 0)
                {
                    connection.TxTail = -1;
                    HeapRemoveTop();
                    continue;
                }
                connection.HeadSequence = _txSequence[connection.TxHead];
            }
            connection.Eligible = connection.Shaped ? connection.Shaper.EarliestDeparture : long.MinValue / 2;
            HeapSiftDown(0);
        }
        return worked;
    }

    long INicPersonality.NextDeadline(long nowNanoseconds) => Options.PaceToClock && !_txPaused && _heapCount > 0 ? _nextDue : -1;

    void INicPersonality.TransmitReady() => Volatile.Write(ref _txRoom, 1);

    void INicPersonality.Reset()
    {
        // Everything the SAR held is gone: queued PDUs (their sends completed when the SAR took them) and partial reassemblies.
        for (int i = 0; i < _heapCount; i++)
        {
            var connection = _heap[i];
            for (int buffer = connection.TxHead; buffer >= 0; buffer = _txNext[buffer])
            {
                _txFree[_txFreeCount++] = buffer;
                _txFlushed++;
            }
            connection.TxHead = connection.TxTail = -1;
            connection.TxOffset = 0;
            connection.HeapIndex = -1;
            _heap[i] = null!;
        }
        _heapCount = 0;
        _txPaused = false;
        Volatile.Write(ref _txRoom, 0);
        Interlocked.Increment(ref _receiveEpoch);
    }

    // ---- The scheduler: a binary heap of the VCs with cells queued, keyed by (eligible time, frame order) ----

    private static bool Before(AtmConnection a, AtmConnection b) =>
        a.Eligible < b.Eligible || (a.Eligible == b.Eligible && a.HeadSequence < b.HeadSequence);

    private void HeapPush(AtmConnection connection)
    {
        int at = _heapCount++;
        _heap[at] = connection;
        connection.HeapIndex = at;
        HeapSiftUp(at);
    }

    private void HeapRemoveTop()
    {
        var top = _heap[0];
        top.HeapIndex = -1;
        _heapCount--;
        if (_heapCount == 0)
        {
            _heap[0] = null!;
            return;
        }
        _heap[0] = _heap[_heapCount];
        _heap[_heapCount] = null!;
        _heap[0].HeapIndex = 0;
        HeapSiftDown(0);
    }

    private void HeapSiftUp(int at)
    {
        var item = _heap[at];
        while (at > 0)
        {
            int parent = (at - 1) / 2;
            if (!Before(item, _heap[parent]))
                break;
            _heap[at] = _heap[parent];
            _heap[at].HeapIndex = at;
            at = parent;
        }
        _heap[at] = item;
        item.HeapIndex = at;
    }

    private void HeapSiftDown(int at)
    {
        var item = _heap[at];
        while (true)
        {
            int child = 2 * at + 1;
            if (child >= _heapCount)
                break;
            if (child + 1 < _heapCount && Before(_heap[child + 1], _heap[child]))
                child++;
            if (!Before(_heap[child], item))
                break;
            _heap[at] = _heap[child];
            _heap[at].HeapIndex = at;
            at = child;
        }
        _heap[at] = item;
        item.HeapIndex = at;
    }
}
