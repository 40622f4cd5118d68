using BenchmarkDotNet.Attributes;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Pools;
using CoNdis.Translation;

namespace CoNdis.Benchmarks.Converter;

/// <summary>
/// Question: where do the nanoseconds of one NB → packet → completion go? The full step for one NB with
/// one shared MDL (the baseline) next to the parts it is made of, each measured alone per NB: one locked
/// read-modify-write (the unit the pools and completion records paid in before they kept per-thread caches), a packet
/// pool round trip (NdisAllocatePacket + NdisFreePacket), a pool's counter snapshot (derived from its caches and depot,
/// read only by diagnostics now), and a partial MDL round trip (what each partial MDL adds).
/// See docs/benchmarks.md for the profile that goes with it.
/// </summary>
[MemoryDiagnoser]
public class ConverterBreakdownBenchmarks
{
    private const int PerInvoke = 64;

    private NblToPacketTranslator _translator = null!;
    private readonly NetBufferListQueue _completed = new();
    private readonly NdisPacket[] _packets = new NdisPacket[PerInvoke];
    private NetBufferList _chain = null!;
    private NdisPacketPool _packetPool = null!;
    private MdlPool _mdlPool = null!;
    private Mdl _source = null!;
    private int _counter;

    [GlobalSetup]
    public void Setup()
    {
        var frames = new Frames("breakdown bench");
        _translator = new NblToPacketTranslator(frames.Handle);
        _chain = frames.BuildChain(PerInvoke, 1, 1, partial: false);
        _packetPool = frames.Packets;
        _mdlPool = new MdlPool(frames.Handle, PerInvoke, "breakdown partial MDLs");
        _source = frames.Handle.Mdls.Allocate(Frames.Pattern(Frames.EthernetFrame, 1))!;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PerInvoke, Description = "full step: 1 NB/NBL, 1 shared MDL")]
    public long FullStep()
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
        _chain = _completed.DequeueAll()!;
        return counts.PacketsCompleted;
    }

    [Benchmark(OperationsPerInvoke = PerInvoke, Description = "one locked increment")]
    public int LockedIncrement()
    {
        int last = 0;
        for (int i = 0; i < PerInvoke; i++)
            last = Interlocked.Increment(ref _counter);
        return last;
    }

    [Benchmark(OperationsPerInvoke = PerInvoke, Description = "packet pool round trip")]
    public int PacketPoolRoundTrip()
    {
        var packets = _packets;
        for (int i = 0; i < PerInvoke; i++)
        {
            Ndis5.AllocatePacket(out _, out var packet, _packetPool);
            packets[i] = packet!;
        }
        for (int i = 0; i < PerInvoke; i++)
            Ndis5.FreePacket(packets[i]);
        return _packetPool.Usage;
    }

    [Benchmark(OperationsPerInvoke = PerInvoke, Description = "a pool's Outstanding read (derived, off the allocation path)")]
    public int PoolCountersSnapshot() // kept as a diagnostic cost: no hot path reads it since the per-thread pools
    {
        int outstanding = 0;
        for (int i = 0; i < PerInvoke; i++)
            outstanding += _packetPool.Counters.Outstanding;
        return outstanding;
    }

    [Benchmark(OperationsPerInvoke = PerInvoke, Description = "partial MDL round trip")]
    public int PartialMdlRoundTrip()
    {
        int bytes = 0;
        for (int i = 0; i < PerInvoke; i++)
        {
            var partial = _mdlPool.AllocatePartial(_source, 10, 100, MdlOrigin.Translation)!;
            bytes += partial.ByteCount;
            _mdlPool.Free(partial);
        }
        return bytes;
    }
}
