using CoNdis.NetBufferCore.Info;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore;

/// <summary>
/// NET_BUFFER_LIST: a list of NET_BUFFERs that share out-of-band information, plus the link to the next
/// NBL of a chain. Reserved areas belong to one role each: <see cref="ProtocolReserved"/> to the protocol,
/// <see cref="MiniportReserved"/> to the miniport; <see cref="Scratch"/> to whoever owns the NBL now.
/// </summary>
public sealed class NetBufferList : NdisPoolObject, ILinked<NetBufferList>
{
    /// <summary>Slots of NET_BUFFER_LIST.ProtocolReserved.</summary>
    public const int ProtocolReservedSlots = 4;
    /// <summary>Slots of NET_BUFFER_LIST.MiniportReserved.</summary>
    public const int MiniportReservedSlots = 2;

    private int[] _contextStack = [];
    private int _contextDepth;

    internal NetBufferList(NdisHandle handle) => Handle = handle;

    /// <summary>The next NBL of the chain (NET_BUFFER_LIST_NEXT_NBL); the current owner may relink it.</summary>
    public NetBufferList? Next { get; set; }

    /// <summary>First NB (NET_BUFFER_LIST_FIRST_NB).</summary>
    public NetBuffer? FirstNetBuffer { get; set; }

    /// <summary>The context chain (NET_BUFFER_LIST.Context), or null.</summary>
    public NetBufferListContext? Context { get; internal set; }

    /// <summary>Parent of a derived NBL; set and kept by the driver that derived it (NDIS never touches it:
    /// Relationships Between NET_BUFFER_LIST Generations; docs/model-choices.md).</summary>
    public NetBufferList? ParentNetBufferList { get; set; }

    /// <summary>Outstanding children of a parent; maintained by the driver that derived them.</summary>
    public int ChildRefCount { get; set; }

    /// <summary>NDIS's routing key to return the NBL to its sender; drivers must not read another driver's value.</summary>
    public object? SourceHandle { get; set; }

    /// <summary>Final status of a send (NET_BUFFER_LIST_STATUS).</summary>
    public NdisStatus Status { get; set; }

    /// <summary>Public attribute flags (NET_BUFFER_LIST_NBL_FLAGS).</summary>
    public NblFlags NblFlags { get; set; }

    /// <summary>Ownership-partitioned private flags (NET_BUFFER_LIST_FLAGS), see <see cref="NetBufferListFlagMasks"/>.</summary>
    public uint Flags { get; set; }

    /// <summary>Protocol scratch, 4 slots (NET_BUFFER_LIST_PROTOCOL_RESERVED).</summary>
    public ReservedArea ProtocolReserved { get; } = new(ProtocolReservedSlots, "NET_BUFFER_LIST.ProtocolReserved");

    /// <summary>Miniport scratch, 2 slots (NET_BUFFER_LIST_MINIPORT_RESERVED).</summary>
    public ReservedArea MiniportReserved { get; } = new(MiniportReservedSlots, "NET_BUFFER_LIST.MiniportReserved");

    /// <summary>Free for the current owner; null at allocation.</summary>
    public object? Scratch { get; set; }

    /// <summary>Per-NBL out-of-band information (NET_BUFFER_LIST_INFO).</summary>
    public NetBufferListInfo Info { get; } = new();

    /// <summary>The pool the NBL came from (NdisGetPoolFromNetBufferList).</summary>
    public NetBufferListPool? Pool => OwningPool as NetBufferListPool;

    /// <summary>How the NBL was made (pool, clone, fragment, reassembly).</summary>
    public DerivedKind DerivedKind { get; internal set; }

    /// <summary>The flags a clone was allocated with (NdisFreeCloneNetBufferList must match them).</summary>
    public uint CloneFlags { get; internal set; }

    /// <summary>The NB pre-allocated with this NBL, or null.</summary>
    internal NetBuffer? PreallocatedNetBuffer { get; set; }

    /// <summary>The context block pre-allocated with this NBL, reused across allocations.</summary>
    internal NetBufferListContext? PreallocatedContext { get; set; }

    internal NdisHandle Handle { get; }

    // NDIS's own bookkeeping for the CoNDIS runtime (what NdisReserved holds in Windows): the VC the NBL
    // travels on, where it is, and what the runtime must restore when it comes back.
    internal CoNdis.VirtualConnection? CoVc;
    internal int CoState;
    internal object? CoSavedSourceHandle;
    internal NetBuffer? CoSentFirstNetBuffer;
    internal int CoReservedMark;

    internal NdisVerifier Verifier => Handle.Verifier;

    /// <summary>Context allocations not yet freed (NdisAllocateNetBufferListContext minus frees).</summary>
    public int ContextDepth => _contextDepth;

    /// <summary>The NBs of this NBL, walked without allocating.</summary>
    public LinkedChain<NetBuffer> NetBuffers => new(FirstNetBuffer);

    /// <summary>This NBL and those after it, walked without allocating.</summary>
    public LinkedChain<NetBufferList> Chain => new(this);

    /// <summary>Number of NBs.</summary>
    public int NetBufferCount
    {
        get
        {
            int count = 0;
            for (var nb = FirstNetBuffer; nb is not null; nb = nb.Next)
                count++;
            return count;
        }
    }

    /// <summary>
    /// NdisAllocateNetBufferListContext: takes <paramref name="contextSize"/> bytes of context from the
    /// unused space of the first block, or allocates a new block of size + backfill in front. Sizes are
    /// multiples of sizeof(void*) (its page; NdisAllocateNetBufferList's are multiples of MEMORY_ALLOCATION_ALIGNMENT).
    /// </summary>
    public NdisStatus AllocateContext(int contextSize, int contextBackFill)
    {
        CheckPointerMultiple(contextSize, nameof(contextSize));
        CheckPointerMultiple(contextBackFill, nameof(contextBackFill));
        CheckAllocated();
        if (Context is not null && Context.Offset >= contextSize)
        {
            Context.Offset -= contextSize;
            Context.Size += contextSize;
            PushContext(contextSize);
            return NdisStatus.Success;
        }
        var block = new NetBufferListContext(contextSize + contextBackFill)
        {
            Offset = contextBackFill,
            Size = contextSize,
            Next = Context,
        };
        Context = block;
        PushContext(-contextSize - 1);
        return NdisStatus.Success;
    }

    /// <summary>
    /// NdisFreeNetBufferListContext: releases the last <paramref name="contextSize"/> bytes allocated
    /// (LIFO), freeing a block the matching allocate had to add. An unmatched size is a verifier finding.
    /// </summary>
    public void FreeContext(int contextSize)
    {
        CheckPointerMultiple(contextSize, nameof(contextSize));
        CheckAllocated();
        if (_contextDepth == 0 || Context is null)
        {
            Verifier.Report(VerifierRule.ContextImbalance,
                $"NdisFreeNetBufferListContext({contextSize}) on {this} without a matching NdisAllocateNetBufferListContext", this);
            return;
        }
        int entry = _contextStack[--_contextDepth];
        bool addedBlock = entry < 0;
        int allocated = addedBlock ? -entry - 1 : entry;
        if (allocated != contextSize)
            Verifier.Report(VerifierRule.ContextImbalance,
                $"NdisFreeNetBufferListContext({contextSize}) on {this} does not match the last allocation of {allocated} byte(s)", this);
        if (addedBlock)
        {
            Context = Context.Next;
        }
        else
        {
            Context.Offset += allocated;
            Context.Size -= allocated;
        }
    }

    internal void SetInitialContext(int used, int backFill)
    {
        if (used == 0 && backFill == 0)
        {
            Context = null;
            return;
        }
        var block = PreallocatedContext ??= new NetBufferListContext(used + backFill);
        block.EnsureCapacity(used + backFill);
        block.Offset = block.Capacity - used;
        block.Size = used;
        block.Next = null;
        block.Memory.AsSpan().Clear();
        Context = block;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void CheckAllocated([System.Runtime.CompilerServices.CallerMemberName] string caller = "")
    {
        if (!IsAllocated && OwningPool is not null)
            ReportUseAfterFree(caller);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ReportUseAfterFree(string caller) =>
        Verifier.Report(VerifierRule.UseAfterFree, $"{this} used after it was freed", this, null, caller);

    /// <summary>Clears every field for reuse (allocation state, info, reserved areas, context).</summary>
    internal void ResetForReuse()
    {
        Next = null;
        FirstNetBuffer = null;
        Context = null;
        ParentNetBufferList = null;
        ChildRefCount = 0;
        SourceHandle = null;
        Status = NdisStatus.Success;
        NblFlags = NblFlags.None;
        Flags = 0;
        Scratch = null;
        DerivedKind = DerivedKind.None;
        CloneFlags = 0;
        ProtocolReserved.Clear();
        MiniportReserved.Clear();
        Info.Clear();
        _contextDepth = 0;
        CoVc = null;
        CoState = 0;
        CoSavedSourceHandle = null;
        CoSentFirstNetBuffer = null;
    }

    private void PushContext(int entry)
    {
        if (_contextDepth == _contextStack.Length)
            Array.Resize(ref _contextStack, Math.Max(4, _contextStack.Length * 2));
        _contextStack[_contextDepth++] = entry;
    }

    private static void CheckPointerMultiple(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        if (value % IntPtr.Size != 0)
            throw new ArgumentException($"{name} ({value}) must be a multiple of sizeof(void*) ({IntPtr.Size}).", name);
    }

    /// <inheritdoc />
    public override string ToString() => $"NBL#{PoolIndex}{(DerivedKind == DerivedKind.None ? "" : $"({DerivedKind})")}";
}
