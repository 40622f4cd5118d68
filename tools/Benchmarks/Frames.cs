using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.Benchmarks;

/// <summary>
/// Builds the inputs of the translation benchmarks once, in [GlobalSetup]: NBL chains of a given shape on
/// the native side and NDIS_PACKETs on the 5.x side, from pools of a handle whose verifier is on (the
/// library's default: benchmarks measure what users run).
/// </summary>
internal sealed class Frames
{
    /// <summary>The largest Ethernet frame without FCS: the default data size of an NB.</summary>
    public const int EthernetFrame = 1514;

    /// <summary>Bytes trimmed at each end of an NB's data when partial MDLs are asked for.</summary>
    public const int PartialTrim = 10;

    public Frames(string name, int capacity = 4096)
    {
        Handle = new NdisHandle(name, new NdisVerifier(VerifierMode.Strict));
        Nbls = new NetBufferListPool(Handle, new NetBufferListPoolParameters(), capacity, $"{name} NBLs");
        Nbs = new NetBufferPool(Handle, new NetBufferPoolParameters(), capacity, $"{name} NBs");
        Ndis5.AllocatePacketPool(out _, out var packets, (uint)capacity, 16, Handle);
        Packets = packets ?? throw new InvalidOperationException("packet pool");
        Ndis5.AllocateBufferPool(out _, out var buffers, (uint)(capacity * 4), Handle);
        Buffers = buffers;
    }

    public NdisHandle Handle { get; }

    public NetBufferListPool Nbls { get; }

    public NetBufferPool Nbs { get; }

    public NdisPacketPool Packets { get; }

    public NdisBufferPool Buffers { get; }

    /// <summary>
    /// A chain of <paramref name="nblCount"/> NBLs of <paramref name="nbsPerNbl"/> NBs, each NB a
    /// <paramref name="frameSize"/>-byte region split into <paramref name="mdlsPerNb"/> MDLs. Without
    /// <paramref name="partial"/> the data starts at the first MDL's start and runs to the chain's end (every
    /// MDL can be shared); with it the data starts <see cref="PartialTrim"/> bytes into the first MDL and ends
    /// <see cref="PartialTrim"/> bytes before the end of the last (every MDL needs a partial).
    /// </summary>
    public NetBufferList BuildChain(int nblCount, int nbsPerNbl, int mdlsPerNb, bool partial, int frameSize = EthernetFrame)
    {
        NetBufferList? head = null, tail = null;
        for (int i = 0; i < nblCount; i++)
        {
            var nbl = Nbls.AllocateNetBufferList() ?? throw new InvalidOperationException("NBL pool");
            NetBuffer? last = null;
            for (int j = 0; j < nbsPerNbl; j++)
            {
                var nb = BuildNetBuffer(mdlsPerNb, partial, frameSize, (i * nbsPerNbl) + j);
                if (last is null)
                    nbl.FirstNetBuffer = nb;
                else
                    last.Next = nb;
                last = nb;
            }
            nbl.Info.Checksum = new TcpIpChecksumInfo(0x11);
            nbl.Info.Ieee8021Q = new Ieee8021QInfo(0x0035);
            if (tail is null)
                head = nbl;
            else
                tail.Next = nbl;
            tail = nbl;
        }
        return head ?? throw new ArgumentOutOfRangeException(nameof(nblCount));
    }

    /// <summary>A packet from <see cref="Packets"/> whose <paramref name="buffers"/> buffers describe a <paramref name="frameSize"/>-byte frame.</summary>
    public NdisPacket BuildPacket(int buffers, int frameSize, NdisStatus status, int seed)
    {
        Ndis5.AllocatePacket(out _, out var packet, Packets);
        if (packet is null)
            throw new InvalidOperationException("packet pool");
        var memory = Pattern(frameSize, seed);
        int at = 0;
        foreach (int size in Split(frameSize, buffers))
        {
            Ndis5.AllocateBuffer(out _, out var buffer, Buffers, memory.Slice(at, size), (uint)size);
            Ndis5.ChainBufferAtBack(packet, buffer ?? throw new InvalidOperationException("buffer pool"));
            at += size;
        }
        packet.Extension.Checksum = new NdisTcpIpChecksumPacketInfo(0x11);
        packet.Extension.Ieee8021Q = new Ieee8021QInfo(0x0035);
        packet.HeaderSize = 14;
        packet.Status = status;
        return packet;
    }

    /// <summary><paramref name="total"/> bytes in <paramref name="pieces"/> parts: equal, the remainder in the last.</summary>
    public static int[] Split(int total, int pieces) => TestDrivers.TestFrames.Split(total, pieces);

    public static NdisMemory Pattern(int length, int seed)
    {
        var memory = NdisMemory.AllocatePinned(length);
        var span = memory.Span;
        for (int i = 0; i < span.Length; i++)
            span[i] = (byte)((seed * 31) + (i * 7) + 1);
        return memory;
    }

    private NetBuffer BuildNetBuffer(int mdlsPerNb, bool partial, int frameSize, int seed)
    {
        var head = TestDrivers.TestFrames.Describe(Handle, Pattern(frameSize, seed), Split(frameSize, mdlsPerNb));
        int offset = partial ? PartialTrim : 0;
        int length = partial ? frameSize - (2 * PartialTrim) : frameSize;
        return Nbs.AllocateNetBuffer(head, offset, length) ?? throw new InvalidOperationException("NB pool");
    }
}
