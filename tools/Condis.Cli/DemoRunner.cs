using System.Diagnostics;
using CoNdis.Hardware.Capture;
using CoNdis.NetBufferCore.Info;

namespace Condis.Cli;

/// <summary>
/// Runs the demo traffic through one pairing on one device: a <see cref="DeviceHost"/> over the loopback NIC with receive
/// checksum verification on (the NIC fills the checksums the frames ask for), or over the ATM device (two hosts, a UNI
/// call, the frames in cells; the SAR has no checksum offload, so the frames are sent with their checksums already in);
/// every frame that arrives is compared with what it must be (<see cref="DemoTraffic.Expected"/>).
/// <see cref="SendRound"/> sends the whole traffic once and returns how long it took; the demo interleaves the pairings'
/// timed rounds after a warm-up round of each, so that no pairing pays for the JIT or runs alone on a quiet machine.
/// </summary>
internal sealed class DemoRunner : IFrameSink, IDisposable
{
    private readonly DemoTraffic _traffic;
    private readonly FrameBatch _batch;
    private readonly DeviceHost _host;
    private long _received;
    private long _identical;
    private PcapNgWriter? _writer;
    private long _start;
    private int _problems = -1;

    public DemoRunner(DemoTraffic traffic, DriverSide client, DriverSide miniport, DeviceKind device = DeviceKind.Loopback)
    {
        _traffic = traffic;
        _batch = new FrameBatch(64, 4096, 1536);
        Pairing = $"{ConvertSettings.Name(client)}/{ConvertSettings.Name(miniport)}";
        Device = device;
        _host = new DeviceHost(client, miniport, new DeviceHostOptions { Device = device, ReceiveChecksumOffload = true, BatchCapacity = _batch.Slots.Length }, this);
    }

    public string Pairing { get; }

    public DeviceKind Device { get; }

    /// <summary>The device's name in the table.</summary>
    public string DeviceName => Device == DeviceKind.Atm ? "atm" : "loopback";

    public long Sent { get; private set; }


    /// <summary>The best (shortest) timed round.</summary>
    public TimeSpan Best { get; private set; } = TimeSpan.MaxValue;

    /// <summary>Sends every frame once; with <paramref name="capture"/>, what comes back is written there too.</summary>
    public void WarmUp(PcapNgWriter? capture)
    {
        if (capture is not null)
        {
            _writer = capture;
            capture.AddInterface(new CaptureInterface(FrameNetBufferListBuilder.EthernetLinkType, 262144, InterfaceOptions($"condis demo: what came out of {Pairing} (every pairing delivers the same bytes)")));
            _start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        }

        SendRound();
        _writer = null;
    }

    public void TimedRound()
    {
        var stopwatch = Stopwatch.StartNew();
        SendRound();
        if (stopwatch.Elapsed < Best)
            Best = stopwatch.Elapsed;
    }

    /// <summary>Closes the call and takes the host down; the row of the table.</summary>
    public DemoPairingResult Finish()
    {
        _problems = _host.Close();
        long inserted = _host.Nic.Statistics.ChecksumsInserted;
        double rate = _traffic.Count / Math.Max(Best.TotalSeconds, 1e-9);
        return new DemoPairingResult(Pairing, Sent, _identical, rate, _problems + (int)(Sent - _received), inserted) { Device = DeviceName };
    }

    private void SendRound()
    {
        for (int i = 0; i < _traffic.Count;)
        {
            _batch.Clear();
            while (i < _traffic.Count && !_batch.IsFull)
            {
                bool offload = Device == DeviceKind.Loopback;
                var frame = offload ? _traffic.ToSend[i] : _traffic.Expected[i];
                int index = _batch.Add(frame.Length, 0, carried: true);
                ref var slot = ref _batch.Slots[index];
                slot.Number = i;
                slot.LinkType = FrameNetBufferListBuilder.EthernetLinkType;
                slot.Length = FrameNetBufferListBuilder.Prepare(frame, slot.LinkType, _batch.FrameBytes(index), out Ieee8021QInfo tag);
                slot.Tag = tag.Value;
                slot.ChecksumRequest = offload ? _traffic.ChecksumRequests[i] : 0;
                i++;
            }

            long expected = _received + _batch.Count;
            Sent += _batch.Count;
            _host.Send(_batch);
            if (_received < expected)
            {
                var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 10);
                while (_received < expected)
                {
                    if (Stopwatch.GetTimestamp() > deadline)
                        throw new TimeoutException($"{Pairing}: the device brought back {_received - expected + _batch.Count} of {_batch.Count} frames in 10 s");
                    _host.Service();
                    Thread.Yield();
                }
            }
        }
    }

    public void Received(ReadOnlySpan<byte> frame)
    {
        int index = (int)(_received % _traffic.Count);
        if (frame.SequenceEqual(_traffic.Expected[index]))
            _identical++;
        _writer?.WritePacket(0, CaptureTimestamp.FromUnixNanoseconds(_start + (index * 10_000L)), frame, (uint)frame.Length);
        _received++;
    }

    public void Dispose() => _host.Dispose();

    private static byte[] InterfaceOptions(string name)
    {
        var options = new System.Buffers.ArrayBufferWriter<byte>();
        PcapNgOptions.AppendString(options, PcapNgOptions.IfName, name);
        PcapNgOptions.Append(options, PcapNgOptions.IfTimestampResolution, [9]);
        return options.WrittenSpan.ToArray();
    }
}
