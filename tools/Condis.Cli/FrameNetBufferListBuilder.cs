using CoNdis.Hardware.Capture;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;

namespace Condis.Cli;

/// <summary>
/// Builds the NET_BUFFER_LIST a captured frame enters the data path as, the way a protocol driver builds a send
/// (NdisAllocateMdl + NdisAllocateNetBufferAndNetBufferList): one NBL with one NET_BUFFER over the frame's bytes in
/// pinned memory. Ethernet frames (link type 1) get two MDLs, the 14-byte MAC header and the payload, as a stack that
/// builds headers apart from data does; an outer 802.1Q tag (TPID 0x8100) with a non-zero TCI is taken out of the
/// bytes into the NBL's Ieee8021QNetBufferListInfo, as NDIS protocols hand tags to the miniport (the NIC inserts it on
/// the wire); a tag whose TCI is 0 stays in the bytes, because an Ieee8021QNetBufferListInfo of 0 means "no tag".
/// Other link types get one MDL over the frame; a record without bytes gets an NB of length 0.
/// <c>inspect --packets</c> and <c>convert</c> (its clients and <c>--annotate</c>) share this layout, so they agree.
/// </summary>
internal sealed class FrameNetBufferListBuilder
{
    public const uint EthernetLinkType = 1;

    /// <summary>The MAC header (destination, source, EtherType) that goes into the first MDL.</summary>
    public const int MacHeader = 14;

    private readonly NdisHandle _handle;
    private readonly NetBufferListPool _pool;
    private readonly NdisMemory _frame;
    private bool _frameInUse;

    /// <summary>A builder with room for <paramref name="capacity"/> NBLs at once and one frame of <paramref name="maxFrameLength"/> bytes for <see cref="Build(in CapturePacket, out bool)"/>.</summary>
    public FrameNetBufferListBuilder(NdisHandle handle, int maxFrameLength, int capacity = 4)
    {
        _handle = handle;
        _pool = new NetBufferListPool(handle, new NetBufferListPoolParameters { AllocateNetBuffer = true }, capacity, $"{handle.Name} frames");
        _frame = NdisMemory.AllocatePinned(Math.Max(1, maxFrameLength));
    }

    /// <summary>The pool the NBLs come from (its counters show leaks).</summary>
    public NetBufferListPool Pool => _pool;

    /// <summary>True for a link type whose frames are Ethernet (LINKTYPE_ETHERNET, FCS bits aside).</summary>
    public static bool IsEthernet(uint linkType) => (linkType & 0x0FFFFFFF) == EthernetLinkType;

    /// <summary>
    /// Copies <paramref name="data"/> into <paramref name="target"/> as the client hands it to NDIS: for Ethernet, an
    /// outer 802.1Q tag with a non-zero TCI is left out and returned in <paramref name="tag"/>. Returns the length.
    /// </summary>
    public static int Prepare(ReadOnlySpan<byte> data, uint linkType, Span<byte> target, out Ieee8021QInfo tag)
    {
        tag = default;
        if (IsEthernet(linkType) && data.Length >= 18 && data[12] == 0x81 && data[13] == 0x00 && (data[14] | data[15]) != 0)
        {
            int tci = (data[14] << 8) | data[15];
            tag = new Ieee8021QInfo((uint)(tci >> 13) | ((uint)((tci >> 12) & 1) << 3) | ((uint)(tci & 0xFFF) << 4));
            data[..12].CopyTo(target);
            data[16..].CopyTo(target[12..]);
            return data.Length - 4;
        }

        data.CopyTo(target);
        return data.Length;
    }

    /// <summary>The 802.1Q TCI (PCP, DEI, VID) an Ieee8021QNetBufferListInfo stands for.</summary>
    public static ushort Tci(Ieee8021QInfo tag) => (ushort)((tag.UserPriority << 13) | (tag.CanonicalFormatId << 12) | tag.VlanId);

    /// <summary>Bytes of a frame of <paramref name="length"/> that go into the first MDL (the MAC header for Ethernet).</summary>
    public static int FirstMdlLength(uint linkType, int length) => IsEthernet(linkType) && length > MacHeader ? MacHeader : length;

    /// <summary>Builds the NBL for <paramref name="packet"/> in the builder's own frame memory (one at a time); <paramref name="tagRemoved"/> says whether an 802.1Q tag went into the NBL info.</summary>
    public NetBufferList Build(in CapturePacket packet, out bool tagRemoved)
    {
        if (_frameInUse)
            throw new InvalidOperationException("the previous frame's NBL has not been freed");
        int length = Prepare(packet.Data, packet.LinkType, _frame.Span, out var tag);
        tagRemoved = tag.Value != 0;
        var nbl = Build(_frame.Slice(0, length), packet.LinkType, tag);
        _frameInUse = true;
        return nbl;
    }

    /// <summary>Builds an NBL over <paramref name="frame"/> (prepared by <see cref="Prepare"/>, pinned, the caller's): MDLs as for its link type, the tag in its info.</summary>
    public NetBufferList Build(NdisMemory frame, uint linkType, Ieee8021QInfo tag)
    {
        int length = frame.Length;
        Mdl? chain = null;
        if (length > 0)
        {
            int first = FirstMdlLength(linkType, length);
            chain = Allocate(frame.Slice(0, first));
            if (first < length)
                chain.Next = Allocate(frame.Slice(first, length - first));
        }

        var nbl = _pool.AllocateNetBufferAndNetBufferList(0, 0, chain, 0, length)
            ?? throw new InvalidOperationException("the frame NBL pool is empty");
        if (tag.Value != 0)
            nbl.Info.Ieee8021Q = tag;
        return nbl;
    }

    /// <summary>Frees the NBL (NdisFreeNetBufferList) and then the MDLs it described (NdisFreeMdl), as the protocol does after completion.</summary>
    public void Free(NetBufferList nbl)
    {
        ArgumentNullException.ThrowIfNull(nbl);
        var chain = nbl.FirstNetBuffer?.MdlChain;
        _pool.FreeNetBufferList(nbl);
        for (var mdl = chain; mdl is not null;)
        {
            var next = mdl.Next;
            mdl.Next = null;
            _handle.Mdls.Free(mdl);
            mdl = next;
        }

        _frameInUse = false;
    }

    private Mdl Allocate(NdisMemory memory) =>
        _handle.Mdls.Allocate(memory) ?? throw new InvalidOperationException("the MDL pool is empty");
}
