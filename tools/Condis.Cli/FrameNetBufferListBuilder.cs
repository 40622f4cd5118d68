using CoNdis.Hardware.Capture;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;

namespace Condis.Cli;

/// <summary>
/// Builds the NET_BUFFER_LIST a captured frame enters the data path as, the way a protocol driver builds a send
/// (NdisAllocateMdl + NdisAllocateNetBufferAndNetBufferList): one NBL with one NET_BUFFER over the frame's bytes,
/// copied into pinned memory the builder owns. Ethernet frames (link type 1) get two MDLs, the 14-byte MAC header and
/// the payload, as a stack that builds headers apart from data does; an outer 802.1Q tag (TPID 0x8100) is taken out of
/// the bytes into the NBL's Ieee8021QNetBufferListInfo, as NDIS protocols hand tags to the miniport (the NIC inserts
/// it on the wire). Other link types get one MDL over the frame; a record without bytes gets an NB of length 0.
/// One frame at a time: <see cref="Free"/> gives everything back before the next <see cref="Build"/>.
/// </summary>
internal sealed class FrameNetBufferListBuilder
{
    public const uint EthernetLinkType = 1;
    private const int MacHeader = 14;

    private readonly NdisHandle _handle;
    private readonly NetBufferListPool _pool;
    private readonly NdisMemory _frame;
    private Mdl? _chain;

    public FrameNetBufferListBuilder(NdisHandle handle, int maxFrameLength)
    {
        _handle = handle;
        _pool = new NetBufferListPool(handle, new NetBufferListPoolParameters { AllocateNetBuffer = true }, 4, $"{handle.Name} frames");
        _frame = NdisMemory.AllocatePinned(Math.Max(1, maxFrameLength));
    }

    /// <summary>The pool the NBLs come from (its counters show leaks).</summary>
    public NetBufferListPool Pool => _pool;

    /// <summary>Builds the NBL for <paramref name="packet"/>; <paramref name="tagRemoved"/> says whether an 802.1Q tag went into the NBL info.</summary>
    public NetBufferList Build(in CapturePacket packet, out bool tagRemoved)
    {
        if (_chain is not null)
            throw new InvalidOperationException("the previous frame's NBL has not been freed");
        var data = packet.Data;
        var frame = _frame.Span;
        uint tag = 0;
        int length = data.Length;
        tagRemoved = packet.LinkType == EthernetLinkType && data.Length >= 18 && data[12] == 0x81 && data[13] == 0x00;
        if (tagRemoved)
        {
            int tci = (data[14] << 8) | data[15];
            tag = (uint)(tci >> 13) | ((uint)((tci >> 12) & 1) << 3) | ((uint)(tci & 0xFFF) << 4);
            data[..12].CopyTo(frame);
            data[16..].CopyTo(frame[12..]);
            length -= 4;
        }
        else
        {
            data.CopyTo(frame);
        }

        if (length > 0)
        {
            int first = packet.LinkType == EthernetLinkType && length > MacHeader ? MacHeader : length;
            _chain = Allocate(_frame.Slice(0, first));
            if (first < length)
                _chain.Next = Allocate(_frame.Slice(first, length - first));
        }

        var nbl = _pool.AllocateNetBufferAndNetBufferList(0, 0, _chain, 0, length)
            ?? throw new InvalidOperationException("the frame NBL pool is empty");
        if (tagRemoved)
            nbl.Info.Ieee8021Q = new Ieee8021QInfo(tag);
        return nbl;
    }

    /// <summary>Frees the NBL (NdisFreeNetBufferList) and then the MDLs it described (NdisFreeMdl), as the protocol does after completion.</summary>
    public void Free(NetBufferList nbl)
    {
        _pool.FreeNetBufferList(nbl);
        for (var mdl = _chain; mdl is not null;)
        {
            var next = mdl.Next;
            mdl.Next = null;
            _handle.Mdls.Free(mdl);
            mdl = next;
        }

        _chain = null;
    }

    private Mdl Allocate(NdisMemory memory) =>
        _handle.Mdls.Allocate(memory) ?? throw new InvalidOperationException("the MDL pool is empty");
}
