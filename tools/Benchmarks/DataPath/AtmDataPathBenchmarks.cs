using BenchmarkDotNet.Attributes;
using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.TestDrivers;

namespace CoNdis.Benchmarks.DataPath;

/// <summary>
/// What the ATM SAR adds to the device's trip per NBL: the native client and miniport over the simulated NIC on a
/// loopback link, inline on the benchmark thread, as plain frames (<see cref="Medium.Frames"/>) or through the ATM
/// personality (<see cref="Medium.Cells"/>: AAL5 PDU built with its CRC-32, segmented into cells with the HEC,
/// scheduled, then each cell HEC-checked, reassembled and the CRC checked on the way back). Verifier off; per NBL.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the device in GlobalCleanup.")]
public class AtmDataPathBenchmarks
{
    private const int NblsPerInvoke = 1024;

    private CoNdisRuntime _runtime = null!;
    private VirtualConnection _vc = null!;
    private NetBufferList[] _nbls = [];
    private CountingClient _client = null!;
    private NicMiniport? _device;

    public enum Medium
    {
        Frames,
        Cells,
    }

    [Params(Medium.Frames, Medium.Cells)]
    public Medium Device { get; set; }

    [Params(64, 1514, 9180)]
    public int FrameSize { get; set; }

    [Params(32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _runtime = new CoNdisRuntime(new NdisVerifier(VerifierMode.Off));
        var nicOptions = new NicOptions { CompletionMode = NicCompletionMode.Inline, MaximumFrameSize = 9216 };
        var nic = Device == Medium.Frames
            ? new SimulatedNic(new LoopbackLink(), nicOptions)
            : new AtmDevice(new LoopbackLink(), new AtmDeviceOptions(), nicOptions).Nic;
        var miniport = new NicMiniport(nic, new NicMiniportOptions { IntegratedCallManager = false, WatchdogInterval = TimeSpan.Zero });
        var adapter = miniport.Register(_runtime, "nic");
        _device = miniport;
        new TestCallManager().Bind(_runtime, adapter);
        _client = new CountingClient();
        var binding = _client.Bind(_runtime, adapter, "client");
        Check(_runtime.ClOpenAddressFamilyEx(binding, TestCallManager.AddressFamily, null, out var af));
        Check(_runtime.CoCreateVc(binding, af, null, out var vc));
        _vc = vc!;
        // Channel 40: VPI 0/VCI 40 on the ATM device (a raw AAL5 VC), channel 40 on the plain one.
        Check(_runtime.ClMakeCall(_vc, DeviceCallParameters.ForChannels(ChannelBinding.Both(40), 9216), null, out _));
        var pool = new NetBufferListPool(binding.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = FrameSize });
        _nbls = new NetBufferList[Batch];
        for (int i = 0; i < _nbls.Length; i++)
        {
            _nbls[i] = pool.AllocateNetBufferList()!;
            _nbls[i].SourceHandle = _vc;
        }
        Trip();
        if (_client.Completed != NblsPerInvoke || _client.Received != NblsPerInvoke)
            throw new InvalidOperationException($"benchmark setup: one invocation completed {_client.Completed} and received {_client.Received} of {NblsPerInvoke}");
    }

    [GlobalCleanup]
    public void Cleanup() => _device?.Dispose();

    /// <summary>Per NBL: send, ring, DMA, SAR and cells (or a frame), wire, back up, indicate, return, complete.</summary>
    [Benchmark(OperationsPerInvoke = NblsPerInvoke)]
    public void Trip()
    {
        for (int sent = 0; sent < NblsPerInvoke; sent += Batch)
        {
            for (int i = 0; i < _nbls.Length; i++)
                _nbls[i].Next = i + 1 < _nbls.Length ? _nbls[i + 1] : null;
            Ndis.CoSendNetBufferLists(_vc, _nbls[0], SendFlags.None);
        }
    }

    private static void Check(NdisStatus status)
    {
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"benchmark setup failed: {status.Describe()}");
    }
}
