using CoNdis.Hardware.Links;
using CoNdis.Hardware.Nic;

namespace CoNdis.Hardware.Atm;

// The SAR's receive side, on the thread cells arrive on (the far transmitter's: one at a time): the HEC receiver,
// the connection lookup, usage parameter control, per-VC reassembly with its timeout, the CPCS checks, RFC 2684
// decapsulation, and the frame handed to the NIC's receive path. A frame the NIC cannot take now (its FIFO is full,
// flow control on) refuses the last cell and every state it touched is put back: the cell comes again.
public sealed partial class AtmDevice
{
    private readonly HecReceiver _hec = new();
    private readonly byte[] _rxCell = new byte[AtmCell.Length];
    private int _receiveEpoch;
    private int _receiveEpochSeen;
    private long _nextSweepNanoseconds;

    private long _cellsReceived, _cellsUnknownVc, _pdusUnknownVc, _cellsUnassigned, _cellsOam, _cellsMalformed, _cellsTagged, _cellsPolicedOut;
    private long _pdusReceived, _crcErrors, _lengthErrors, _aborts, _oversize, _timeouts, _encapsulationErrors;

    bool INicPersonality.Receive(LinkFrame unit)
    {
        if (unit.Data.Length != AtmCell.Length)
        {
            _cellsMalformed++;
            return true;
        }
        int epoch = Volatile.Read(ref _receiveEpoch);
        if (epoch != _receiveEpochSeen)
        {
            _receiveEpochSeen = epoch;
            _hec.Reset();
        }
        unit.Data.CopyTo(_rxCell);
        var hecBefore = _hec.Save();
        if (_hec.Accept(_rxCell) == HecVerdict.Discarded)
            return true;
        _cellsReceived++;
        var header = AtmCellHeader.Read(_rxCell);
        if (header.IsUnassigned)
        {
            _cellsUnassigned++;
            return true;
        }
        if (!header.IsUserData)
        {
            _cellsOam++;
            return true;
        }
        if ((uint)header.Vpi >= 1u << Options.VpiBits || (uint)header.Vci >= 1u << Options.VciBits)
        {
            _cellsUnknownVc++;
            return true;
        }
        var connection = Lookup(header.Vpi << Options.VciBits | header.Vci);
        if (connection is null)
        {
            _cellsUnknownVc++;
            if (header.IsEndOfPdu)
                _pdusUnknownVc++; // a frame lost: its VC closed here (or never opened) while its cells were on the way
            return true;
        }
        // The cell's time: when it was on the wire (its slot on the sender's line), else now on the device clock.
        long now = unit.TimestampNanoseconds != 0 ? unit.TimestampNanoseconds : Nic.Clock.NowNanoseconds;
        ApplyReceiveConfig(connection, epoch);
        if (now >= _nextSweepNanoseconds)
            Sweep(now);
        var policerBefore = connection.Policer;
        if (connection.Policer.IsActive)
        {
            var verdict = connection.Policer.Police(ToPicoseconds(now), header.CellLossPriority);
            if (verdict == AtmPolicingVerdict.Dropped)
            {
                _cellsPolicedOut++;
                return true;
            }
            if (verdict == AtmPolicingVerdict.Tagged)
                _cellsTagged++;
        }
        var reassembler = connection.Reassembler!;
        int pendingBefore = reassembler.PendingLength;
        long firstBefore = reassembler.FirstCellNanoseconds;
        var status = reassembler.Accept(AtmCell.Payload(_rxCell), header.IsEndOfPdu, now, out var sdu, out bool timedOut);
        if (timedOut)
            _timeouts++;
        switch (status)
        {
            case null:
                return true;
            case Aal5Status.Valid:
                break;
            case Aal5Status.CrcError:
                _crcErrors++;
                return true;
            case Aal5Status.Aborted:
                _aborts++;
                return true;
            case Aal5Status.Oversize:
                _oversize++;
                return true;
            default:
                _lengthErrors++;
                return true;
        }
        var config = connection.ReceiveApplied!;
        if (Rfc2684.Decapsulate(config.Encapsulation, sdu, out int offset, out int length, out _) == Rfc2684Result.Unsupported)
        {
            _encapsulationErrors++;
            return true;
        }
        if (!Nic.AcceptFrame(new LinkFrame(sdu.Slice(offset, length), connection.Channel, LinkFrameFlags.None, unit.TimestampNanoseconds)))
        {
            // Flow control: nothing of this cell happened; it is offered again once the NIC has room.
            reassembler.UndoLastCell(pendingBefore, firstBefore);
            connection.Policer = policerBefore;
            _hec.Restore(hecBefore);
            _cellsReceived--;
            if (timedOut)
                _timeouts--;
            return false;
        }
        _pdusReceived++;
        return true;
    }

    private void ApplyReceiveConfig(AtmConnection connection, int epoch)
    {
        var config = connection.Config;
        if (!ReferenceEquals(config, connection.ReceiveApplied))
        {
            connection.ReceiveApplied = config;
            int capacity = Math.Min(Aal5.MaximumSduLength, config.ReceiveMaxSdu + Rfc2684.HeaderLength(config.Encapsulation));
            if (connection.Reassembler is null || connection.Reassembler.MaximumSduLength != capacity)
                connection.Reassembler = new Aal5Reassembler(capacity, Options.ReassemblyTimeout);
            else
                connection.Reassembler.Clear();
            var contract = config.ReceiveContract with { CellDelayVariationTolerancePicoseconds = Options.CellDelayVariationTolerance.Ticks * 100_000 };
            connection.Policer = new AtmPolicer(contract, Options.Policing);
            connection.ReceiveEpoch = epoch;
        }
        else if (connection.ReceiveEpoch != epoch)
        {
            connection.ReceiveEpoch = epoch;
            connection.Reassembler!.Clear();
        }
    }

    /// <summary>Discards partial PDUs whose reassembly timer ran out (looked at every half timeout, from the receive path).</summary>
    private void Sweep(long now)
    {
        long timeout = Options.ReassemblyTimeout.Ticks * 100;
        _nextSweepNanoseconds = timeout > 0 ? now + Math.Max(1, timeout / 2) : long.MaxValue;
        if (timeout <= 0)
            return;
        for (int i = 0; i < _lookup.Length; i++)
        {
            var connection = Volatile.Read(ref _lookup[i]);
            if (connection?.Reassembler is { } reassembler && reassembler.Expire(now))
                _timeouts++;
        }
    }
}
