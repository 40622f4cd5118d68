using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Translation;

/// <summary>
/// NDIS_PACKET → NET_BUFFER_LIST (the model's conversion, docs/model-choices.md; Microsoft does not document NDIS's):
/// for a receive from a 5.x miniport or a send from a 5.x
/// client, one NBL with exactly one NET_BUFFER per packet (the receive rule; on send it keeps each
/// packet's own per-packet info and status). The NET_BUFFER's MDL chain is the packet's buffer chain,
/// DataOffset 0, DataLength the chain's total length: nothing is copied (<see cref="Wrap"/>). A packet
/// indicated with NDIS_STATUS_RESOURCES must be copied before the indication returns: <see cref="Copy"/>
/// puts its data into a runtime-owned NBL with its own data (counted as bytes copied and a resources copy).
/// <para>Each step is pure with respect to the translator: it takes an NBL from a pool and reports one
/// <see cref="TranslationOutcome"/>. The OOB fields an NBL has no place for ride in the NBL's context
/// (<see cref="CarriedOob"/>). The packet a wrapping NBL stands for is kept in the translator's own table,
/// indexed by the NBL's index in the translator's pool — NDIS's bookkeeping, so no reserved area or Scratch
/// of the NBL (which belong to whichever driver holds it) is used.</para>
/// </summary>
public sealed class PacketToNblTranslator
{
    private readonly NetBufferListPool _wrap;
    private readonly NetBufferListPool _copy;
    private readonly NdisPacket?[] _packetOf;

    /// <summary>Creates the translator and its NBL pools on <paramref name="handle"/>.</summary>
    public PacketToNblTranslator(NdisHandle handle, TranslatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Options = options ?? TranslatorOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.Capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.CopyDataSize, 1);
        _wrap = new NetBufferListPool(handle,
            new NetBufferListPoolParameters { AllocateNetBuffer = true, ContextSize = CarriedOob.ContextSize, PoolTag = CarriedOob.PoolTag },
            Options.Capacity, $"{handle.Name} translation NBLs");
        _copy = new NetBufferListPool(handle,
            new NetBufferListPoolParameters { AllocateNetBuffer = true, ContextSize = CarriedOob.ContextSize, PoolTag = CarriedOob.PoolTag, DataSize = Options.CopyDataSize },
            Options.Capacity, $"{handle.Name} resources-copy NBLs");
        _packetOf = new NdisPacket?[Options.Capacity];
    }

    /// <summary>The options the translator was created with.</summary>
    public TranslatorOptions Options { get; }

    /// <summary>The pool of NBLs that wrap a packet's buffers.</summary>
    public NetBufferListPool WrapPool => _wrap;

    /// <summary>The pool of runtime-owned NBLs (with data) that resources receives are copied into.</summary>
    public NetBufferListPool CopyPool => _copy;

    /// <summary>True when no NBL of this translator is outstanding.</summary>
    public bool IsIdle => _wrap.Counters.Outstanding == 0 && _copy.Counters.Outstanding == 0;

    /// <summary>The packet an NBL built by <see cref="Wrap"/> stands for, or null (a copy, or not ours).</summary>
    public NdisPacket? PacketOf(NetBufferList nbl)
    {
        ArgumentNullException.ThrowIfNull(nbl);
        return _wrap.Owns(nbl) && nbl.IsAllocated ? _packetOf[nbl.PoolIndex] : null;
    }

    /// <summary>
    /// Wraps the packet's buffers in a new NBL without copying: Success with <paramref name="nbl"/>,
    /// OutOfResources (the packet is still the caller's; retry later), or CannotTranslate for a packet with
    /// no data. The packet stays in use until the NBL comes back through <see cref="Return"/> or <see cref="CompleteSend"/>.
    /// </summary>
    public TranslationOutcome Wrap(NdisPacket packet, ref TranslationCounts counts, out NetBufferList? nbl)
    {
        ArgumentNullException.ThrowIfNull(packet);
        nbl = null;
        int length = ChainLength(packet);
        if (length == 0)
            return Reject(ref counts, TranslationFailure.EmptyPacket);
        var built = _wrap.AllocateNetBufferAndNetBufferList(0, 0, packet.FirstBuffer, 0, length);
        if (built is null)
            return OutOfResources(ref counts, TranslationFailure.NetBufferListPoolEmpty);
        InfoMapping.ToNetBufferList(packet, built);
        _packetOf[built.PoolIndex] = packet;
        counts.NetBufferListsBuilt++;
        nbl = built;
        return TranslationOutcome.Success;
    }

    /// <summary>
    /// Copies the packet's data into a runtime-owned NBL (what a receive with OOB status
    /// NDIS_STATUS_RESOURCES needs: the packet goes back to the miniport when the indication returns).
    /// BounceRequired with <paramref name="nbl"/> (status Success, info and OOB carried), OutOfResources,
    /// or CannotTranslate for an empty packet or one larger than <see cref="TranslatorOptions.CopyDataSize"/>.
    /// Counted as a resources copy and its bytes, and in <see cref="CopyCounters"/>.
    /// </summary>
    public TranslationOutcome Copy(NdisPacket packet, ref TranslationCounts counts, out NetBufferList? nbl)
    {
        ArgumentNullException.ThrowIfNull(packet);
        nbl = null;
        int length = ChainLength(packet);
        if (length == 0)
            return Reject(ref counts, TranslationFailure.EmptyPacket);
        if (length > Options.CopyDataSize)
            return Reject(ref counts, TranslationFailure.PacketTooLarge);
        var built = _copy.AllocateNetBufferList();
        if (built is null)
            return OutOfResources(ref counts, TranslationFailure.NetBufferListPoolEmpty);
        var nb = built.FirstNetBuffer!;
        var mdl = nb.MdlChain!;
        var target = mdl.Span;
        int at = 0;
        for (var buffer = packet.FirstBuffer; buffer is not null && at < length; buffer = buffer.Next)
        {
            var piece = buffer.Span;
            piece.CopyTo(target[at..]);
            at += piece.Length;
        }
        mdl.AdjustLength(length);
        nb.Initialize(mdl, 0, length);
        InfoMapping.ToNetBufferList(packet, built);
        built.Status = NdisStatus.Success;
        CopyCounters.Count(length);
        counts.ResourcesCopies++;
        counts.BytesCopied += length;
        counts.NetBufferListsBuilt++;
        nbl = built;
        return TranslationOutcome.BounceRequired;
    }

    /// <summary>
    /// A packet indicated by a 5.x miniport: copied (<see cref="Copy"/>) when its OOB status is
    /// NDIS_STATUS_RESOURCES, otherwise wrapped (<see cref="Wrap"/>).
    /// </summary>
    public TranslationOutcome TranslateReceived(NdisPacket packet, ref TranslationCounts counts, out NetBufferList? nbl)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return packet.Status == NdisStatus.Resources ? Copy(packet, ref counts, out nbl) : Wrap(packet, ref counts, out nbl);
    }

    /// <summary>
    /// A wrapping NBL sent for a 5.x client completed: its status goes to the packet's OOB status and LSO v1
    /// bytes sent to the packet's TcpLargeSendPacketInfo; the NBL and its NET_BUFFER go back to the pool
    /// (the packet's buffers are not touched). Returns the packet, which now completes to the client.
    /// </summary>
    public NdisPacket CompleteSend(NetBufferList nbl, ref TranslationCounts counts)
    {
        var packet = Take(nbl) ?? throw TranslationThrow.NotBuiltHere(nbl, nameof(nbl));
        packet.Status = nbl.Status;
        var lso = nbl.Info.LargeSend;
        if (packet.Extension.TcpLargeSend != 0 && lso.Type == LargeSendOffloadInfo.V1Type)
            packet.Extension.TcpLargeSend = (uint)lso.TcpPayload;
        Release(nbl, ref counts);
        return packet;
    }

    /// <summary>
    /// A received NBL came back (NdisReturnNetBufferLists): the NBL and its NET_BUFFER go back to their pool
    /// without touching the packet's buffers. Returns the wrapped packet, which now goes back to the 5.x
    /// miniport (MiniportReturnPacket), or null for a resources copy (whose packet went back at indication).
    /// </summary>
    public NdisPacket? Return(NetBufferList nbl, ref TranslationCounts counts)
    {
        ArgumentNullException.ThrowIfNull(nbl);
        if (!_copy.Owns(nbl) && !_wrap.Owns(nbl))
            throw TranslationThrow.NotBuiltHere(nbl, nameof(nbl));
        var packet = Take(nbl);
        Release(nbl, ref counts);
        return packet;
    }

    /// <summary>Frees the translator's pools; returns how many NBLs were still outstanding (leaks).</summary>
    public int FreePools() => _wrap.FreePool() + _copy.FreePool();

    private NdisPacket? Take(NetBufferList nbl)
    {
        ArgumentNullException.ThrowIfNull(nbl);
        if (!_wrap.Owns(nbl))
            return null;
        var packet = _packetOf[nbl.PoolIndex];
        _packetOf[nbl.PoolIndex] = null;
        return packet;
    }

    private static void Release(NetBufferList nbl, ref TranslationCounts counts)
    {
        // The NET_BUFFER only pointed at the packet's buffers: unhook them before the free so nothing of
        // the packet is reset or freed with the NBL.
        var nb = nbl.FirstNetBuffer;
        if (nb is not null && nbl.Pool!.Parameters.DataSize == 0)
            nb.Initialize(null, 0, 0);
        nbl.Pool!.FreeNetBufferList(nbl);
        counts.PacketsCompleted++;
    }

    private static int ChainLength(NdisPacket packet)
    {
        long total = 0;
        for (var buffer = packet.FirstBuffer; buffer is not null; buffer = buffer.Next)
            total += buffer.ByteCount;
        return (int)Math.Min(total, int.MaxValue);
    }

    private static TranslationOutcome OutOfResources(ref TranslationCounts counts, TranslationFailure cause)
    {
        counts.OutOfResources++;
        counts.AddFailure(cause);
        return TranslationOutcome.OutOfResources;
    }

    private static TranslationOutcome Reject(ref TranslationCounts counts, TranslationFailure cause)
    {
        counts.CannotTranslate++;
        counts.AddFailure(cause);
        return TranslationOutcome.CannotTranslate;
    }
}
