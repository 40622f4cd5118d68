using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Translation;

/// <summary>
/// NET_BUFFER_LIST → NDIS_PACKET (the model's conversion, docs/model-choices.md; NET_BUFFER Data Packaging says
/// only that NDIS converts): one packet per NET_BUFFER, NET_BUFFERs in order, NBLs in
/// chain order, for a send to a 5.x miniport or a receive indicated to a 5.x client. Each step
/// (<see cref="TranslateNext"/>) is pure with respect to the translator: it takes descriptors from pools,
/// moves the caller's cursor and reports one <see cref="TranslationOutcome"/>; it never calls a driver.
/// The packet's buffer chain describes exactly the NET_BUFFER's used data and no data is copied (unless
/// <see cref="TranslatorOptions.MaxBuffersPerPacket"/> forces a bounce).
/// <para>What the translation layer keeps in a packet it built, all in areas that belong to NDIS (the role
/// it plays), never in MiniportReserved(Ex) or ProtocolReserved: the NBL in the per-packet
/// OriginalNetBufferList slot (the Vista+ ndis.h slot whose name suggests exactly this; it has no public
/// description); the NBL's
/// completion record, for an NBL of several NBs, in WrapperReservedEx[0] (NDIS's part of the reserved union for
/// deserialized and CoNDIS miniports, NDIS_PACKET structure (NDIS 5.1 reference) — WrapperReserved proper overlaps
/// MiniportReservedEx[2]; empty for an NBL of one NB, whose one packet needs no record);
/// the number of MDLs it
/// built at the head of the chain in the value of the NdisReserved per-packet slot.</para>
/// <para>Threads: one cursor is stepped by one thread at a time; <see cref="CompletePacket"/> and the
/// receive-reference calls may run on any thread, concurrently with steps and with each other.</para>
/// </summary>
public sealed class NblToPacketTranslator
{
    private readonly NdisHandle _handle;
    private readonly NdisPacketPool _packets;
    private readonly MdlPool _mdls;
    private readonly NblCompletionPool _completions;

    /// <summary>Creates the translator and its pools on <paramref name="handle"/>.</summary>
    public NblToPacketTranslator(NdisHandle handle, TranslatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Options = options ?? TranslatorOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.Capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxBuffersPerPacket, 1);
        _handle = handle;
        Ndis5.AllocatePacketPoolEx(out var status, out var packets, (uint)Options.Capacity, 0, (uint)Options.ProtocolReservedLength, handle);
        if (status != NdisStatus.Success || packets is null)
            throw new ArgumentException($"A packet pool of {Options.Capacity} descriptors cannot be created ({status}).", nameof(options));
        _packets = packets;
        _mdls = new MdlPool(handle, Options.MdlCapacity, $"{handle.Name} translation MDLs") { Owner = this };
        _completions = new NblCompletionPool(handle, Options.Capacity, $"{handle.Name} NBL completions");
    }

    /// <summary>The options the translator was created with.</summary>
    public TranslatorOptions Options { get; }

    /// <summary>The pool the packets come from.</summary>
    public NdisPacketPool PacketPool => _packets;

    /// <summary>The pool partial (and bounce) MDLs come from.</summary>
    public MdlPool MdlPool => _mdls;

    /// <summary>Counters of the per-NBL completion record pool.</summary>
    public PoolCounters CompletionCounters => _completions.Counters;

    /// <summary>True when no packet, MDL or completion record of this translator is outstanding.</summary>
    public bool IsIdle => _packets.Usage == 0 && _mdls.Counters.Outstanding == 0 && _completions.Counters.Outstanding == 0;

    /// <summary>The NBL a packet built by a translator belongs to (the OriginalNetBufferList slot), or null.</summary>
    public static NetBufferList? NetBufferListOf(NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return packet.Extension.OriginalNetBufferList as NetBufferList;
    }

    /// <summary>True when this translator built <paramref name="packet"/> (and has not freed it).</summary>
    public bool Built(NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return _packets.Owns(packet) && packet.IsAllocated && packet.Extension.OriginalNetBufferList is NetBufferList;
    }

    /// <summary>
    /// Translates the NET_BUFFER at the cursor. On <see cref="TranslationOutcome.Success"/> or
    /// <see cref="TranslationOutcome.BounceRequired"/> <paramref name="packet"/> is the packet to hand
    /// down and the cursor has moved on; on <see cref="TranslationOutcome.OutOfResources"/> nothing moved
    /// (retry later); on <see cref="TranslationOutcome.CannotTranslate"/> the NET_BUFFER was dropped, its
    /// NBL will complete with a failure status, and the cursor has moved on. An NBL whose
    /// last NET_BUFFER is rejected, and whose packets all completed already (or none could be built), completes
    /// into <paramref name="completed"/>.
    /// </summary>
    public TranslationOutcome TranslateNext(ref NblToPacketCursor cursor, NetBufferListQueue completed, ref TranslationCounts counts, out NdisPacket? packet)
    {
        ArgumentNullException.ThrowIfNull(completed);
        packet = null;
        var nbl = cursor.Nbl ?? throw TranslationThrow.CursorAtEnd();
        var completion = cursor.Completion;
        if (completion is null)
        {
            if (nbl.FirstNetBuffer?.Next is null)
            {
                // One NET_BUFFER (the common case, and every receive): its packet is the whole NBL, so the packet
                // itself carries the status and LSO bytes and no completion record is needed.
                completion = NblCompletion.Single;
            }
            else
            {
                completion = _completions.Allocate();
                if (completion is null)
                    return OutOfResources(ref counts, TranslationFailure.CompletionPoolEmpty);
                // The count starts at the NBL's NB count: each NB gives back one reference, when its packet
                // completes or when it is rejected, so the NBL cannot complete while it is still being split
                // (or while a step waits for resources), and no reference is taken per packet.
                completion.Begin(InfoMapping.HasLargeSendV1(nbl), nbl.NetBufferCount);
            }
            cursor.Completion = completion;
        }

        var nb = cursor.Nb;
        if (nb is null)
            return Reject(ref cursor, TranslationFailure.EmptyNetBufferList, NdisStatus.InvalidPacket, completed, ref counts);
        if (InfoMapping.HasUnsupportedOffload(nbl))
            return Reject(ref cursor, TranslationFailure.UnsupportedOffload, NdisStatus.NotSupported, completed, ref counts);
        int length = nb.DataLength;
        if (length == 0)
            return Reject(ref cursor, TranslationFailure.EmptyNetBuffer, NdisStatus.InvalidLength, completed, ref counts);
        if (!Measure(nb, out var start, out var shareFrom, out int prefixLength, out int buffers))
            return Reject(ref cursor, TranslationFailure.InvalidNetBuffer, NdisStatus.InvalidPacket, completed, ref counts);

        Ndis5.AllocatePacket(out _, out var built, _packets);
        if (built is null)
            return OutOfResources(ref counts, TranslationFailure.PacketPoolEmpty);

        Mdl? head;
        int ours;
        var outcome = TranslationOutcome.Success;
        if (buffers > Options.MaxBuffersPerPacket)
        {
            head = _mdls.AllocateWithMemory(_handle.Memory, length, MdlOrigin.Translation);
            if (head is null)
            {
                Ndis5.FreePacket(built);
                return OutOfResources(ref counts, TranslationFailure.BounceMemoryEmpty);
            }
            nb.CopyUsedDataTo(0, head.Span);
            CopyCounters.Count(length);
            counts.BounceCopies++;
            counts.BytesCopied += length;
            ours = 1;
            outcome = TranslationOutcome.BounceRequired;
        }
        else if (!Describe(start, prefixLength, shareFrom, out head, out ours))
        {
            Ndis5.FreePacket(built);
            return OutOfResources(ref counts, TranslationFailure.MdlPoolEmpty);
        }
        else
        {
            counts.PartialMdls += ours;
            counts.SharedMdls += buffers - ours;
        }

        Ndis5.ChainBufferAtBack(built, head!);
        built.Extension[NdisPerPacketInfo.NdisReserved] = ours;
        built.Extension.OriginalNetBufferList = nbl;
        if (!ReferenceEquals(completion, NblCompletion.Single))
            built.WrapperReservedEx[0] = completion; // one NB: the packet is the whole NBL, no record to find
        InfoMapping.ToPacket(nbl, built, Options.DefaultHeaderSize);
        counts.PacketsBuilt++;
        Advance(ref cursor);
        packet = built;
        return outcome;
    }

    /// <summary>
    /// A translated packet completed (NdisMCoSendComplete) with <paramref name="status"/>, or the adapter
    /// gives back one it could not hand down. The packet and the MDLs built for it go back to their pools;
    /// the first failure is kept for the NBL; LSO v1 bytes sent are added up. When this was the NBL's last
    /// outstanding piece, the NBL gets its status (first failure, else success) and is appended to
    /// <paramref name="completed"/>, exactly once; returns true then.
    /// </summary>
    public bool CompletePacket(NdisPacket packet, NdisStatus status, NetBufferListQueue completed, ref TranslationCounts counts)
    {
        ArgumentNullException.ThrowIfNull(completed);
        var nbl = CompletePacket(packet, status, ref counts);
        if (nbl is null)
            return false;
        completed.Enqueue(nbl);
        return true;
    }

    /// <summary>
    /// <see cref="CompletePacket(NdisPacket, NdisStatus, NetBufferListQueue, ref TranslationCounts)"/> for a
    /// completion that stands alone: returns the NBL when this packet was its last piece, else null.
    /// </summary>
    public NetBufferList? CompletePacket(NdisPacket packet, NdisStatus status, ref TranslationCounts counts)
    {
        var completion = CompletionOf(packet);
        var nbl = OwnerOf(packet);
        if (ReferenceEquals(completion, NblCompletion.Single))
        {
            uint sent = packet.Extension.TcpLargeSend;
            FreePacket(packet, ref counts);
            return FinishSingle(nbl, status, sent, ref counts);
        }
        completion.RecordStatus(status);
        if (completion.LargeSend)
            completion.AddLargeSendBytes(packet.Extension.TcpLargeSend);
        FreePacket(packet, ref counts);
        return completion.Release(1) ? Finish(nbl, completion, ref counts) : null;
    }

    /// <summary>
    /// Gives up on the rest of the cursor's chain (a call closing, a pool that stays dry): every NET_BUFFER
    /// not yet translated is dropped with <paramref name="status"/>. NBLs not started complete at once;
    /// the NBL being split completes when its packets already handed down have. The cursor ends at the end.
    /// </summary>
    public void AbortRemaining(ref NblToPacketCursor cursor, NdisStatus status, NetBufferListQueue completed, ref TranslationCounts counts)
    {
        ArgumentNullException.ThrowIfNull(completed);
        var completion = cursor.Completion;
        var nbl = cursor.Nbl;
        if (completion is not null && nbl is not null)
        {
            var split = nbl;
            nbl = nbl.Next;
            if (ReferenceEquals(completion, NblCompletion.Single))
            {
                completed.Enqueue(FinishSingle(split, status, 0, ref counts));
            }
            else
            {
                // The NBs not yet translated give back their references at once.
                int remaining = 0;
                for (var nb = cursor.Nb; nb is not null; nb = nb.Next)
                    remaining++;
                completion.RecordStatus(status);
                if (completion.Release(remaining))
                    completed.Enqueue(Finish(split, completion, ref counts));
            }
            cursor.Completion = null;
        }
        while (nbl is not null)
        {
            var next = nbl.Next;
            nbl.Status = status;
            completed.Enqueue(nbl);
            counts.NetBufferListsCompleted++;
            nbl = next;
        }
        cursor = default;
    }

    /// <summary>
    /// One NdisReturnPackets reference of a translated receive packet. True when it was the last: the packet
    /// is freed and the NBL is in <paramref name="returned"/>.
    /// </summary>
    public bool ReturnPacket(NdisPacket packet, NetBufferListQueue returned, ref TranslationCounts counts)
    {
        ArgumentNullException.ThrowIfNull(returned);
        var nbl = ReturnPacket(packet, ref counts);
        if (nbl is null)
            return false;
        returned.Enqueue(nbl);
        return true;
    }

    /// <summary>The same for a return that stands alone: the NBL when this was its last reference, else null.</summary>
    public NetBufferList? ReturnPacket(NdisPacket packet, ref TranslationCounts counts)
    {
        var completion = CompletionOf(packet);
        var nbl = OwnerOf(packet);
        if (ReferenceEquals(completion, NblCompletion.Single))
        {
            FreePacket(packet, ref counts);
            return FinishSingle(nbl, NdisStatus.Success, 0, ref counts);
        }
        FreePacket(packet, ref counts);
        return completion.Release(1) ? Finish(nbl, completion, ref counts) : null;
    }

    /// <summary>Frees the translator's pools (NdisFree…Pool); returns how many objects were still outstanding (leaks).</summary>
    public int FreePools()
    {
        int leaks = _packets.Usage + _completions.Counters.Outstanding + _mdls.Counters.Outstanding;
        Ndis5.FreePacketPool(_packets);
        _mdls.FreePool();
        _completions.FreePool();
        return leaks;
    }

    /// <summary>
    /// Finds where the used data starts and ends and how the packet chain can describe it.
    /// <para>NDIS_BUFFERs are chained through MDL.Next, so an original MDL put into the packet's chain brings
    /// everything after it along. An original can therefore be shared only as part of a suffix that runs to
    /// the end of the NET_BUFFER's chain with the used data ending exactly there (only empty MDLs after it): sharing a middle MDL would
    /// make its Next lead past a trimmed tail into bytes that are not the packet's (and into MDLs nobody may
    /// relink). So when the data ends at the chain's end, the MDLs from the first one whose data starts at its
    /// offset 0 are shared and only a leading partial is built (none when CurrentMdlOffset is 0); otherwise every
    /// MDL holding used data is described by a partial MDL (MdlOrigin.Translation). Zero-length MDLs inside a
    /// shared suffix stay; between partials they are skipped.</para>
    /// </summary>
    private static bool Measure(NetBuffer nb, out MdlPosition start, out Mdl? shareFrom, out int prefixLength, out int buffers)
    {
        shareFrom = null;
        buffers = 0;
        prefixLength = nb.DataLength;
        start = new MdlPosition(nb.CurrentMdl, nb.CurrentMdlOffset).Canonical();
        var mdl = start.Mdl;
        int offset = start.Offset;
        if (mdl is null || offset < 0 || offset > mdl.ByteCount)
            return false;
        int remaining = nb.DataLength;
        int pieces = 0;
        int visited = 0;
        while (true)
        {
            if (mdl is null)
                return false;
            visited++;
            int available = mdl.ByteCount - offset;
            if (available >= remaining)
            {
                pieces++;
                int trailingEmpty = available == remaining ? TrailingEmpty(mdl.Next) : -1;
                if (trailingEmpty >= 0)
                {
                    shareFrom = start.Offset == 0 ? start.Mdl : start.Mdl!.Next;
                    prefixLength = start.Offset == 0 ? 0 : start.Mdl!.ByteCount - start.Offset;
                    buffers = visited + trailingEmpty;
                }
                else
                {
                    buffers = pieces;
                }
                return true;
            }
            if (available > 0)
            {
                pieces++;
                remaining -= available;
            }
            mdl = mdl.Next;
            offset = 0;
        }
    }

    /// <summary>The number of MDLs after <paramref name="mdl"/> when all are empty (the data then ends at the chain's end), else -1.</summary>
    private static int TrailingEmpty(Mdl? mdl)
    {
        int count = 0;
        for (; mdl is not null; mdl = mdl.Next)
        {
            if (mdl.ByteCount != 0)
                return -1;
            count++;
        }
        return count;
    }

    /// <summary>
    /// Builds the partial MDLs for the <paramref name="prefixLength"/> bytes in front of the shared suffix (all of
    /// the data when nothing is shared) with <see cref="MdlChainBuilder"/>, and links the suffix behind them; false
    /// when the MDL pool ran dry (nothing is left allocated then).
    /// </summary>
    private bool Describe(MdlPosition start, int prefixLength, Mdl? shareFrom, out Mdl? head, out int built)
    {
        if (!MdlChainBuilder.TryDescribe(_mdls, start, prefixLength, MdlOrigin.Translation, out head, out var tail, out built))
            return false;
        if (shareFrom is not null)
        {
            if (tail is null)
                head = shareFrom;
            else
                tail.Next = shareFrom;
        }
        return true;
    }

    /// <summary>Returns the MDLs this translator built for the packet, and the packet, to their pools.</summary>
    private static void FreePacket(NdisPacket packet, ref TranslationCounts counts)
    {
        int ours = (int)packet.Extension[NdisPerPacketInfo.NdisReserved];
        MdlChainBuilder.FreeChain(packet.FirstBuffer, ours);
        Ndis5.ReinitializePacket(packet);
        Ndis5.FreePacket(packet);
        counts.PacketsCompleted++;
    }

    private NblCompletion CompletionOf(NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (!_packets.Owns(packet) || packet.Extension.OriginalNetBufferList is not NetBufferList)
            throw TranslationThrow.NotBuiltHere(packet, nameof(packet));
        return packet.WrapperReservedEx[0] as NblCompletion ?? NblCompletion.Single;
    }

    private static TranslationOutcome OutOfResources(ref TranslationCounts counts, TranslationFailure cause)
    {
        counts.OutOfResources++;
        counts.AddFailure(cause);
        return TranslationOutcome.OutOfResources;
    }

    private TranslationOutcome Reject(ref NblToPacketCursor cursor, TranslationFailure cause, NdisStatus status, NetBufferListQueue completed, ref TranslationCounts counts)
    {
        counts.CannotTranslate++;
        counts.AddFailure(cause);
        var completion = cursor.Completion!;
        var nbl = cursor.Nbl!;
        Advance(ref cursor); // before the NBL may finish: finishing unlinks it from the chain the cursor walks
        if (ReferenceEquals(completion, NblCompletion.Single))
        {
            completed.Enqueue(FinishSingle(nbl, status, 0, ref counts));
        }
        else
        {
            completion.RecordStatus(status);
            if (completion.Release(1))
                completed.Enqueue(Finish(nbl, completion, ref counts));
        }
        return TranslationOutcome.CannotTranslate;
    }

    /// <summary>Moves to the next NET_BUFFER; after an NBL's last one, to the next NBL.</summary>
    private static void Advance(ref NblToPacketCursor cursor)
    {
        var next = cursor.Nb?.Next;
        if (next is not null)
        {
            cursor.Nb = next;
            return;
        }
        var nextNbl = cursor.Nbl!.Next;
        cursor.Nbl = nextNbl;
        cursor.Nb = nextNbl?.FirstNetBuffer;
        cursor.Completion = null;
    }

    /// <summary>A one-NB NBL is done: the status (and LSO v1 bytes sent) of its one packet are its own.</summary>
    private static NetBufferList FinishSingle(NetBufferList nbl, NdisStatus status, uint largeSendBytes, ref TranslationCounts counts)
    {
        nbl.Next = null;
        nbl.Status = status;
        if (largeSendBytes != 0 && InfoMapping.HasLargeSendV1(nbl))
        {
            var lso = nbl.Info.LargeSend;
            lso.TcpPayload = (int)Math.Min(largeSendBytes, (1u << 30) - 1);
            nbl.Info.LargeSend = lso;
        }
        counts.NetBufferListsCompleted++;
        return nbl;
    }

    /// <summary>The NBL's last reference went: it gets its status (and LSO v1 bytes sent) and is finished, once.</summary>
    private NetBufferList Finish(NetBufferList nbl, NblCompletion completion, ref TranslationCounts counts)
    {
        nbl.Next = null; // it leaves the chain it came in: from here on it travels alone or in the caller's queue
        nbl.Status = completion.FinalStatus;
        if (completion.LargeSend)
        {
            var lso = nbl.Info.LargeSend;
            lso.TcpPayload = (int)Math.Min(completion.LargeSendBytes, (1 << 30) - 1);
            nbl.Info.LargeSend = lso;
        }
        _completions.Free(completion);
        counts.NetBufferListsCompleted++;
        return nbl;
    }

    /// <summary>The NBL a packet of this translator stands for (its OriginalNetBufferList slot).</summary>
    private static NetBufferList OwnerOf(NdisPacket packet) => (NetBufferList)packet.Extension.OriginalNetBufferList!;
}
