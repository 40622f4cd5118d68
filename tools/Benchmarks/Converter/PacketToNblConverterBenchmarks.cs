using BenchmarkDotNet.Attributes;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.Translation;

namespace CoNdis.Benchmarks.Converter;

/// <summary>
/// Question: what does NDIS_PACKET → NBL translation cost per packet, by buffers per packet? One NBL with
/// one NB wraps each packet's buffer chain (<see cref="PacketToNblTranslator.Wrap"/>: nothing is copied and
/// no partial MDL exists on this side, so MDL count only changes the chain walk). Receive: the NBL comes
/// back (<see cref="PacketToNblTranslator.Return"/>). Send: it completes (<see cref="PacketToNblTranslator.CompleteSend"/>).
/// One invocation does <see cref="PacketsPerInvoke"/> packets; result per packet.
/// </summary>
[MemoryDiagnoser]
public class PacketToNblConverterBenchmarks
{
    public const int PacketsPerInvoke = 64;

    private PacketToNblTranslator _translator = null!;
    private readonly NdisPacket[] _packets = new NdisPacket[PacketsPerInvoke];
    private readonly NetBufferList[] _nbls = new NetBufferList[PacketsPerInvoke];

    [Params(1, 2, 4)]
    public int MdlsPerNb { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var frames = new Frames("packet-to-nbl bench");
        _translator = new PacketToNblTranslator(frames.Handle);
        for (int i = 0; i < PacketsPerInvoke; i++)
            _packets[i] = frames.BuildPacket(MdlsPerNb, Frames.EthernetFrame, NdisStatus.Success, i);

        var counts = new TranslationCounts();
        foreach (var packet in _packets)
        {
            if (_translator.Wrap(packet, ref counts, out var nbl) != TranslationOutcome.Success
                || !ReferenceEquals(nbl!.FirstNetBuffer!.MdlChain, packet.FirstBuffer)
                || !ReferenceEquals(_translator.Return(nbl, ref counts), packet))
                throw new InvalidOperationException("a packet did not wrap without copying");
        }
        if (counts.BytesCopied != 0 || !_translator.IsIdle)
            throw new InvalidOperationException($"unexpected translation: {counts}");
    }

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke, Description = "packets→NBL wrap+return (receive)")]
    public long PacketsToNblReceive()
    {
        var counts = new TranslationCounts();
        var packets = _packets;
        var nbls = _nbls;
        for (int i = 0; i < packets.Length; i++)
        {
            _translator.Wrap(packets[i], ref counts, out var nbl);
            nbls[i] = nbl!;
        }
        for (int i = 0; i < nbls.Length; i++)
            _translator.Return(nbls[i], ref counts);
        return counts.PacketsCompleted;
    }

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke, Description = "packets→NBL wrap+complete (send)")]
    public long PacketsToNblSend()
    {
        var counts = new TranslationCounts();
        var packets = _packets;
        var nbls = _nbls;
        for (int i = 0; i < packets.Length; i++)
        {
            _translator.Wrap(packets[i], ref counts, out var nbl);
            nbls[i] = nbl!;
        }
        for (int i = 0; i < nbls.Length; i++)
            _translator.CompleteSend(nbls[i], ref counts);
        return counts.PacketsCompleted;
    }
}
