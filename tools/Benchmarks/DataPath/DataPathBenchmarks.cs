using BenchmarkDotNet.Attributes;
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
/// What one NBL costs on each client/miniport pairing: send → complete and receive → return through the runtime,
/// with the shared test miniports completing inline and recording nothing, and counting clients (nothing hides the
/// runtime's and the translation's cost). Results
/// are per NBL (OperationsPerInvoke); the headline is each pairing's ratio to Native/Native in the same run.
/// The verifier runs strict (what a user runs by default, its checks part of what is measured) and off.
/// </summary>
[MemoryDiagnoser]
public class DataPathBenchmarks
{
    /// <summary>NBLs per invocation (results are per NBL).</summary>
    public const int NblsPerInvoke = 1024;

    private CoNdisRuntime _runtime = null!;
    private VirtualConnection _vc = null!;
    private LegacyCoVc? _clientLegacyVc;
    private LegacyCoVc? _miniportLegacyVc;
    private NetBufferList[] _sendNbls = [];
    private NdisPacket[] _sendPackets = [];
    private NetBufferList[] _receiveNbls = [];
    private NdisPacket[] _receivePackets = [];

    /// <summary>Which kind of driver plays a role.</summary>
    public enum Side
    {
        Native,
        Legacy,
    }

    [Params(Side.Native, Side.Legacy)]
    public Side Client { get; set; }

    [Params(Side.Native, Side.Legacy)]
    public Side Miniport { get; set; }

    [Params(64, 512, 1514)]
    public int FrameSize { get; set; }

    [Params(1, 32)]
    public int Batch { get; set; }

    /// <summary>Strict is what a user runs by default; Off shows the data path without its checks.</summary>
    [Params(VerifierMode.Strict, VerifierMode.Off)]
    public VerifierMode Verifier { get; set; } = VerifierMode.Strict;

    [GlobalSetup]
    public void Setup()
    {
        _runtime = new CoNdisRuntime(new NdisVerifier(Verifier));
        var handle = new NdisHandle("benchmark miniport", _runtime.Verifier);
        var adapter = Miniport == Side.Native
            ? new NativeTestMiniport { RecordSentFrames = false }.Register(_runtime, "native inline")
            : new LegacyMiniportAdapter(handle, new LegacyTestMiniport(handle) { RecordSentFrames = false }, null).Register(_runtime, "5.x inline");
        new TestCallManager().Bind(_runtime, adapter); // connects every call at once: only the data path is measured

        NdisHandle clientHandle;
        if (Client == Side.Native)
        {
            var client = new CountingClient();
            var binding = client.Bind(_runtime, adapter, "native client");
            Check(_runtime.ClOpenAddressFamilyEx(binding, TestCallManager.AddressFamily, null, out var af));
            Check(_runtime.CoCreateVc(binding, af, null, out var vc));
            _vc = vc!;
            clientHandle = binding.Handle;
        }
        else
        {
            var translation = new LegacyClientAdapter(_runtime, adapter, "5.x client", new CountingLegacyClient(), null);
            Check(_runtime.ClOpenAddressFamilyEx(translation.Binding, TestCallManager.AddressFamily, null, out var af));
            Check(translation.CreateVc(af!, null, out var vc));
            _vc = vc!.Runtime;
            _clientLegacyVc = vc.Legacy;
            clientHandle = translation.Binding.Handle;
        }
        Check(_runtime.ClMakeCall(_vc, CoCallParameters.BestEffort(9180), null, out _));
        if (Miniport == Side.Legacy)
            _miniportLegacyVc = LegacyMiniportAdapter.LegacyVcOf(_vc);

        if (Client == Side.Native)
            _sendNbls = Nbls(clientHandle);
        else
            _sendPackets = Packets(clientHandle);
        if (Miniport == Side.Native)
            _receiveNbls = Nbls(handle);
        else
            _receivePackets = Packets(handle);
    }

    /// <summary>NdisCoSendNetBufferLists (or NdisCoSendPackets) → miniport → completion back to the client, per NBL.</summary>
    [Benchmark(OperationsPerInvoke = NblsPerInvoke)]
    public void SendComplete()
    {
        for (int sent = 0; sent < NblsPerInvoke; sent += Batch)
        {
            if (_clientLegacyVc is null)
                Ndis.CoSendNetBufferLists(_vc, Link(_sendNbls), SendFlags.None);
            else
                Ndis5.CoSendPackets(_clientLegacyVc, _sendPackets, (uint)_sendPackets.Length);
        }
    }

    /// <summary>Miniport receive indication → client → return to the miniport, per NBL.</summary>
    [Benchmark(OperationsPerInvoke = NblsPerInvoke)]
    public void ReceiveReturn()
    {
        for (int received = 0; received < NblsPerInvoke; received += Batch)
        {
            if (_miniportLegacyVc is null)
                Ndis.MCoIndicateReceiveNetBufferLists(_vc, Link(_receiveNbls), _receiveNbls.Length, ReceiveFlags.None);
            else
                Ndis5.MCoIndicateReceivePacket(_miniportLegacyVc, _receivePackets, (uint)_receivePackets.Length);
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
