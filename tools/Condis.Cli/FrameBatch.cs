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
    public FrameBatch(int capacity, int arenaBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Slots = new FrameSlot[capacity];
        Arena = NdisMemory.AllocatePinned(arenaBytes);
    }

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

    /// <summary>True when a frame of <paramref name="bytes"/> bytes (options included) fits.</summary>
    public bool Fits(int bytes) => Count < Slots.Length && ArenaUsed + bytes <= Arena.Length;

    /// <summary>Takes the next slot with arena room for <paramref name="frameBytes"/> and <paramref name="optionBytes"/>; returns its index.</summary>
    public int Add(int frameBytes, int optionBytes, bool carried)
    {
        int index = Count++;
        if (carried)
            CarriedCount++;
        ref var slot = ref Slots[index];
        slot = default;
        slot.Offset = ArenaUsed;
        slot.Length = frameBytes;
        slot.OptionsOffset = ArenaUsed + frameBytes;
        slot.OptionsLength = optionBytes;
        ArenaUsed += (frameBytes + optionBytes + 7) & ~7;
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
        ArenaUsed = 0;
    }
}
