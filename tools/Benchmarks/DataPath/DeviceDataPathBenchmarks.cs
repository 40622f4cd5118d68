using BenchmarkDotNet.Attributes;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.TestDrivers;
using CoNdis.TestDrivers.Legacy;
using CoNdis.Translation.Adapters;

namespace CoNdis.Benchmarks.DataPath;

/// <summary>
/// What one NBL costs on each client/miniport pairing with the device under it. <see cref="DeviceKind.Inline"/>: the
/// inline test miniports of <see cref="DataPathBenchmarks"/>, one send → complete plus one indicate → return per NBL
/// (the runtime's and the translation's own cost of the two directions). <see cref="DeviceKind.Loopback"/>: the
/// reference miniports over the simulated NIC on a loopback link, the NIC running inline on the benchmark thread: the
/// whole trip per NBL (send, descriptor ring, DMA gather, wire, DMA into a posted buffer, interrupt, DPC, receive
/// indication, return and repost, send complete). <see cref="DeviceKind.LoopbackDeviceThread"/>: the same with the
/// NIC's work and DPC on its own thread (the benchmark thread waits for its batch). The client's VC sends and receives
/// on one channel (the loopback brings its frames back to it). Verifier off; results per NBL.
/// </summary>
[MemoryDiagnoser]
public class DeviceDataPathBenchmarks
{
    private const int NblsPerInvoke = 1024;

    private CoNdisRuntime _runtime = null!;
    private VirtualConnection _vc = null!;
    private LegacyCoVc? _clientLegacyVc;
    private LegacyCoVc? _miniportLegacyVc;
    private NetBufferList[] _sendNbls = [];
    private NdisPacket[] _sendPackets = [];
    private NetBufferList[] _receiveNbls = [];
    private NdisPacket[] _receivePackets = [];
    private CountingClient? _nativeClient;
    private CountingLegacyClient? _legacyClient;
    private IDisposable? _device;

    public enum Side
    {
        Native,
        Legacy,
    }

    public enum DeviceKind
    {
        Inline,
        Loopback,
        LoopbackDeviceThread,
    }

    [Params(Side.Native, Side.Legacy)]
    public Side Client { get; set; }

    [Params(Side.Native, Side.Legacy)]
    public Side Miniport { get; set; }

    [Params(DeviceKind.Inline, DeviceKind.Loopback, DeviceKind.LoopbackDeviceThread)]
    public DeviceKind Device { get; set; }

    [Params(64, 1514)]
    public int FrameSize { get; set; }

    [Params(1, 32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _runtime = new CoNdisRuntime(new NdisVerifier(VerifierMode.Off));
        var handle = new NdisHandle("benchmark miniport", _runtime.Verifier);
        CoMiniportAdapter adapter;
        if (Device == DeviceKind.Inline)
        {
            adapter = Miniport == Side.Native
                ? new NativeTestMiniport { RecordSentFrames = false }.Register(_runtime, "native inline")
                : new LegacyMiniportAdapter(handle, new LegacyTestMiniport(handle) { RecordSentFrames = false }, null).Register(_runtime, "5.x inline");
        }
        else
        {
            var nic = new SimulatedNic(new LoopbackLink(), new NicOptions
            {
                CompletionMode = Device == DeviceKind.Loopback ? NicCompletionMode.Inline : NicCompletionMode.DeviceThread,
                MaximumFrameSize = 2048,
            });
            var options = new NicMiniportOptions { IntegratedCallManager = false, WatchdogInterval = TimeSpan.Zero };
            if (Miniport == Side.Native)
            {
                var miniport = new NicMiniport(nic, options);
                adapter = miniport.Register(_runtime, "native nic");
                _device = miniport;
            }
            else
            {
                var miniport = new LegacyNicMiniport(nic, options);
                var translation = new LegacyMiniportAdapter(handle, miniport, miniport);
                Check(miniport.MiniportInitialize(translation.LegacyBinding));
                adapter = translation.Register(_runtime, "5.x nic");
                _device = miniport;
            }
        }
        new TestCallManager().Bind(_runtime, adapter); // connects every call at once, activating it with its parameters

        NdisHandle clientHandle;
        if (Client == Side.Native)
        {
            _nativeClient = new CountingClient();
            var binding = _nativeClient.Bind(_runtime, adapter, "native client");
            Check(_runtime.ClOpenAddressFamilyEx(binding, TestCallManager.AddressFamily, null, out var af));
            Check(_runtime.CoCreateVc(binding, af, null, out var vc));
            _vc = vc!;
            clientHandle = binding.Handle;
        }
        else
        {
            _legacyClient = new CountingLegacyClient();
            var translation = new LegacyClientAdapter(_runtime, adapter, "5.x client", _legacyClient, null);
            Check(_runtime.ClOpenAddressFamilyEx(translation.Binding, TestCallManager.AddressFamily, null, out var af));
            Check(translation.CreateVc(af!, null, out var vc));
            _vc = vc!.Runtime;
            _clientLegacyVc = vc.Legacy;
            clientHandle = translation.Binding.Handle;
        }
        // The call manager activates the VC with these parameters: send and receive on channel 9.
        Check(_runtime.ClMakeCall(_vc, DeviceCallParameters.ForChannels(ChannelBinding.Both(9), 2048), null, out _));
        if (Miniport == Side.Legacy && Device == DeviceKind.Inline)
            _miniportLegacyVc = LegacyMiniportAdapter.LegacyVcOf(_vc);

        if (Client == Side.Native)
            _sendNbls = Nbls(clientHandle);
        else
            _sendPackets = Packets(clientHandle);
        if (Device == DeviceKind.Inline)
        {
            if (Miniport == Side.Native)
                _receiveNbls = Nbls(handle);
            else
                _receivePackets = Packets(handle);
        }

        Trip();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Received < NblsPerInvoke && DateTime.UtcNow < deadline)
            Thread.Yield(); // on the device thread the receives trail the completions a little
        long completed = Completed, received = Received;
        if (completed != NblsPerInvoke || received != NblsPerInvoke)
            throw new InvalidOperationException($"benchmark setup: one invocation completed {completed} and received {received} of {NblsPerInvoke}");
    }

    [GlobalCleanup]
    public void Cleanup() => _device?.Dispose();

    private long Completed => _nativeClient?.Completed ?? _legacyClient!.Completed;

    private long Received => _nativeClient?.Received ?? _legacyClient!.Received;

    /// <summary>Per NBL: the whole trip over the device (or, inline, a send → complete and an indicate → return).</summary>
    [Benchmark(OperationsPerInvoke = NblsPerInvoke)]
    public void Trip()
    {
        long start = Completed;
        for (int sent = 0; sent < NblsPerInvoke; sent += Batch)
        {
            if (_clientLegacyVc is null)
                Ndis.CoSendNetBufferLists(_vc, Link(_sendNbls), SendFlags.None);
            else
                Ndis5.CoSendPackets(_clientLegacyVc, _sendPackets, (uint)_sendPackets.Length);
            if (Device == DeviceKind.Inline)
            {
                if (_miniportLegacyVc is null)
                    Ndis.MCoIndicateReceiveNetBufferLists(_vc, Link(_receiveNbls), _receiveNbls.Length, ReceiveFlags.None);
                else
                    Ndis5.MCoIndicateReceivePacket(_miniportLegacyVc, _receivePackets, (uint)_receivePackets.Length);
            }
            else if (Device == DeviceKind.LoopbackDeviceThread)
            {
                // The batch's NBLs are reused by the next send: wait until the device completed them.
                long target = start + sent + Batch;
                var spinner = new SpinWait();
                while (Completed < target)
                    spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private NetBufferList[] Nbls(NdisHandle handle)
    {
        var pool = new NetBufferListPool(handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = FrameSize });
        var nbls = new NetBufferList[Batch];
        for (int i = 0; i < nbls.Length; i++)
        {
            nbls[i] = pool.AllocateNetBufferList()!;
            nbls[i].SourceHandle = _vc;
        }
        return nbls;
    }

    private NdisPacket[] Packets(NdisHandle handle)
    {
        Ndis5.AllocatePacketPool(out _, out var pool, (uint)Batch, 16, handle);
        Ndis5.AllocateBufferPool(out _, out var buffers, (uint)Batch, handle);
        var packets = new NdisPacket[Batch];
        for (int i = 0; i < packets.Length; i++)
        {
            Ndis5.AllocatePacket(out _, out var packet, pool!);
            Ndis5.AllocateBuffer(out _, out var buffer, buffers, NdisMemory.AllocatePinned(FrameSize), (uint)FrameSize);
            Ndis5.ChainBufferAtBack(packet!, buffer!);
            packets[i] = packet!;
        }
        return packets;
    }

    private static NetBufferList Link(NetBufferList[] nbls)
    {
        for (int i = 0; i < nbls.Length; i++)
            nbls[i].Next = i + 1 < nbls.Length ? nbls[i + 1] : null;
        return nbls[0];
    }

    private static void Check(NdisStatus status)
    {
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"benchmark setup failed: {status.Describe()}");
    }
}
