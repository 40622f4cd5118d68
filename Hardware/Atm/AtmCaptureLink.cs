using CoNdis.Hardware.Capture;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Nic;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// A capture tap on an ATM NIC's port: it passes every cell through both ways, reassembles each VC's cells per
/// direction as a UNI monitor would, and writes what it saw: one SunATM record per PDU (the SDU; signalling on
/// VPI 0/VCI 5 typed Q.SAAL, LLC/SNAP PDUs typed LLC-multiplexed), or one ERF AAL5 record per PDU (the whole CPCS-PDU,
/// whose CRC-32 Wireshark checks), or one ERF cell record per cell. Transmitted cells are written on the NIC's engine
/// thread, received ones on the far transmitter's; records are written under a lock, once per PDU (per cell for ERF
/// cells). A cell is recorded before it is passed on (so what the far end answers inside the call follows it), once
/// even when flow control makes the sender offer it again. The writer stays the caller's to dispose.
/// </summary>
public sealed class AtmCaptureLink : LinkDecorator
{
    private readonly object _write = new();
    private readonly SunAtmWriter? _sunAtm;
    private readonly ErfWriter? _erf;
    private readonly AtmRecordFormat _format;
    private readonly DeviceClock _clock;
    private readonly Dictionary<int, Aal5Reassembler> _transmitted = [];
    private readonly Dictionary<int, Aal5Reassembler> _received = [];
    private long _records;

    private AtmCaptureLink(ILinkPort inner, AtmRecordFormat format, DeviceClock? clock, string name)
        : base(inner, name)
    {
        _format = format;
        _clock = clock ?? DeviceClock.System;
    }

    /// <summary>A tap writing SunATM records (one per PDU each way) into <paramref name="writer"/>.</summary>
    public AtmCaptureLink(ILinkPort inner, SunAtmWriter writer, DeviceClock? clock = null, string name = "atm capture")
        : this(inner, AtmRecordFormat.SunAtm, clock, name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _sunAtm = writer;
    }

    /// <summary>A tap writing ERF records into <paramref name="writer"/>: AAL5 (one per PDU) or cells (one per cell).</summary>
    public AtmCaptureLink(ILinkPort inner, ErfWriter writer, bool cells = false, DeviceClock? clock = null, string name = "atm capture")
        : this(inner, cells ? AtmRecordFormat.ErfCell : AtmRecordFormat.ErfAal5, clock, name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _erf = writer;
    }

    /// <summary>Records written.</summary>
    public long Recorded => Interlocked.Read(ref _records);

    public override bool Transmit(LinkFrame frame)
    {
        // Recorded before it is passed on: what the far end answers inside the call comes after it in the file.
        bool retry = _transmitRefused && frame.Data.SequenceEqual(_lastTransmitted);
        if (!retry)
            Record(frame, AtmCaptureDirection.Transmitted, _transmitted, _lastTransmitted);
        _transmitRefused = !Inner.Transmit(frame);
        return !_transmitRefused; // a refused cell is offered again as it was: it is not recorded twice
    }

    public override bool Receive(LinkFrame frame)
    {
        bool retry = _receiveRefused && frame.Data.SequenceEqual(_lastReceived);
        if (!retry)
            Record(frame, AtmCaptureDirection.Received, _received, _lastReceived);
        _receiveRefused = !base.Receive(frame);
        return !_receiveRefused;
    }

    private readonly byte[] _lastTransmitted = new byte[AtmCell.Length];
    private readonly byte[] _lastReceived = new byte[AtmCell.Length];
    private bool _transmitRefused;
    private bool _receiveRefused;

    private void Record(LinkFrame frame, AtmCaptureDirection direction, Dictionary<int, Aal5Reassembler> vcs, byte[] last)
    {
        var cell = frame.Data;
        if (cell.Length == AtmCell.Length)
            cell.CopyTo(last);
        if (cell.Length != AtmCell.Length)
            return;
        long nanoseconds = frame.TimestampNanoseconds != 0 ? frame.TimestampNanoseconds : _clock.NowNanoseconds;
        var timestamp = CaptureTimestamp.FromUnixNanoseconds(nanoseconds);
        var header = AtmCellHeader.Read(cell);
        if (_format == AtmRecordFormat.ErfCell)
        {
            lock (_write)
                _erf!.WriteCell(timestamp, header, AtmCell.Payload(cell), direction);
            Interlocked.Increment(ref _records);
            return;
        }
        if (!header.IsUserData || header.IsUnassigned)
            return;
        int key = header.Vpi << 16 | header.Vci;
        if (!vcs.TryGetValue(key, out var reassembler))
            vcs[key] = reassembler = new Aal5Reassembler(Aal5.MaximumSduLength, TimeSpan.Zero);
        var status = reassembler.Accept(AtmCell.Payload(cell), header.IsEndOfPdu, nanoseconds, out var sdu, out _);
        if (status != Aal5Status.Valid)
            return;
        lock (_write)
        {
            if (_sunAtm is not null)
            {
                var type = header.Vpi == 0 && header.Vci == 5 ? SunAtmTrafficType.Signalling
                    : sdu.StartsWith(Rfc2684.LlcSnap) ? SunAtmTrafficType.LlcMultiplexed : SunAtmTrafficType.Unknown;
                _sunAtm.WriteSdu(timestamp, header.Vpi, header.Vci, type, direction, sdu);
            }
            else if (reassembler.LastPdu.Length <= ErfWriter.MaximumAal5PduLength)
            {
                _erf!.WriteAal5(timestamp, header, reassembler.LastPdu, direction);
            }
        }
        Interlocked.Increment(ref _records);
    }
}
