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
/// One host of the data path the CLI runs frames through: a CoNDIS runtime, the simulated NIC on a loopback link
/// (behind a <see cref="CaptureRecordLink"/> tap when the wire is recorded), the native reference miniport (an MCM)
/// or the 5.x one under <see cref="LegacyMiniportAdapter"/> with the stand-alone <see cref="DeviceCallManager"/>, and a
/// native or 5.x client that calls its own SAP. The NIC runs inline: a send rings the doorbell, the device transmits,
/// the loopback brings each frame back, and the DPC completes the sends and indicates the receives before the send
/// returns, all on the caller's thread, so one host is one thread's work and hosts run in parallel.
/// </summary>
internal sealed class DeviceHost : IDisposable
{
    private static readonly CoSap s_sap = new(1, "condis"u8.ToArray());

    private readonly NicMiniport? _native;
    private readonly LegacyNicMiniport? _legacy;
    private readonly LegacyMiniportAdapter? _legacyAdapter;
    private readonly DeviceCallManager? _callManager;
    private bool _closed;

    public DeviceHost(DriverSide client, DriverSide miniport, DeviceHostOptions options, IFrameSink sink, PcapNgWriter? wire = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Client = client;
        Miniport = miniport;
        Verifier = new NdisVerifier(options.Verifier);
        Runtime = new CoNdisRuntime(Verifier);
        var link = CreateLink(options.Device, wire);
        Nic = new SimulatedNic(link, new NicOptions
        {
            CompletionMode = options.CompletionMode,
            MaximumFrameSize = options.MaximumFrameSize,
            // The receiving side gets the frame as it crossed the wire: tags stay in the bytes (a TCI of 0 could not be
            // told apart from "no tag" in Ieee8021QNetBufferListInfo), and checksums are verified only when asked.
            StripVlanTags = false,
            ReceiveChecksumOffload = options.ReceiveChecksumOffload,
        }, name: "condis nic");
        var miniportOptions = new NicMiniportOptions { WatchdogInterval = TimeSpan.Zero, IntegratedCallManager = miniport == DriverSide.Native };
        CoMiniportAdapter adapter;
        if (miniport == DriverSide.Native)
        {
            _native = new NicMiniport(Nic, miniportOptions);
            adapter = _native.Register(Runtime, "condis native miniport");
        }
        else
        {
            _legacy = new LegacyNicMiniport(Nic, miniportOptions);
            _legacyAdapter = new LegacyMiniportAdapter(new NdisHandle("condis 5.x miniport", Verifier), _legacy, _legacy);
            Check(_legacy.MiniportInitialize(_legacyAdapter.LegacyBinding), "MiniportInitialize");
            adapter = _legacyAdapter.Register(Runtime, "condis 5.x miniport");
            _callManager = new DeviceCallManager();
            _callManager.Bind(Runtime, adapter, "condis call manager");
        }

        FrameClient = client == DriverSide.Native
            ? new NativeFrameClient(Runtime, adapter, sink, options.BatchCapacity, options.MaximumFrameSize)
            : new LegacyFrameClient(Runtime, adapter, sink, options.BatchCapacity, options.MaximumFrameSize);
        FrameClient.Connect(s_sap, (uint)options.MaximumFrameSize);
    }

    public DriverSide Client { get; }

    public DriverSide Miniport { get; }

    public NdisVerifier Verifier { get; }

    public CoNdisRuntime Runtime { get; }

    public SimulatedNic Nic { get; }

    public IFrameClient FrameClient { get; }

    /// <summary>What the translation layer did: the 5.x client's adapter and the 5.x miniport's adapter together.</summary>
    public TranslationCounts Translation
    {
        get
        {
            var total = FrameClient.Translation ?? default;
            if (_legacyAdapter is not null)
                total = Add(total, _legacyAdapter.Counters);
            return total;
        }
    }

    /// <summary>The miniport's pool objects not home (receive buffers held, signalling frames in flight).</summary>
    public int MiniportOutstanding => _native?.OutstandingPoolObjects ?? _legacy!.OutstandingPoolObjects;

    public MiniportCounters MiniportCounters => _native?.Counters ?? _legacy!.Counters;

    /// <summary>Sends the batch's carried frames; over the inline NIC they have crossed and come back when this returns.</summary>
    public void Send(FrameBatch batch) => FrameClient.Send(batch);

    /// <summary>
    /// Closes the call and takes the host down (MiniportHaltEx / MiniportHalt, the NIC stopped, pools freed). Returns
    /// what did not end clean: pool objects not home plus verifier findings (0 when every pool came home).
    /// </summary>
    public int Close()
    {
        if (_closed)
            return 0;
        _closed = true;
        int problems = FrameClient.Close();
        try
        {
            CallWait.Until(() => FrameClient.OutstandingPoolObjects == 0 && MiniportOutstanding == 0 && (_legacyAdapter?.IsIdle ?? true)
                && (_callManager?.OutstandingPoolObjects ?? 0) == 0, "every pool object to come home", seconds: 5);
        }
        catch (TimeoutException)
        {
            problems++;
        }

        _callManager?.Unbind();
        problems += _native?.Halt() ?? _legacy!.Halt();
        Nic.Dispose();
        if (_legacyAdapter is not null)
            problems += _legacyAdapter.FreePools();
        return problems + (int)Math.Min(int.MaxValue, Verifier.FindingCount);
    }

    public void Dispose()
    {
        if (_closed)
            return;
        try
        {
            Close();
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or CoNdisStateException)
        {
            // Taking a failed host down is best effort: the run has already failed for a reason it reports.
        }
    }

    /// <summary>
    /// What the NIC is plugged into, per device: the loopback link, behind the capture tap when the wire is recorded.
    /// The ATM device (issue 14) becomes one more case here: its SAR and cell link under the same miniports and
    /// clients, with the tap writing SunATM records.
    /// </summary>
    private static ILinkPort CreateLink(DeviceKind device, PcapNgWriter? wire)
    {
        ILinkPort link = device switch
        {
            DeviceKind.Loopback => new LoopbackLink("loopback"),
            _ => throw new NotSupportedException($"the {device} device is not available yet"),
        };
        return wire is null ? link : new CaptureRecordLink(wire, link, name: "condis loopback wire");
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
