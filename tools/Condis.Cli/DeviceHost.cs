using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Capture;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.Translation;
using CoNdis.Translation.Adapters;

namespace Condis.Cli;

/// <summary>
/// The data path the CLI runs frames through. On the loopback device it is one host: a CoNDIS runtime, the simulated
/// NIC on a loopback link (behind a <see cref="CaptureRecordLink"/> tap when the wire is recorded), the native reference
/// miniport (an MCM) or the 5.x one under <see cref="LegacyMiniportAdapter"/> with the stand-alone
/// <see cref="DeviceCallManager"/>, and a native or 5.x client that calls its own SAP. On the ATM device it is two such
/// hosts on the two ends of a <see cref="PairLink"/>, each NIC an <see cref="AtmDevice"/> (the SAR), the native
/// miniport running its integrated UNI call manager or the 5.x one served by the device's stand-alone UNI call
/// manager (Q.2931 over SSCOP on VPI 0/VCI 5); host A's client calls host B's number and the frames cross on the
/// call's VPI/VCI, LLC/SNAP-bridged in AAL5 (an <see cref="AtmCaptureLink"/> on A's port records SunATM when the wire
/// is recorded). The NICs run inline: a send rings the doorbell, the device transmits, the frame comes back (or
/// arrives at B), and the DPC completes the sends and indicates the receives, on the caller's thread, so one data
/// path is one thread's work and data paths run in parallel.
/// </summary>
internal sealed class DeviceHost : IDisposable
{
    private static readonly CoSap s_sap = new(1, "condis"u8.ToArray());

    /// <summary>The ATM numbers of the two hosts (E.164).</summary>
    public static readonly AtmAddress CallingNumber = AtmAddress.E164("4711");

    public static readonly AtmAddress CalledNumber = AtmAddress.E164("4712");

    /// <summary>How the ATM call carries the frames: bridged Ethernet (no FCS) behind an LLC/SNAP header (RFC 2684 §5.2).</summary>
    public const Rfc2684Encapsulation AtmEncapsulation = Rfc2684Encapsulation.LlcSnapBridged;

    private readonly Station _a;
    private readonly Station? _b;
    private readonly SunAtmWriter? _atmWire;
    private readonly PcapNgWriter? _loopbackWire;
    private bool _closed;

    public DeviceHost(DriverSide client, DriverSide miniport, DeviceHostOptions options, IFrameSink sink, Stream? wire = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Client = client;
        Miniport = miniport;
        Device = options.Device;
        if (options.Device == DeviceKind.Loopback)
        {
            ILinkPort link = new LoopbackLink("loopback");
            if (wire is not null)
                link = new CaptureRecordLink(_loopbackWire = new PcapNgWriter(wire, leaveOpen: true), link, name: "condis loopback wire");
            var nic = new SimulatedNic(link, NicOptionsFor(options), name: "condis nic");
            _a = new Station(client, miniport, nic, null, options, sink, DeviceCallParameters.AddressFamily, "condis");
            _a.Client.RegisterSap(s_sap);
            _a.Client.MakeCall(DeviceCallParameters.ForCall(s_sap, (uint)options.MaximumFrameSize));
            Receiver = _a.Client;
        }
        else
        {
            var cable = new PairLink("condis uni");
            ILinkPort portA = cable.A;
            if (wire is not null)
                portA = new AtmCaptureLink(portA, _atmWire = new SunAtmWriter(wire, CaptureFormat.PcapNg, leaveOpen: true, "condis uni (host A's port)"), name: "condis uni wire");
            var nicOptions = NicOptionsFor(options);
            var deviceA = new AtmDevice(portA, nicOptions: nicOptions, name: "condis A atm");
            var deviceB = new AtmDevice(cable.B, nicOptions: nicOptions, name: "condis B atm");
            _a = new Station(client, miniport, deviceA.Nic, deviceA, options, NullSink.Instance, AtmCallParameters.AddressFamily, "condis A");
            _b = new Station(client, miniport, deviceB.Nic, deviceB, options, sink, AtmCallParameters.AddressFamily, "condis B");
            _b.Client.RegisterSap(AtmCallParameters.Sap(CalledNumber));
            _a.Client.MakeCall(AtmCallParameters.ForCall(new Q2931CallManagerParameters
            {
                CalledParty = CalledNumber,
                CallingParty = CallingNumber,
                Encapsulation = AtmEncapsulation,
                ForwardMaxSdu = options.AtmMaxSdu,
                BackwardMaxSdu = options.AtmMaxSdu,
            }));
            Receiver = _b.Client;
            if (AtmCallParameters.TryGetMediaParameters(_a.Client.OutgoingVc!.CallParameters, out var media))
                AtmChannel = (media!.Vpi, media.Vci);
        }

        CallWait.Until(() => Receiver.IncomingVc?.State == VcState.Connected, "the callee's end of the call to connect");
    }

    public DriverSide Client { get; }

    public DriverSide Miniport { get; }

    public DeviceKind Device { get; }

    /// <summary>The sending host's verifier (the only host on loopback).</summary>
    public NdisVerifier Verifier => _a.Verifier;

    /// <summary>The sending host's runtime.</summary>
    public CoNdisRuntime Runtime => _a.Runtime;

    /// <summary>The sending host's NIC.</summary>
    public SimulatedNic Nic => _a.Nic;

    /// <summary>The client that sends (host A's).</summary>
    public IFrameClient FrameClient => _a.Client;

    /// <summary>The client whose incoming VC receives (the same client on loopback, host B's on ATM).</summary>
    public IFrameClient Receiver { get; }

    /// <summary>The VPI/VCI the ATM call was given (CALL PROCEEDING's connection identifier), or null on loopback.</summary>
    public (int Vpi, int Vci)? AtmChannel { get; }

    /// <summary>The longest frame the device carries (tag included): the NIC's frames on loopback; the call's max SDU less the RFC 2684 header on ATM.</summary>
    public static int MaximumFrameSize(DeviceHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Device == DeviceKind.Atm
            ? Math.Min(options.MaximumFrameSize, options.AtmMaxSdu - Rfc2684.HeaderLength(AtmEncapsulation))
            : options.MaximumFrameSize;
    }

    /// <summary>Both NICs' counters added (one NIC on loopback).</summary>
    public NicStatistics Statistics => _b is null ? _a.Nic.Statistics : Add(_a.Nic.Statistics, _b.Nic.Statistics);

    /// <summary>Both SARs' counters (ATM only).</summary>
    public (AtmStatistics A, AtmStatistics B)? AtmStatistics => _a.Atm is null || _b?.Atm is null ? null : (_a.Atm.Statistics, _b.Atm.Statistics);

    /// <summary>What the translation layer did: the 5.x clients' adapters and the 5.x miniports' adapters together.</summary>
    public TranslationCounts Translation
    {
        get
        {
            var total = _a.Translation;
            if (_b is not null)
                total = Add(total, _b.Translation);
            return total;
        }
    }

    /// <summary>The miniports' pool objects not home (receive buffers held, signalling frames in flight).</summary>
    public int MiniportOutstanding => _a.MiniportOutstanding + (_b?.MiniportOutstanding ?? 0);

    public MiniportCounters MiniportCounters => _a.MiniportCounters;

    /// <summary>Sends the batch's carried frames; over the inline NICs they have crossed and arrived when this returns.</summary>
    public void Send(FrameBatch batch) => _a.Client.Send(batch);

    /// <summary>Runs the NICs' pending work (a DPC left for later).</summary>
    public void Service()
    {
        _a.Nic.Service();
        _b?.Nic.Service();
    }

    /// <summary>Wire records written (loopback frames, or SunATM records of signalling and data).</summary>
    public long WireRecords => _loopbackWire?.PacketCount ?? _atmWire?.RecordCount ?? 0;

    /// <summary>Writes what the wire writer still holds and closes it (the stream stays the caller's); after <see cref="Close"/>, so the release is in it.</summary>
    public void FinishWire()
    {
        _loopbackWire?.Dispose();
        _atmWire?.Dispose();
    }

    /// <summary>
    /// Closes the call and takes the hosts down (MiniportHaltEx / MiniportHalt, the NICs stopped, pools freed). Returns
    /// what did not end clean: pool objects not home plus verifier findings (0 when every pool came home).
    /// </summary>
    public int Close()
    {
        if (_closed)
            return 0;
        _closed = true;
        _a.Client.CloseCall(Receiver.IncomingVc);
        int problems = _a.Close();
        if (_b is not null)
        {
            problems += _b.Close();
            if (_a.Atm is not null)
                CallWait.Until(() => _a.ActiveCalls == 0 && _b.ActiveCalls == 0, "both call managers to forget the call", seconds: 5);
        }

        problems += _a.Halt();
        if (_b is not null)
            problems += _b.Halt();
        return problems;
    }

    public void Dispose()
    {
        try
        {
            Close();
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or CoNdisStateException)
        {
            // Taking a failed host down is best effort: the run has already failed for a reason it reports.
        }

        foreach (var station in new[] { _a, _b })
        {
            try
            {
                station?.Dispose();
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or CoNdisStateException)
            {
                // best effort, as above
            }
        }
    }

    private static NicOptions NicOptionsFor(DeviceHostOptions options) => new()
    {
        CompletionMode = options.CompletionMode,
        MaximumFrameSize = options.MaximumFrameSize,
        // The receiving side gets the frame as it crossed the wire: tags stay in the bytes (a TCI of 0 could not be
        // told apart from "no tag" in Ieee8021QNetBufferListInfo), and checksums are verified only when asked.
        StripVlanTags = false,
        ReceiveChecksumOffload = options.ReceiveChecksumOffload,
    };

    private static NicStatistics Add(NicStatistics a, NicStatistics b) => a with
    {
        TransmittedFrames = a.TransmittedFrames + b.TransmittedFrames,
        TransmittedBytes = a.TransmittedBytes + b.TransmittedBytes,
        ReceivedFrames = a.ReceivedFrames + b.ReceivedFrames,
        ReceivedBytes = a.ReceivedBytes + b.ReceivedBytes,
        DmaCopies = a.DmaCopies + b.DmaCopies,
        DmaBytes = a.DmaBytes + b.DmaBytes,
        BounceCopies = a.BounceCopies + b.BounceCopies,
        BounceBytes = a.BounceBytes + b.BounceBytes,
        Interrupts = a.Interrupts + b.Interrupts,
        ChecksumsInserted = a.ChecksumsInserted + b.ChecksumsInserted,
        ChecksumsVerified = a.ChecksumsVerified + b.ChecksumsVerified,
    };

    /// <summary>One host: runtime, NIC, miniport (and the stand-alone call manager under a 5.x miniport), client.</summary>
    private sealed class Station : IDisposable
    {
        private bool _halted;
        private readonly NicMiniport? _native;
        private readonly LegacyNicMiniport? _legacy;
        private readonly LegacyMiniportAdapter? _legacyAdapter;
        private readonly DeviceCallManager? _callManager;

        public Station(DriverSide client, DriverSide miniport, SimulatedNic nic, AtmDevice? atm, DeviceHostOptions options, IFrameSink sink, CoAddressFamily addressFamily, string name)
        {
            Verifier = new NdisVerifier(options.Verifier);
            Runtime = new CoNdisRuntime(Verifier);
            Nic = nic;
            Atm = atm;
            var miniportOptions = new NicMiniportOptions { WatchdogInterval = TimeSpan.Zero, IntegratedCallManager = miniport == DriverSide.Native };
            CoMiniportAdapter adapter;
            if (miniport == DriverSide.Native)
            {
                _native = new NicMiniport(nic, miniportOptions);
                adapter = _native.Register(Runtime, $"{name} native miniport");
            }
            else
            {
                _legacy = new LegacyNicMiniport(nic, miniportOptions);
                _legacyAdapter = new LegacyMiniportAdapter(new NdisHandle($"{name} 5.x miniport", Verifier), _legacy, _legacy);
                Check(_legacy.MiniportInitialize(_legacyAdapter.LegacyBinding), "MiniportInitialize");
                adapter = _legacyAdapter.Register(Runtime, $"{name} 5.x miniport");
                _callManager = atm is null ? new DeviceCallManager() : atm.CreateCallManager();
                _callManager.Bind(Runtime, adapter, atm is null ? $"{name} call manager" : $"{name} UNI call manager");
            }

            int maxFrame = options.MaximumFrameSize;
            Client = client == DriverSide.Native
                ? new NativeFrameClient(Runtime, adapter, addressFamily, sink, options.BatchCapacity, maxFrame)
                : new LegacyFrameClient(Runtime, adapter, addressFamily, sink, options.BatchCapacity, maxFrame);
        }

        public NdisVerifier Verifier { get; }

        public CoNdisRuntime Runtime { get; }

        public SimulatedNic Nic { get; }

        public AtmDevice? Atm { get; }

        public IFrameClient Client { get; }

        public int ActiveCalls => _callManager?.ActiveCalls ?? _native!.ActiveCalls;

        public int MiniportOutstanding => _native?.OutstandingPoolObjects ?? _legacy!.OutstandingPoolObjects;

        public MiniportCounters MiniportCounters => _native?.Counters ?? _legacy!.Counters;

        public TranslationCounts Translation
        {
            get
            {
                var total = Client.Translation ?? default;
                if (_legacyAdapter is not null)
                    total = Add(total, _legacyAdapter.Counters);
                return total;
            }
        }

        /// <summary>The client's end: the SAP deregistered and its pools freed; then every pool object home. Returns what was not.</summary>
        public int Close()
        {
            int problems = Client.Close();
            try
            {
                CallWait.Until(() => Client.OutstandingPoolObjects == 0 && MiniportOutstanding == 0 && (_legacyAdapter?.IsIdle ?? true)
                    && (_callManager?.OutstandingPoolObjects ?? 0) == 0, "every pool object to come home", seconds: 5);
            }
            catch (TimeoutException)
            {
                problems++;
            }

            return problems;
        }

        /// <summary>The call manager unbound, the miniport halted, the NIC stopped, the 5.x pools freed; plus verifier findings.</summary>
        public int Halt()
        {
            _halted = true;
            _callManager?.Unbind();
            int problems = _native?.Halt() ?? _legacy!.Halt();
            Nic.Dispose();
            if (_legacyAdapter is not null)
                problems += _legacyAdapter.FreePools();
            return problems + (int)Math.Min(int.MaxValue, Verifier.FindingCount);
        }

        /// <summary>A station whose host failed half way is halted here, best effort.</summary>
        public void Dispose()
        {
            if (!_halted)
                Halt();
        }
    }

    /// <summary>The sending host's sink over ATM: nothing comes back to it (the call carries data one way).</summary>
    private sealed class NullSink : IFrameSink
    {
        public static readonly NullSink Instance = new();

        public void Received(ReadOnlySpan<byte> frame)
        {
        }
    }

    public static void Check(NdisStatus status, string what)
    {
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"{what} failed: {status.Describe()}");
    }

    /// <summary>NdisClCloseCall on the caller's VC; the callee hears the release and closes its end, and its call manager deletes its VC.</summary>
    public static void CloseCall(VirtualConnection outgoing, VirtualConnection? incoming)
    {
        ArgumentNullException.ThrowIfNull(outgoing);
        var status = Ndis.ClCloseCall(outgoing, null, ReadOnlyMemory<byte>.Empty);
        if (status != NdisStatus.Pending)
            Check(status, "NdisClCloseCall");
        CallWait.Until(() => outgoing.State is VcState.Created or VcState.Deleted, "the call to close");
        if (incoming is null)
            return;
        CallWait.Until(() => incoming.State is VcState.IncomingClose or VcState.Created or VcState.Deleted, "the callee to hear the release");
        if (incoming.State == VcState.IncomingClose)
        {
            status = Ndis.ClCloseCall(incoming, null, ReadOnlyMemory<byte>.Empty);
            if (status != NdisStatus.Pending)
                Check(status, "NdisClCloseCall (callee)");
        }

        CallWait.Until(() => incoming.State == VcState.Deleted, "the callee's VC to be deleted");
    }

    private static TranslationCounts Add(TranslationCounts a, TranslationCounts b)
    {
        a.Add(b);
        return a;
    }
}
