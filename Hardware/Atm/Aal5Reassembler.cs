namespace CoNdis.Hardware.Atm;

/// <summary>
/// The AAL5 receiver of one VC (ITU-T I.363.5 §10): cell payloads are collected until the cell whose PTI marks the
/// end of the CPCS-PDU, then the PDU is checked (<see cref="Aal5.Check"/>). A PDU longer than the VC's maximum SDU
/// allows is discarded and the cells up to its end are skipped; a PDU whose first cell is older than the reassembly
/// timeout when another arrives (or when <see cref="Expire"/> runs) is discarded. The buffer is allocated once, at
/// construction; nothing allocates per cell. Not thread-safe: one receiver per VC, fed by one thread.
/// </summary>
public sealed class Aal5Reassembler
{
    private readonly byte[] _buffer;
    private int _length;
    private bool _discarding;
    private long _firstCellNanoseconds;
    private int _lastPduLength;

    /// <summary>A receiver for SDUs of up to <paramref name="maximumSduLength"/> octets, timing out after <paramref name="timeout"/> (zero: never).</summary>
    public Aal5Reassembler(int maximumSduLength, TimeSpan timeout)
    {
        if (maximumSduLength is < 1 or > Aal5.MaximumSduLength)
            throw new ArgumentOutOfRangeException(nameof(maximumSduLength), maximumSduLength, $"An AAL5 SDU is 1 to {Aal5.MaximumSduLength} octets.");
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        MaximumSduLength = maximumSduLength;
        TimeoutNanoseconds = timeout.Ticks * 100;
        _buffer = GC.AllocateArray<byte>(Aal5.PduLength(maximumSduLength), pinned: true);
    }

    /// <summary>The longest SDU this VC takes.</summary>
    public int MaximumSduLength { get; }

    /// <summary>The reassembly timeout in nanoseconds (0: none).</summary>
    public long TimeoutNanoseconds { get; }

    /// <summary>The whole CPCS-PDU (pad and trailer included) the last end-of-PDU cell completed, valid until the next cell.</summary>
    public ReadOnlySpan<byte> LastPdu => _buffer.AsSpan(0, _lastPduLength);

    /// <summary>Octets collected of the PDU now being reassembled.</summary>
    public int PendingLength => _length;

    /// <summary>True while a PDU is partly collected (or being skipped).</summary>
    public bool InProgress => _length > 0 || _discarding;

    /// <summary>
    /// Takes one cell payload (48 octets) that arrived at <paramref name="nowNanoseconds"/>; <paramref name="endOfPdu"/>
    /// is the PTI's SDU-type bit. Returns null while more cells are needed; otherwise what became of the PDU: on
    /// <see cref="Aal5Status.Valid"/>, <paramref name="sdu"/> is the SDU (valid until the next call). A timed-out
    /// partial PDU is reported through <paramref name="timedOut"/> and this cell starts a new one.
    /// </summary>
    public Aal5Status? Accept(ReadOnlySpan<byte> payload, bool endOfPdu, long nowNanoseconds, out ReadOnlySpan<byte> sdu, out bool timedOut)
    {
        sdu = default;
        timedOut = false;
        if (payload.Length != Aal5.CellPayloadLength)
            throw new ArgumentException($"A cell payload has {Aal5.CellPayloadLength} octets; {payload.Length} given.", nameof(payload));
        if (InProgress && TimeoutNanoseconds > 0 && nowNanoseconds - _firstCellNanoseconds > TimeoutNanoseconds)
        {
            timedOut = true;
            _length = 0;
            _discarding = false;
        }
        if (!InProgress)
            _firstCellNanoseconds = nowNanoseconds;
        if (_discarding)
        {
            if (endOfPdu)
                _discarding = false;
            return endOfPdu ? Aal5Status.Oversize : null;
        }
        if (_length + Aal5.CellPayloadLength > _buffer.Length)
        {
            _length = 0;
            _discarding = !endOfPdu;
            return endOfPdu ? Aal5Status.Oversize : null;
        }
        payload.CopyTo(_buffer.AsSpan(_length));
        _length += Aal5.CellPayloadLength;
        if (!endOfPdu)
            return null;
        var pdu = _buffer.AsSpan(0, _length);
        _lastPduLength = _length;
        _length = 0;
        var status = Aal5.Check(pdu, out int sduLength);
        if (status == Aal5Status.Valid && sduLength > MaximumSduLength)
            return Aal5Status.Oversize;
        if (status == Aal5Status.Valid)
            sdu = pdu[..sduLength];
        return status;
    }

    /// <summary>Undoes the last <see cref="Accept"/> of a final cell whose SDU could not be delivered (the receiver will see the cell again).</summary>
    internal void UndoLastCell(int pendingBefore, long firstCellBefore)
    {
        _length = pendingBefore;
        _firstCellNanoseconds = firstCellBefore;
    }

    /// <summary>When the PDU in progress started (for <see cref="UndoLastCell"/>).</summary>
    internal long FirstCellNanoseconds => _firstCellNanoseconds;

    /// <summary>Discards a partial PDU whose timer ran out by <paramref name="nowNanoseconds"/>; true when one was.</summary>
    public bool Expire(long nowNanoseconds)
    {
        if (!InProgress || TimeoutNanoseconds <= 0 || nowNanoseconds - _firstCellNanoseconds <= TimeoutNanoseconds)
            return false;
        _length = 0;
        _discarding = false;
        return true;
    }

    /// <summary>Drops whatever is partly collected (the VC closed, the device reset).</summary>
    public void Clear()
    {
        _length = 0;
        _discarding = false;
    }
}
