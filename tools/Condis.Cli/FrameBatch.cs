using CoNdis.NetBufferCore.Memory;

namespace Condis.Cli;

/// <summary>
/// A batch of frames read from a capture, their bytes copied once into one pinned arena that the MDLs (or
/// NDIS_BUFFERs) of the sends describe: the client sends the carried ones as one chain (one array for a 5.x client),
/// and the arena is reused for the next batch once every frame of this one came back and was written. Nothing is
/// allocated per frame.
/// </summary>
internal sealed class FrameBatch
{
    /// <summary>
    /// A batch of <paramref name="capacity"/> frames. Each carried frame has a fixed slot of <paramref name="slotBytes"/>
    /// at the start of the arena (so the client can keep NBLs and MDLs, or NDIS_PACKETs and NDIS_BUFFERs, over the same
    /// slot from batch to batch, as a protocol keeps its send buffers); pass-throughs and options share the
    /// <paramref name="arenaBytes"/> after them.
    /// </summary>
    public FrameBatch(int capacity, int arenaBytes, int slotBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotBytes, FrameNetBufferListBuilder.MacHeader + 1);
        Slots = new FrameSlot[capacity];
        SlotBytes = slotBytes;
        SharedStart = (capacity * slotBytes + 63) & ~63;
        Arena = NdisMemory.AllocatePinned(SharedStart + arenaBytes);
        ArenaUsed = SharedStart;
    }

    /// <summary>Bytes of each carried frame's fixed slot.</summary>
    public int SlotBytes { get; }

    /// <summary>Where the shared part of the arena (pass-throughs, options) starts.</summary>
    public int SharedStart { get; }

    /// <summary>What the client keeps for this batch's slots (its NBLs or packets over the slots), made on first use.</summary>
    public object? ClientState { get; set; }

    /// <summary>Slot <paramref name="index"/>'s fixed memory for a carried frame.</summary>
    public NdisMemory SlotMemory(int index) => Arena.Slice(index * SlotBytes, SlotBytes);

    public FrameSlot[] Slots { get; }

    /// <summary>Interfaces the reader learned before this batch's last frame that earlier batches did not carry, in file order.</summary>
    public List<CoNdis.Hardware.Capture.CaptureInterface> NewInterfaces { get; } = [];

    /// <summary>Section header options of sections first seen with this batch, in file order.</summary>
    public List<ReadOnlyMemory<byte>> NewSections { get; } = [];

    /// <summary>The section every frame of the batch belongs to (a batch never spans two).</summary>
    public int Section { get; set; }

    /// <summary>Pinned memory the frames are copied into.</summary>
    public NdisMemory Arena { get; }

    /// <summary>Slots in use.</summary>
    public int Count { get; private set; }

    /// <summary>Slots the device carries.</summary>
    public int CarriedCount { get; private set; }

    /// <summary>Arena bytes in use.</summary>
    public int ArenaUsed { get; private set; }

    public bool IsFull => Count == Slots.Length;

    /// <summary>True when a frame of <paramref name="bytes"/> bytes (options included) fits in the shared part.</summary>
    public bool Fits(int bytes) => Count < Slots.Length && ArenaUsed + bytes <= Arena.Length;

    /// <summary>Takes the next slot (a carried frame's bytes go to its fixed slot, a pass-through's to the shared part, options there too); returns its index.</summary>
    public int Add(int frameBytes, int optionBytes, bool carried)
    {
        int index = Count++;
        ref var slot = ref Slots[index];
        slot = default;
        slot.Length = frameBytes;
        if (carried)
        {
            CarriedCount++;
            slot.Offset = index * SlotBytes;
            slot.OptionsOffset = ArenaUsed;
            ArenaUsed += (optionBytes + 7) & ~7;
        }
        else
        {
            slot.Offset = ArenaUsed;
            slot.OptionsOffset = ArenaUsed + frameBytes;
            ArenaUsed += (frameBytes + optionBytes + 7) & ~7;
        }

        slot.OptionsLength = optionBytes;
        return index;
    }

    /// <summary>The arena bytes of a slot's frame.</summary>
    public Span<byte> FrameBytes(int index) => Arena.Span.Slice(Slots[index].Offset, Slots[index].Length);

    /// <summary>The frame's memory (for MDLs over it).</summary>
    public NdisMemory FrameMemory(int index) => Arena.Slice(Slots[index].Offset, Slots[index].Length);

    public ReadOnlySpan<byte> Options(int index) => Arena.Span.Slice(Slots[index].OptionsOffset, Slots[index].OptionsLength);

    public Span<byte> WritableOptions(int index) => Arena.Span.Slice(Slots[index].OptionsOffset, Slots[index].OptionsLength);

    public void Clear()
    {
        NewInterfaces.Clear();
        NewSections.Clear();
        Count = 0;
        CarriedCount = 0;
        ArenaUsed = SharedStart;
    }
}
