using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore;

/// <summary>
/// The NDIS 6 DDI facade for porting: each method is the DDI without its <c>Ndis</c> prefix, with the
/// DDI's parameter order and <c>out</c> for output pointers, so <c>NdisRetreatNetBufferDataStart(nb, 14, 0, NULL)</c>
/// becomes <c>Ndis.RetreatNetBufferDataStart(nb, 14, 0, null)</c>. Macros that read fields are members of
/// the objects (<c>NET_BUFFER_DATA_LENGTH(nb)</c> → <c>nb.DataLength</c>); the README's porting table lists every one.
/// </summary>
public static partial class Ndis
{
    // ---- Handles, memory, MDLs -------------------------------------------------------------------

    /// <summary>NdisAllocateGenericObject: a handle to allocate pools with, judged by <paramref name="verifier"/> (strict by default).</summary>
    public static NdisHandle AllocateGenericObject(string name, NdisVerifier? verifier = null) => new(name, verifier);

    /// <summary>NdisAllocateMemoryWithTagPriority: pinned memory from the handle's pooled allocator; NULL (IsNull) when exhausted.</summary>
    public static NdisMemory AllocateMemoryWithTagPriority(NdisHandle ndisHandle, int length, uint tag, MmPagePriority priority)
    {
        ArgumentNullException.ThrowIfNull(ndisHandle);
        _ = tag;
        _ = priority;
        var block = ndisHandle.Memory.Allocate(length);
        if (block is null)
            return default;
        lock (s_blocks)
            s_blocks.Add(block.Memory.Address, block);
        return block.Memory.Slice(0, length);
    }

    /// <summary>NdisFreeMemoryWithTagPriority.</summary>
    public static void FreeMemoryWithTagPriority(NdisHandle ndisHandle, NdisMemory memory, uint tag)
    {
        ArgumentNullException.ThrowIfNull(ndisHandle);
        _ = tag;
        MemoryBlock? block;
        lock (s_blocks)
        {
            if (!s_blocks.Remove(memory.Address, out block))
                block = null;
        }
        if (block is null)
        {
            ndisHandle.Verifier.Report(VerifierRule.ForeignFree, $"{memory} was not allocated by NdisAllocateMemoryWithTagPriority (or was freed already)", memory);
            return;
        }
        ndisHandle.Memory.Free(block);
    }

    private static readonly Dictionary<nint, MemoryBlock> s_blocks = [];

    /// <summary>NdisAllocateMdl: an MDL over <paramref name="length"/> bytes at <paramref name="virtualAddress"/>; null on failure.</summary>
    public static Mdl? AllocateMdl(NdisHandle ndisHandle, NdisMemory virtualAddress, int length)
    {
        ArgumentNullException.ThrowIfNull(ndisHandle);
        return ndisHandle.Mdls.Allocate(virtualAddress.Slice(0, length));
    }

    /// <summary>NdisFreeMdl: frees an MDL from NdisAllocateMdl (any other MDL is a verifier finding).</summary>
    public static void FreeMdl(Mdl mdl)
    {
        ArgumentNullException.ThrowIfNull(mdl);
        if (mdl.Origin != MdlOrigin.AllocateMdl || mdl.OwningPool is not MdlPool pool)
        {
            var verifier = (mdl.OwningPool as MdlPool)?.Verifier ?? (mdl.OwningPool as NetBufferListPool)?.Verifier
                ?? (mdl.OwningPool as NetBufferPool)?.Verifier;
            verifier?.Report(VerifierRule.ForeignFree, $"{mdl} was built by {mdl.Origin}, not NdisAllocateMdl; NdisFreeMdl may not free it", mdl);
            return;
        }
        pool.Free(mdl);
    }

    /// <summary>NdisQueryMdl: the mapped bytes (empty = NULL) and ByteCount.</summary>
    public static void QueryMdl(Mdl mdl, out Span<byte> virtualAddress, out int length, MmPagePriority priority)
    {
        ArgumentNullException.ThrowIfNull(mdl);
        _ = priority;
        virtualAddress = mdl.Span;
        length = mdl.ByteCount;
    }

    /// <summary>NdisQueryMdlOffset: ByteOffset (offset in the first page) and ByteCount.</summary>
    public static void QueryMdlOffset(Mdl mdl, out int offset, out int length)
    {
        ArgumentNullException.ThrowIfNull(mdl);
        offset = mdl.ByteOffset;
        length = mdl.ByteCount;
    }

    /// <summary>NdisGetNextMdl.</summary>
    public static void GetNextMdl(Mdl currentMdl, out Mdl? nextMdl)
    {
        ArgumentNullException.ThrowIfNull(currentMdl);
        nextMdl = currentMdl.Next;
    }

    /// <summary>NdisAdjustMdlLength: sets ByteCount, never past the original length.</summary>
    public static void AdjustMdlLength(Mdl mdl, int length)
    {
        ArgumentNullException.ThrowIfNull(mdl);
        mdl.AdjustLength(length);
    }

    /// <summary>NdisGetMdlPhysicalArraySize: pages the MDL spans (NDIS_MDL_TO_SPAN_PAGES).</summary>
    public static void GetMdlPhysicalArraySize(Mdl mdl, out int arraySize)
    {
        ArgumentNullException.ThrowIfNull(mdl);
        arraySize = mdl.SpanPages;
    }

    // ---- Pools ------------------------------------------------------------------------------------

    /// <summary>NdisAllocateNetBufferListPool.</summary>
    public static NetBufferListPool AllocateNetBufferListPool(NdisHandle ndisHandle, in NetBufferListPoolParameters parameters) =>
        new(ndisHandle, parameters);

    /// <summary>NdisFreeNetBufferListPool: NBLs still outstanding are reported as a leak.</summary>
    public static void FreeNetBufferListPool(NetBufferListPool poolHandle)
    {
        ArgumentNullException.ThrowIfNull(poolHandle);
        poolHandle.FreePool();
    }

    /// <summary>NdisAllocateNetBufferPool.</summary>
    public static NetBufferPool AllocateNetBufferPool(NdisHandle ndisHandle, in NetBufferPoolParameters parameters) =>
        new(ndisHandle, parameters);

    /// <summary>NdisFreeNetBufferPool: NBs still outstanding are reported as a leak.</summary>
    public static void FreeNetBufferPool(NetBufferPool poolHandle)
    {
        ArgumentNullException.ThrowIfNull(poolHandle);
        poolHandle.FreePool();
    }

    // ---- NBL and NB allocation ---------------------------------------------------------------------

    /// <summary>NdisAllocateNetBufferList: null when the pool is exhausted.</summary>
    public static NetBufferList? AllocateNetBufferList(NetBufferListPool poolHandle, int contextSize, int contextBackFill)
    {
        ArgumentNullException.ThrowIfNull(poolHandle);
        return poolHandle.AllocateNetBufferList(contextSize, contextBackFill);
    }

    /// <summary>NdisAllocateNetBufferAndNetBufferList.</summary>
    public static NetBufferList? AllocateNetBufferAndNetBufferList(NetBufferListPool poolHandle, int contextSize, int contextBackFill,
        Mdl? mdlChain, int dataOffset, int dataLength)
    {
        ArgumentNullException.ThrowIfNull(poolHandle);
        return poolHandle.AllocateNetBufferAndNetBufferList(contextSize, contextBackFill, mdlChain, dataOffset, dataLength);
    }

    /// <summary>NdisFreeNetBufferList.</summary>
    public static void FreeNetBufferList(NetBufferList netBufferList)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        if (netBufferList.OwningPool is not NetBufferListPool pool)
            throw new ArgumentException($"{netBufferList} did not come from an NBL pool.", nameof(netBufferList));
        pool.FreeNetBufferList(netBufferList);
    }

    /// <summary>NdisAllocateNetBuffer.</summary>
    public static NetBuffer? AllocateNetBuffer(NetBufferPool poolHandle, Mdl? mdlChain, int dataOffset, int dataLength)
    {
        ArgumentNullException.ThrowIfNull(poolHandle);
        return poolHandle.AllocateNetBuffer(mdlChain, dataOffset, dataLength);
    }

    /// <summary>NdisAllocateNetBufferMdlAndData.</summary>
    public static NetBuffer? AllocateNetBufferMdlAndData(NetBufferPool poolHandle)
    {
        ArgumentNullException.ThrowIfNull(poolHandle);
        return poolHandle.AllocateNetBufferMdlAndData();
    }

    /// <summary>NdisFreeNetBuffer (an NB pre-allocated with an NBL is refused: it goes with its NBL).</summary>
    public static void FreeNetBuffer(NetBuffer netBuffer)
    {
        ArgumentNullException.ThrowIfNull(netBuffer);
        switch (netBuffer.OwningPool)
        {
            case NetBufferPool pool:
                pool.FreeNetBuffer(netBuffer);
                break;
            case NetBufferListPool when netBuffer.PreallocatedIn is not null:
                netBuffer.Verifier.Report(VerifierRule.ForeignFree,
                    $"{netBuffer} was pre-allocated with {netBuffer.PreallocatedIn}; free it with NdisFreeNetBufferList", netBuffer);
                break;
            default:
                throw new ArgumentException($"{netBuffer} did not come from an NB pool.", nameof(netBuffer));
        }
    }

    /// <summary>NdisGetPoolFromNetBufferList.</summary>
    public static NetBufferListPool? GetPoolFromNetBufferList(NetBufferList netBufferList)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        return netBufferList.Pool;
    }

    /// <summary>NdisGetPoolFromNetBuffer: the NB pool, or (model choice) the NBL pool of a pre-allocated NB.</summary>
    public static object? GetPoolFromNetBuffer(NetBuffer netBuffer)
    {
        ArgumentNullException.ThrowIfNull(netBuffer);
        return netBuffer.PoolHandle;
    }

    // ---- Data space ---------------------------------------------------------------------------------

    /// <summary>NdisRetreatNetBufferDataStart.</summary>
    public static NdisStatus RetreatNetBufferDataStart(NetBuffer netBuffer, int dataOffsetDelta, int dataBackFill,
        NetBufferAllocateMdlHandler? allocateMdlHandler)
    {
        ArgumentNullException.ThrowIfNull(netBuffer);
        return netBuffer.Retreat(dataOffsetDelta, dataBackFill, allocateMdlHandler);
    }

    /// <summary>NdisAdvanceNetBufferDataStart.</summary>
    public static void AdvanceNetBufferDataStart(NetBuffer netBuffer, int dataOffsetDelta, bool freeMdl, NetBufferFreeMdlHandler? freeMdlHandler)
    {
        ArgumentNullException.ThrowIfNull(netBuffer);
        netBuffer.Advance(dataOffsetDelta, freeMdl, freeMdlHandler);
    }

    /// <summary>
    /// NdisRetreatNetBufferListDataStart: retreats every NB. Model choice (its page does not say;
    /// docs/model-choices.md): when one
    /// NB fails, the NBs already retreated are advanced back (freeing what they allocated), so the NBL is
    /// left as it was, and the failure status is returned.
    /// </summary>
    public static NdisStatus RetreatNetBufferListDataStart(NetBufferList netBufferList, int dataOffsetDelta, int dataBackFill,
        NetBufferAllocateMdlHandler? allocateMdlHandler, NetBufferFreeMdlHandler? freeMdlHandler)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        for (var nb = netBufferList.FirstNetBuffer; nb is not null; nb = nb.Next)
        {
            var status = nb.Retreat(dataOffsetDelta, dataBackFill, allocateMdlHandler);
            if (status == NdisStatus.Success)
                continue;
            for (var done = netBufferList.FirstNetBuffer; !ReferenceEquals(done, nb); done = done!.Next)
                done!.Advance(dataOffsetDelta, freeMdl: true, freeMdlHandler);
            return status;
        }
        return NdisStatus.Success;
    }

    /// <summary>NdisAdvanceNetBufferListDataStart: advances every NB.</summary>
    public static void AdvanceNetBufferListDataStart(NetBufferList netBufferList, int dataOffsetDelta, bool freeMdl, NetBufferFreeMdlHandler? freeMdlHandler)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        for (var nb = netBufferList.FirstNetBuffer; nb is not null; nb = nb.Next)
            nb.Advance(dataOffsetDelta, freeMdl, freeMdlHandler);
    }

    /// <summary>NdisGetDataBuffer: a direct view, a copy into <paramref name="storage"/>, or empty for NULL.</summary>
    public static Span<byte> GetDataBuffer(NetBuffer netBuffer, int bytesNeeded, Span<byte> storage, int alignMultiple, int alignOffset)
    {
        ArgumentNullException.ThrowIfNull(netBuffer);
        return netBuffer.GetDataBuffer(bytesNeeded, storage, alignMultiple, alignOffset);
    }

    /// <summary>NdisCopyFromNetBufferToNetBuffer.</summary>
    public static NdisStatus CopyFromNetBufferToNetBuffer(NetBuffer destination, int destinationOffset, int bytesToCopy,
        NetBuffer source, int sourceOffset, out int bytesCopied) =>
        NetBufferOperations.CopyFromNetBufferToNetBuffer(destination, destinationOffset, bytesToCopy, source, sourceOffset, out bytesCopied);

    /// <summary>NdisQueryNetBufferPhysicalCount.</summary>
    public static int QueryNetBufferPhysicalCount(NetBuffer netBuffer)
    {
        ArgumentNullException.ThrowIfNull(netBuffer);
        return netBuffer.QueryPhysicalCount();
    }

    /// <summary>NdisAdjustNetBufferCurrentMdl: recomputes CurrentMdl/CurrentMdlOffset from DataOffset.</summary>
    public static NdisStatus AdjustNetBufferCurrentMdl(NetBuffer netBuffer)
    {
        ArgumentNullException.ThrowIfNull(netBuffer);
        netBuffer.SetCurrentFromDataOffset();
        return NdisStatus.Success;
    }

    // ---- Context and info ---------------------------------------------------------------------------

    /// <summary>NdisAllocateNetBufferListContext.</summary>
    public static NdisStatus AllocateNetBufferListContext(NetBufferList netBufferList, int contextSize, int contextBackFill, uint poolTag)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        _ = poolTag;
        return netBufferList.AllocateContext(contextSize, contextBackFill);
    }

    /// <summary>NdisFreeNetBufferListContext.</summary>
    public static void FreeNetBufferListContext(NetBufferList netBufferList, int contextSize)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        netBufferList.FreeContext(contextSize);
    }

    /// <summary>NdisCopySendNetBufferListInfo.</summary>
    public static void CopySendNetBufferListInfo(NetBufferList destinationNetBufferList, NetBufferList sourceNetBufferList) =>
        NetBufferOperations.CopySendNetBufferListInfo(destinationNetBufferList, sourceNetBufferList);

    /// <summary>NdisCopyReceiveNetBufferListInfo.</summary>
    public static void CopyReceiveNetBufferListInfo(NetBufferList destinationNetBufferList, NetBufferList sourceNetBufferList) =>
        NetBufferOperations.CopyReceiveNetBufferListInfo(destinationNetBufferList, sourceNetBufferList);

    /// <summary>NdisGeneratePartialCancelId.</summary>
    public static byte GeneratePartialCancelId() => CancelIdGenerator.GeneratePartialCancelId();

    /// <summary>NdisSetNetBufferListProtocolId.</summary>
    public static void SetNetBufferListProtocolId(NetBufferList netBufferList, byte protocolId)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        netBufferList.Info.ProtocolId = protocolId;
    }

    /// <summary>NdisGetNetBufferListProtocolId.</summary>
    public static byte GetNetBufferListProtocolId(NetBufferList netBufferList)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        return netBufferList.Info.ProtocolId;
    }

    /// <summary>NdisTestNblFlag.</summary>
    public static bool TestNblFlag(NetBufferList netBufferList, NblFlags flag)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        return (netBufferList.NblFlags & flag) != 0;
    }

    /// <summary>NdisSetNblFlag.</summary>
    public static void SetNblFlag(NetBufferList netBufferList, NblFlags flag)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        netBufferList.NblFlags |= flag;
    }

    /// <summary>NdisClearNblFlag.</summary>
    public static void ClearNblFlag(NetBufferList netBufferList, NblFlags flag)
    {
        ArgumentNullException.ThrowIfNull(netBufferList);
        netBufferList.NblFlags &= ~flag;
    }

    // ---- Derived NBLs -------------------------------------------------------------------------------

    /// <summary>NdisAllocateCloneNetBufferList: null on failure; null pools mean NDIS's internal pools.</summary>
    public static NetBufferList? AllocateCloneNetBufferList(NetBufferList originalNetBufferList, NetBufferListPool? netBufferListPoolHandle,
        NetBufferPool? netBufferPoolHandle, uint allocateCloneFlags) =>
        Derivation.Clone(originalNetBufferList, netBufferListPoolHandle, netBufferPoolHandle, allocateCloneFlags);

    /// <summary>NdisFreeCloneNetBufferList: the flags must equal the allocation's.</summary>
    public static void FreeCloneNetBufferList(NetBufferList cloneNetBufferList, uint freeCloneFlags) =>
        Derivation.FreeClone(cloneNetBufferList, freeCloneFlags);

    /// <summary>NdisAllocateFragmentNetBufferList.</summary>
    public static NetBufferList? AllocateFragmentNetBufferList(NetBufferList originalNetBufferList, NetBufferListPool? netBufferListPool,
        NetBufferPool? netBufferPool, int startOffset, int maximumLength, int dataOffsetDelta, int dataBackFill, uint allocateFragmentFlags)
    {
        _ = allocateFragmentFlags;
        return Derivation.Fragment(originalNetBufferList, netBufferListPool, netBufferPool, startOffset, maximumLength, dataOffsetDelta, dataBackFill);
    }

    /// <summary>NdisFreeFragmentNetBufferList: advances each fragment by the allocation's delta, then frees.</summary>
    public static void FreeFragmentNetBufferList(NetBufferList fragmentNetBufferList, int dataOffsetDelta, uint freeFragmentFlags)
    {
        _ = freeFragmentFlags;
        Derivation.FreeFragment(fragmentNetBufferList, dataOffsetDelta);
    }

    /// <summary>NdisAllocateReassembledNetBufferList.</summary>
    public static NetBufferList? AllocateReassembledNetBufferList(NetBufferList fragmentNetBufferList, NetBufferListPool? netBufferAndNetBufferListPoolHandle,
        int startOffset, int dataOffsetDelta, int dataBackFill, uint allocateReassembleFlags)
    {
        _ = allocateReassembleFlags;
        return Derivation.Reassemble(fragmentNetBufferList, netBufferAndNetBufferListPoolHandle, startOffset, dataOffsetDelta, dataBackFill);
    }

    /// <summary>NdisFreeReassembledNetBufferList.</summary>
    public static void FreeReassembledNetBufferList(NetBufferList reassembledNetBufferList, int dataOffsetDelta, uint freeReassembleFlags)
    {
        _ = freeReassembleFlags;
        Derivation.FreeReassembled(reassembledNetBufferList, dataOffsetDelta);
    }
}
