using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// The ATM personality of the <see cref="SimulatedNic"/>: a SAR in the device, as on real ATM adapters. Frames the
/// DMA engine gathers are encapsulated (RFC 2684, per VC), made AAL5 CPCS-PDUs and segmented into 53-octet cells
/// with the HEC, scheduled per VC by its GCRA shaper on the line's cell slots (OC-3 by default) and put on the link
/// one cell at a time; cells from the link pass the HEC receiver and usage parameter control, are reassembled per VC
/// with a timeout, checked (CRC-32, length), decapsulated and written into the host's posted buffers like any frame.
/// The connection table is programmed at VC activation from ATM_MEDIA_PARAMETERS (VPI/VCI, flows) and the Q.2931
/// call-manager parameters (encapsulation), so the reference miniports drive it unchanged; the native one's integrated
/// call manager runs UNI 3.1 signalling (Q.2931 over SSCOP on VPI 0/VCI 5) on it. The device clock is the NIC's one
/// clock: cell slots, shaping, policing and reassembly timeouts all run on it.
/// </summary>
public sealed partial class AtmDevice : INicPersonality
{
    private readonly object _control = new();
    private readonly AtmConnection?[] _lookup;
    private readonly long _slot;
    private int _open;
    private long _epochNanoseconds;

    /// <summary>
    /// Builds the ATM NIC on <paramref name="link"/>: a <see cref="SimulatedNic"/> with this personality, as many
    /// channels as the VPI/VCI bits decode, and its Ethernet offloads (VLAN strip, IP checksums) off.
    /// </summary>
    public AtmDevice(ILinkPort link, AtmDeviceOptions? options = null, NicOptions? nicOptions = null, DeviceClock? clock = null, string name = "atm")
    {
        ArgumentNullException.ThrowIfNull(link);
        Options = options ?? new AtmDeviceOptions();
        Options.Validate();
        var nic = (nicOptions ?? new NicOptions()) with
        {
            Channels = 1 << (Options.VpiBits + Options.VciBits),
            StripVlanTags = false,
            ReceiveChecksumOffload = false,
            TransmitChecksumOffload = false,
        };
        Nic = new SimulatedNic(link, nic, clock, name);
        _lookup = new AtmConnection?[nic.Channels];
        _slot = AtmLine.CellSlotPicoseconds(Options.LineRateBitsPerSecond);
        int pduSize = Aal5.PduLength(Math.Min(Aal5.MaximumSduLength, nic.MaximumFrameSize + Rfc2684.MaximumHeaderLength));
        _txBuffers = new byte[Options.TransmitBuffers][];
        _txLength = new int[Options.TransmitBuffers];
        _txNext = new int[Options.TransmitBuffers];
        _txSequence = new long[Options.TransmitBuffers];
        _txFree = new int[Options.TransmitBuffers];
        for (int i = 0; i < _txBuffers.Length; i++)
        {
            _txBuffers[i] = new byte[pduSize];
            _txFree[i] = i;
        }
        _txFreeCount = _txBuffers.Length;
        _heap = new AtmConnection[Options.MaximumConnections * 2];
        Nic.Personality = this;
    }

    /// <summary>The NIC the miniports drive.</summary>
    public SimulatedNic Nic { get; }

    public AtmDeviceOptions Options { get; }

    /// <summary>The length of one cell slot on the line, in picoseconds.</summary>
    public long CellSlotPicoseconds => _slot;

    /// <summary>The link channel (the NIC descriptor's channel, the miniports' binding) of a VPI/VCI: VPI above the VCI bits.</summary>
    public int ChannelOf(int vpi, int vci)
    {
        if ((uint)vpi >= 1u << Options.VpiBits || (uint)vci >= 1u << Options.VciBits)
            throw new ArgumentOutOfRangeException(nameof(vci), $"VPI {vpi}/VCI {vci} is outside the connection table (VPI < {1 << Options.VpiBits}, VCI < {1 << Options.VciBits}).");
        return vpi << Options.VciBits | vci;
    }

    /// <summary>The VPI/VCI of a channel.</summary>
    public (int Vpi, int Vci) VpiVciOf(int channel) => (channel >> Options.VciBits, channel & ((1 << Options.VciBits) - 1));

    /// <summary>The channel of the signalling VC (VPI 0/VCI 5 by default).</summary>
    public int SignallingChannel => ChannelOf(Options.SignallingVpi, Options.SignallingVci);

    /// <summary>True when a connection is open on <paramref name="vpi"/>/<paramref name="vci"/>.</summary>
    public bool IsOpen(int vpi, int vci) => Volatile.Read(ref _lookup[ChannelOf(vpi, vci)]) is not null;

    /// <summary>The counters now.</summary>
    public AtmStatistics Statistics => new()
    {
        CellsTransmitted = Volatile.Read(ref _cellsTransmitted),
        PdusTransmitted = Volatile.Read(ref _pdusTransmitted),
        CellsDelayedByShaping = Volatile.Read(ref _cellsShaped),
        TransmitRefused = Volatile.Read(ref _txRefused),
        TransmitMemoryFull = Volatile.Read(ref _txMemoryFull),
        TransmitFlushed = Volatile.Read(ref _txFlushed),
        CellsReceived = Volatile.Read(ref _cellsReceived),
        HecCorrected = _hec.Corrected,
        HecDiscarded = _hec.Discarded,
        CellsUnknownVc = Volatile.Read(ref _cellsUnknownVc),
        PdusUnknownVc = Volatile.Read(ref _pdusUnknownVc),
        CellsUnassigned = Volatile.Read(ref _cellsUnassigned),
        CellsOam = Volatile.Read(ref _cellsOam),
        CellsMalformed = Volatile.Read(ref _cellsMalformed),
        CellsTagged = Volatile.Read(ref _cellsTagged),
        CellsPolicedOut = Volatile.Read(ref _cellsPolicedOut),
        PdusReceived = Volatile.Read(ref _pdusReceived),
        CrcErrors = Volatile.Read(ref _crcErrors),
        LengthErrors = Volatile.Read(ref _lengthErrors),
        Aborts = Volatile.Read(ref _aborts),
        Oversize = Volatile.Read(ref _oversize),
        ReassemblyTimeouts = Volatile.Read(ref _timeouts),
        EncapsulationErrors = Volatile.Read(ref _encapsulationErrors),
        OpenConnections = Volatile.Read(ref _open),
    };

    /// <summary>
    /// A stand-alone UNI 3.1 call manager for a miniport on this device (the 5.x one under the translation layer, or
    /// the native one with its integrated call manager off): Q.2931 over SSCOP on its own VC on VPI 0/VCI 5.
    /// </summary>
    public DeviceCallManager CreateCallManager() => new(host => new UniSignaling(host, this));

    void INicPersonality.Start(long nowNanoseconds)
    {
        _epochNanoseconds = nowNanoseconds;
        _lineFree = 0;
    }

    /// <summary>Picoseconds since the device started of a device-clock time.</summary>
    private long ToPicoseconds(long nanoseconds) => (nanoseconds - _epochNanoseconds) * 1000;

    private long ToNanoseconds(long picoseconds) => _epochNanoseconds + picoseconds / 1000;

    // ---- The connection table (driver side) ----------------------------------------------------------------

    NdisStatus INicPersonality.OpenChannels(CoCallParameters? parameters, int previousChannel, out ChannelBinding channels)
    {
        channels = default;
        AtmConnectionConfig config;
        int fallbackSdu = Math.Min(Aal5.MaximumSduLength, Nic.Options.MaximumFrameSize);
        if (AtmCallParameters.TryGetMediaParameters(parameters, out var media))
        {
            if (media!.AalType != AtmMediaParameters.AalTypeAal5)
                return NdisStatus.AalParamsUnsupported;
            AtmCallParameters.TryGetCallManagerParameters(parameters, out var call);
            config = new AtmConnectionConfig(media.Vpi, media.Vci, call?.Encapsulation ?? Rfc2684Encapsulation.None,
                media.Transmit.ToTrafficDescriptor(), media.Receive.ToTrafficDescriptor(),
                Sdu(media.Transmit.MaxSduSize, fallbackSdu), Sdu(media.Receive.MaxSduSize, fallbackSdu));
        }
        else if (DeviceCallParameters.TryGetChannels(parameters, out var binding))
        {
            // The device's own channel binding: a raw AAL5 VC (no encapsulation, best effort) on the channel's VPI/VCI.
            if (binding.Transmit != binding.Receive || binding.Transmit >= _lookup.Length)
                return NdisStatus.InvalidData;
            var (vpi, vci) = VpiVciOf(binding.Transmit);
            config = new AtmConnectionConfig(vpi, vci, Rfc2684Encapsulation.None, AtmTrafficDescriptor.BestEffort, AtmTrafficDescriptor.BestEffort, fallbackSdu, fallbackSdu);
        }
        else
        {
            return NdisStatus.InvalidData;
        }
        if ((uint)config.Vpi >= 1u << Options.VpiBits || (uint)config.Vci >= 1u << Options.VciBits || (config.Vpi == 0 && config.Vci == 0))
            return NdisStatus.InvalidData;
        int channel = ChannelOf(config.Vpi, config.Vci);
        var status = Open(channel, config, previousChannel);
        if (status == NdisStatus.Success)
            channels = ChannelBinding.Both(channel);
        return status;
    }

    private static int Sdu(uint requested, int fallback) =>
        requested is 0 or FlowSpec.NotSpecified ? Math.Min(fallback, Q2931CallManagerParameters.DefaultMaxSdu) : (int)Math.Min(requested, (uint)Aal5.MaximumSduLength);

    private NdisStatus Open(int channel, AtmConnectionConfig config, int previousChannel)
    {
        lock (_control)
        {
            var existing = _lookup[channel];
            if (existing is not null)
            {
                if (channel != previousChannel)
                    return NdisStatus.VcNotAvailable;
                existing.Config = config; // a reactivation: the new parameters apply from the next cell each way
                return NdisStatus.Success;
            }
            if (_open >= Options.MaximumConnections)
                return NdisStatus.Resources;
            Volatile.Write(ref _lookup[channel], new AtmConnection(channel, config));
            _open++;
        }
        return NdisStatus.Success;
    }

    void INicPersonality.CloseChannels(int channel)
    {
        if ((uint)channel >= (uint)_lookup.Length)
            return;
        lock (_control)
        {
            var connection = _lookup[channel];
            if (connection is null)
                return;
            Volatile.Write(ref _lookup[channel], null);
            connection.Closing = true; // cells already queued still go out; the receive side stops finding it
            _open--;
        }
    }

    void INicPersonality.OpenSignallingChannel(int channel, int maximumMessageLength)
    {
        var (vpi, vci) = VpiVciOf(channel);
        Open(channel, new AtmConnectionConfig(vpi, vci, Rfc2684Encapsulation.None, AtmTrafficDescriptor.BestEffort, AtmTrafficDescriptor.BestEffort,
            maximumMessageLength, maximumMessageLength), channel);
    }

    ICallSignaling INicPersonality.CreateCallSignaling(ICallSignalingHost host) => new UniSignaling(host, this);

    /// <summary>The connection open on <paramref name="channel"/>, or null.</summary>
    private AtmConnection? Lookup(int channel) => (uint)channel < (uint)_lookup.Length ? Volatile.Read(ref _lookup[channel]) : null;

    public override string ToString() => $"{Nic.Name} (ATM, {Options.LineRateBitsPerSecond / 1e6:0.##} Mbit/s)";
}
