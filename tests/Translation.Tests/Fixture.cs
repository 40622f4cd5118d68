using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.Translation.Tests;

/// <summary>
/// A strict verifier, the native side's pools (NBLs, NBs, MDLs), the 5.x side's pools (packets, buffers),
/// both translators, and builders for NBLs and packets from specs. <see cref="AssertClean"/> checks that
/// every pool is back to its initial count.
/// </summary>
internal sealed class Fixture
{
    public Fixture(TranslatorOptions? options = null)
    {
        Handle = new NdisHandle("xlat-test", new NdisVerifier(VerifierMode.Strict));
        Nbls = new NetBufferListPool(Handle, new NetBufferListPoolParameters(), 1024);
        Nbs = new NetBufferPool(Handle, new NetBufferPoolParameters(), 4096);
        Ndis5.AllocatePacketPool(out _, out var packets, 1024, 16, Handle);
        Packets = packets!;
        Ndis5.AllocateBufferPool(out _, out var buffers, 8192, Handle);
        Buffers = buffers;
        ToPackets = new NblToPacketTranslator(Handle, options);
        ToNbls = new PacketToNblTranslator(Handle, options);
    }

    public NdisHandle Handle { get; }
    public NetBufferListPool Nbls { get; }
    public NetBufferPool Nbs { get; }
    public NdisPacketPool Packets { get; }
    public NdisBufferPool Buffers { get; }
    public NblToPacketTranslator ToPackets { get; }
    public PacketToNblTranslator ToNbls { get; }
    public NetBufferListQueue Completed { get; } = new();

    private static readonly object s_ipSec = new();

    public static object IpSecInfo => s_ipSec;

    public static NdisMemory Pattern(int length, int seed)
    {
        var memory = NdisMemory.AllocatePinned(Math.Max(length, 1)).Slice(0, length);
        for (int i = 0; i < length; i++)
            memory.Span[i] = (byte)((seed * 31) + (i * 7) + 1);
        return memory;
    }

    public NetBuffer BuildNetBuffer(NbSpec spec, int seed)
    {
        var memory = Pattern(spec.Total, seed);
        var head = TestDrivers.TestFrames.Describe(Handle, memory, spec.MdlSizes);
        var nb = Nbs.AllocateNetBuffer(head, spec.DataOffset, spec.DataLength)!;
        if (spec.CurrentAtEndOfPrevious && nb.CurrentMdlOffset == 0)
        {
            // The other legal form of a boundary position: the end of the previous MDL (NET_BUFFER's CurrentMdl may
            // point at the MDL before, with CurrentMdlOffset equal to its byte count).
            Mdl? previous = null;
            for (var mdl = nb.MdlChain; mdl is not null && !ReferenceEquals(mdl, nb.CurrentMdl); mdl = mdl.Next)
                previous = mdl;
            if (previous is not null)
            {
                nb.CurrentMdl = previous;
                nb.CurrentMdlOffset = previous.ByteCount;
            }
        }
        Assert.Null(nb.CheckInvariants());
        return nb;
    }

    public NetBufferList BuildNbl(NblSpec spec, int seed)
    {
        var nbl = Nbls.AllocateNetBufferList()!;
        NetBuffer? tail = null;
        int i = 0;
        foreach (var nbSpec in spec.Nbs)
        {
            var nb = BuildNetBuffer(nbSpec, seed + i++);
            if (tail is null)
                nbl.FirstNetBuffer = nb;
            else
                tail.Next = nb;
            tail = nb;
        }
        Apply(spec.Info, nbl);
        return nbl;
    }

    public NetBufferList BuildChain(IReadOnlyList<NblSpec> specs)
    {
        NetBufferList? head = null, tail = null;
        for (int i = 0; i < specs.Count; i++)
        {
            var nbl = BuildNbl(specs[i], i * 100);
            if (tail is null)
                head = nbl;
            else
                tail.Next = nbl;
            tail = nbl;
        }
        return head!;
    }

    public static void Apply(InfoSpec info, NetBufferList nbl)
    {
        nbl.Info.Checksum = new TcpIpChecksumInfo(info.Checksum);
        nbl.Info.SetPointer(NetBufferListInfoId.IPsecOffloadV1NetBufferListInfo, info.IpSec ? s_ipSec : null);
        nbl.Info.LargeSend = info.Mss == 0 ? default : new LargeSendOffloadInfo { Mss = (int)info.Mss, Type = LargeSendOffloadInfo.V1Type };
        nbl.Info[NetBufferListInfoId.ClassificationHandleNetBufferListInfo] = (nint)info.Classification;
        nbl.Info.Ieee8021Q = new Ieee8021QInfo(info.Ieee8021Q);
        nbl.Info.CancelId = (nint)info.CancelId;
        nbl.Info.MediaSpecificInformation = info.MediaSpecificLength > 0 ? new byte[info.MediaSpecificLength] : null;
        nbl.Info.ProtocolId = info.ProtocolId;
        nbl.NblFlags = info.Loopback ? NblFlags.IsLoopbackPacket : NblFlags.None;
        nbl.Status = info.Status;
    }

    public NdisPacket BuildPacket(PacketSpec spec, int seed)
    {
        Ndis5.AllocatePacket(out _, out var packet, Packets);
        var memory = Pattern(spec.BufferSizes.Sum(), seed);
        int at = 0;
        foreach (int size in spec.BufferSizes)
        {
            Ndis5.AllocateBuffer(out _, out var buffer, Buffers, memory.Slice(at, size), (uint)size);
            Ndis5.ChainBufferAtBack(packet!, buffer!);
            at += size;
        }
        var info = spec.Info;
        var ext = packet!.Extension;
        ext.Checksum = new NdisTcpIpChecksumPacketInfo(info.Checksum);
        ext.IpSec = info.IpSec ? s_ipSec : null;
        ext.TcpLargeSend = info.Mss;
        ext.ClassificationHandle = (nint)info.Classification;
        ext.Ieee8021Q = new Ieee8021QInfo(info.Ieee8021Q);
        ext.CancelId = (nint)info.CancelId;
        if (info.MediaSpecificLength > 0)
            packet.SetMediaSpecificInfo(new byte[info.MediaSpecificLength], spec.MediaSpecificSize);
        Ndis5.SetSendFlags(packet, spec.OtherFlags | (info.Loopback ? NdisFlags.IsLoopbackPacket : NdisFlags.None) | (NdisFlags)info.ProtocolId);
        packet.HeaderSize = spec.HeaderSize;
        packet.TimeSent = spec.TimeSent;
        packet.TimeReceived = spec.TimeReceived;
        packet.Status = info.Status;
        return packet;
    }

    public static List<NetBufferList> List(NetBufferList? chain)
    {
        var list = new List<NetBufferList>();
        foreach (var nbl in chain!.Chain)
            list.Add(nbl);
        return list;
    }

    public static byte[] Bytes(NdisPacket packet)
    {
        var bytes = new List<byte>();
        foreach (var buffer in packet.Buffers)
            bytes.AddRange(buffer.Span.ToArray());
        return [.. bytes];
    }

    public void FreePacket(NdisPacket packet)
    {
        while (true)
        {
            Ndis5.UnchainBufferAtFront(packet, out var buffer);
            if (buffer is null)
                break;
            Ndis5.FreeBuffer(buffer);
        }
        Ndis5.FreePacket(packet);
    }

    public void FreeChain(NetBufferList? chain)
    {
        while (chain is not null)
        {
            var next = chain.Next;
            FreeNbl(chain);
            chain = next;
        }
    }

    public void FreeNbl(NetBufferList nbl)
    {
        var nb = nbl.FirstNetBuffer;
        while (nb is not null)
        {
            var nextNb = nb.Next;
            var mdl = nb.MdlChain;
            while (mdl is not null)
            {
                var nextMdl = mdl.Next;
                Handle.Mdls.Free(mdl);
                mdl = nextMdl;
            }
            nb.Next = null;
            Nbs.FreeNetBuffer(nb);
            nb = nextNb;
        }
        nbl.FirstNetBuffer = null;
        Nbls.FreeNetBufferList(nbl);
    }

    /// <summary>Every pool is back to its initial count and the verifier saw nothing.</summary>
    public void AssertClean()
    {
        Assert.True(ToPackets.IsIdle, $"NBL→packet translator: {ToPackets.PacketPool.Usage} packets, {ToPackets.MdlPool.Counters.Outstanding} MDLs, {ToPackets.CompletionCounters.Outstanding} completions outstanding");
        Assert.True(ToNbls.IsIdle, "packet→NBL translator has NBLs outstanding");
        Assert.Equal(0, Nbls.Counters.Outstanding);
        Assert.Equal(0, Nbs.Counters.Outstanding);
        Assert.Equal(0, Handle.Mdls.Counters.Outstanding);
        Assert.Equal(0, Packets.Usage);
        Assert.Equal(0, Buffers.Counters.Outstanding);
        Assert.Equal(0, Handle.Verifier.FindingCount);
        Assert.Equal(0, ToPackets.FreePools());
        Assert.Equal(0, ToNbls.FreePools());
    }
}
