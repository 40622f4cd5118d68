using BenchmarkDotNet.Attributes;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.Translation;

namespace CoNdis.Benchmarks.Converter;

/// <summary>
/// Question: what does NBL → NDIS_PACKET translation cost per NET_BUFFER, by NBs per NBL, MDLs per NB and
/// whether partial MDLs must be built? One invocation sends a chain holding <see cref="NbsPerInvoke"/> NBs
/// through <see cref="NblToPacketTranslator.TranslateNext"/> (the pooled packets a 5.x miniport receives),
/// then completes every packet in order (<see cref="NblToPacketTranslator.CompletePacket"/>, the NBL
/// completing on its last packet), so the pools are full again after each invocation. Result per NB.
/// </summary>
[MemoryDiagnoser]
public class NblToPacketConverterBenchmarks
{
    /// <summary>NBs in the chain of one invocation, whatever the NBL shape (a fixed working set).</summary>
    public const int NbsPerInvoke = 64;

    private NblToPacketTranslator _translator = null!;
    private readonly NetBufferListQueue _completed = new();
    private readonly NdisPacket[] _packets = new NdisPacket[NbsPerInvoke];
    private NetBufferList _chain = null!;

    [Params(1, 4, 16)]
    public int NbsPerNbl { get; set; }

    [Params(1, 2, 4)]
    public int MdlsPerNb { get; set; }

    /// <summary>False: data from an MDL's start to the chain's end (MDLs shared). True: offset and trimmed tail (partial MDLs built).</summary>
    [Params(false, true)]
    public bool PartialMdls { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var frames = new Frames("nbl-to-packet bench");
        _translator = new NblToPacketTranslator(frames.Handle);
        _chain = frames.BuildChain(NbsPerInvoke / NbsPerNbl, NbsPerNbl, MdlsPerNb, PartialMdls);

        // Check once, outside the measured part, that the shape translates as described: no copies,
        // partials only when asked for, every NBL completed and every pool full again.
        var counts = new TranslationCounts();
        var cursor = new NblToPacketCursor(_chain);
        int n = 0;
        while (!cursor.IsAtEnd)
        {
            var outcome = _translator.TranslateNext(ref cursor, _completed, ref counts, out var packet);
            if (outcome != TranslationOutcome.Success)
                throw new InvalidOperationException($"NB {n} translated as {outcome}");
            _packets[n++] = packet!;
        }
        foreach (var packet in _packets)
            _translator.CompletePacket(packet, NdisStatus.Success, _completed, ref counts);
        _chain = _completed.DequeueAll()!;
        long partials = PartialMdls ? NbsPerInvoke * MdlsPerNb : 0;
        if (counts.PacketsBuilt != NbsPerInvoke || counts.PartialMdls != partials || counts.BytesCopied != 0
            || counts.NetBufferListsCompleted != NbsPerInvoke / NbsPerNbl || !_translator.IsIdle)
            throw new InvalidOperationException($"unexpected translation: {counts}");
    }

    [Benchmark(OperationsPerInvoke = NbsPerInvoke, Description = "NBL→packets translate+complete")]
    public long NblToPackets()
    {
        var counts = new TranslationCounts();
        var cursor = new NblToPacketCursor(_chain);
        var packets = _packets;
        int n = 0;
        while (!cursor.IsAtEnd)
        {
            _translator.TranslateNext(ref cursor, _completed, ref counts, out var packet);
            packets[n++] = packet!;
        }
        for (int i = 0; i < n; i++)
            _translator.CompletePacket(packets[i], NdisStatus.Success, _completed, ref counts);
        // Completion relinked the NBLs into the queue in completion order: that chain is the next send.
        _chain = _completed.DequeueAll()!;
        return counts.PacketsCompleted;
    }
}
