using BenchmarkDotNet.Attributes;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.Translation;

namespace CoNdis.Benchmarks;

/// <summary>
/// Question: what does a receive from a 5.x miniport cost when it must be copied (OOB status
/// NDIS_STATUS_RESOURCES: the data goes into a runtime-owned NBL before the indication returns) next to
/// the zero-copy wrap of the packet's buffers, by frame size? Both go through
/// <see cref="PacketToNblTranslator.TranslateReceived"/> and come back through
/// <see cref="PacketToNblTranslator.Return"/>; one packet with one buffer per frame, as a NIC fills it.
/// Result per packet.
/// </summary>
[MemoryDiagnoser]
public class ReceiveCopyBenchmarks
{
    private const int PacketsPerInvoke = 32;

    private PacketToNblTranslator _translator = null!;
    private readonly NdisPacket[] _normal = new NdisPacket[PacketsPerInvoke];
    private readonly NdisPacket[] _resources = new NdisPacket[PacketsPerInvoke];
    private readonly NetBufferList[] _nbls = new NetBufferList[PacketsPerInvoke];

    [Params(64, 512, 1514)]
    public int FrameSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var frames = new Frames("receive-copy bench");
        _translator = new PacketToNblTranslator(frames.Handle);
        for (int i = 0; i < PacketsPerInvoke; i++)
        {
            _normal[i] = frames.BuildPacket(1, FrameSize, NdisStatus.Success, i);
            _resources[i] = frames.BuildPacket(1, FrameSize, NdisStatus.Resources, i);
        }

        var counts = new TranslationCounts();
        if (_translator.TranslateReceived(_normal[0], ref counts, out var wrapped) != TranslationOutcome.Success
            || _translator.TranslateReceived(_resources[0], ref counts, out var copied) != TranslationOutcome.BounceRequired
            || copied!.FirstNetBuffer!.DataLength != FrameSize)
            throw new InvalidOperationException($"unexpected receive translation: {counts}");
        _translator.Return(wrapped!, ref counts);
        _translator.Return(copied, ref counts);
        if (counts.BytesCopied != FrameSize || counts.ResourcesCopies != 1 || !_translator.IsIdle)
            throw new InvalidOperationException($"unexpected receive translation: {counts}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PacketsPerInvoke, Description = "zero-copy wrap + return")]
    public long Wrap() => ReceiveAndReturn(_normal);

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke, Description = "resources copy + return")]
    public long Copy() => ReceiveAndReturn(_resources);

    private long ReceiveAndReturn(NdisPacket[] packets)
    {
        var counts = new TranslationCounts();
        var nbls = _nbls;
        for (int i = 0; i < packets.Length; i++)
        {
            _translator.TranslateReceived(packets[i], ref counts, out var nbl);
            nbls[i] = nbl!;
        }
        for (int i = 0; i < nbls.Length; i++)
            _translator.Return(nbls[i], ref counts);
        return counts.BytesCopied + counts.PacketsCompleted;
    }
}
