using BenchmarkDotNet.Attributes;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;
using CoNdis.Translation;

namespace CoNdis.Benchmarks;

/// <summary>
/// Question: what does zero copy save? The same input (NBLs of one NB in two MDLs, by frame size) makes a
/// full trip NB → NDIS_PACKET → NBL and back to its owners, twice:
/// <list type="bullet">
/// <item><b>Naive (the baseline of the comparison)</b>: flattens each NB into a new byte[] and wraps it in a
/// packet, then flattens the packet into another new byte[] and wraps that in an NBL; the arrays are
/// garbage afterwards. Descriptors still come from pools, so only the flattening differs. The arrays are
/// pinned (<c>GC.AllocateUninitializedArray(pinned: true)</c>), as <see cref="NdisMemory"/> requires of every
/// range a descriptor maps.</item>
/// <item><b>Zero copy</b>: <see cref="NblToPacketTranslator.TranslateNext"/> then <see cref="PacketToNblTranslator.Wrap"/>;
/// back with <see cref="PacketToNblTranslator.Return"/> and <see cref="NblToPacketTranslator.CompletePacket"/>.</item>
/// </list>
/// Result per NB.
/// </summary>
[MemoryDiagnoser]
public class NaiveBaselineBenchmarks
{
    private const int NbsPerInvoke = 32;

    private Frames _frames = null!;
    private NblToPacketTranslator _toPackets = null!;
    private PacketToNblTranslator _toNbls = null!;
    private NetBufferListPool _naiveNbls = null!;
    private readonly NetBufferListQueue _completed = new();
    private readonly NdisPacket[] _packets = new NdisPacket[NbsPerInvoke];
    private readonly NetBufferList[] _nbls = new NetBufferList[NbsPerInvoke];
    private NetBufferList _chain = null!;

    [Params(64, 512, 1514)]
    public int FrameSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frames = new Frames("naive bench");
        _toPackets = new NblToPacketTranslator(_frames.Handle);
        _toNbls = new PacketToNblTranslator(_frames.Handle);
        _naiveNbls = new NetBufferListPool(_frames.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true }, NbsPerInvoke, "naive NBLs");
        _chain = _frames.BuildChain(NbsPerInvoke, 1, 2, partial: false, FrameSize);
        if (ZeroCopy() != NbsPerInvoke * 2 || Naive() != (long)NbsPerInvoke * FrameSize || !_toPackets.IsIdle || !_toNbls.IsIdle)
            throw new InvalidOperationException("the round trips did not run as described");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = NbsPerInvoke, Description = "naive: flatten to byte[] and back (baseline)")]
    public long Naive()
    {
        long bytes = 0;
        int n = 0;
        for (var nbl = _chain; nbl is not null; nbl = nbl.Next)
        {
            for (var nb = nbl.FirstNetBuffer; nb is not null; nb = nb.Next)
            {
                // NB → packet: one new array holding the NB's used data, one buffer over it.
                int length = nb.DataLength;
                var flat = GC.AllocateUninitializedArray<byte>(length, pinned: true);
                nb.CopyUsedDataTo(0, flat);
                Ndis5.AllocatePacket(out _, out var packet, _frames.Packets);
                Ndis5.AllocateBuffer(out _, out var buffer, _frames.Buffers, NdisMemory.FromPinnedArray(flat), (uint)length);
                Ndis5.ChainBufferAtBack(packet!, buffer!);
                packet!.Extension.Checksum = new NdisTcpIpChecksumPacketInfo(nbl.Info.Checksum.Value);
                packet.Extension.Ieee8021Q = nbl.Info.Ieee8021Q;
                packet.Status = nbl.Status;

                // Packet → NBL: another new array holding the packet's buffers, one MDL and one NBL over it.
                int total = 0;
                for (var b = packet.FirstBuffer; b is not null; b = b.Next)
                    total += b.ByteCount;
                var back = GC.AllocateUninitializedArray<byte>(total, pinned: true);
                int at = 0;
                for (var b = packet.FirstBuffer; b is not null; b = b.Next)
                {
                    b.Span.CopyTo(back.AsSpan(at));
                    at += b.ByteCount;
                }
                var mdl = _frames.Handle.Mdls.Allocate(NdisMemory.FromPinnedArray(back));
                var wrapped = _naiveNbls.AllocateNetBufferAndNetBufferList(0, 0, mdl, 0, total)!;
                wrapped.Info.Checksum = new TcpIpChecksumInfo(packet.Extension.Checksum.Value);
                wrapped.Info.Ieee8021Q = packet.Extension.Ieee8021Q;
                wrapped.Status = packet.Status;
                bytes += wrapped.FirstNetBuffer!.DataLength;
                _packets[n] = packet;
                _nbls[n++] = wrapped;
            }
        }
        for (int i = 0; i < n; i++)
        {
            var wrapped = _nbls[i];
            var nb = wrapped.FirstNetBuffer!;
            var mdl = nb.MdlChain!;
            nb.Initialize(null, 0, 0);
            _naiveNbls.FreeNetBufferList(wrapped);
            _frames.Handle.Mdls.Free(mdl);
            var packet = _packets[i];
            Ndis5.UnchainBufferAtFront(packet, out var buffer);
            Ndis5.FreeBuffer(buffer!);
            Ndis5.FreePacket(packet);
        }
        return bytes;
    }

    [Benchmark(OperationsPerInvoke = NbsPerInvoke, Description = "zero copy: translate + wrap and back")]
    public long ZeroCopy()
    {
        var counts = new TranslationCounts();
        var cursor = new NblToPacketCursor(_chain);
        int n = 0;
        while (!cursor.IsAtEnd)
        {
            _toPackets.TranslateNext(ref cursor, _completed, ref counts, out var packet);
            _toNbls.Wrap(packet!, ref counts, out var wrapped);
            _nbls[n++] = wrapped!;
        }
        for (int i = 0; i < n; i++)
        {
            var packet = _toNbls.Return(_nbls[i], ref counts)!;
            _toPackets.CompletePacket(packet, NdisStatus.Success, _completed, ref counts);
        }
        _chain = _completed.DequeueAll()!;
        return counts.PacketsBuilt + counts.NetBufferListsBuilt + counts.BytesCopied;
    }
}
