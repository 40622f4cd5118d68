using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Memory;

namespace CoNdis.Hardware.Nic;

/// <summary>
/// The NIC's bus-master DMA adapter (what NdisMRegisterScatterGatherDma returns to a miniport, and NDIS 5.1's
/// SG-DMA support): builds the scatter-gather list of a frame's buffers, split at page boundaries as physical pages
/// are, into the driver's pre-allocated <see cref="ScatterGatherList"/>; a frame with more pieces than the DMA
/// engine takes is copied into one bounce buffer (counted). Also hands out "shared memory" for receive buffers.
/// </summary>
public sealed class NicDmaAdapter
{
    private readonly SimulatedNic _nic;
    private readonly FrameBufferPool _bounce;

    internal NicDmaAdapter(SimulatedNic nic, NicOptions options)
    {
        _nic = nic;
        MaximumElements = options.MaximumScatterGatherElements;
        MaximumLength = options.MaximumFrameSize;
        _bounce = new FrameBufferPool(options.BounceBuffers, options.MaximumFrameSize);
    }

    /// <summary>Most elements the DMA engine takes per frame (the size a driver allocates its lists with).</summary>
    public int MaximumElements { get; }

    /// <summary>Longest transfer (the NIC's maximum frame).</summary>
    public int MaximumLength { get; }

    /// <summary>Bounce buffers not in use.</summary>
    public int FreeBounceBuffers => _bounce.Count - _bouncesInUse;

    private int _bouncesInUse;

    /// <summary>
    /// NdisMAllocateNetBufferSGList: the SG list of the NB's used data (from CurrentMdl at CurrentMdlOffset, DataLength
    /// bytes). False when the data is longer than the DMA engine's maximum or a bounce is needed and no bounce buffer
    /// is free (try again after a completion).
    /// </summary>
    public bool AllocateNetBufferSGList(NetBuffer netBuffer, ScatterGatherList list)
    {
        ArgumentNullException.ThrowIfNull(netBuffer);
        return Build(netBuffer.CurrentMdl, netBuffer.CurrentMdlOffset, netBuffer.DataLength, list);
    }

    /// <summary>
    /// The SG list of <paramref name="length"/> bytes of an MDL (NDIS_BUFFER) chain from <paramref name="offset"/>: what
    /// NDIS 5.1 puts in a packet's ScatterGatherListPacketInfo for an SG-DMA miniport.
    /// </summary>
    public bool BuildScatterGatherList(Mdl? buffers, int offset, int length, ScatterGatherList list) => Build(buffers, offset, length, list);

    /// <summary>NdisMFreeNetBufferSGList: gives back the bounce buffer, if the list used one.</summary>
    public void FreeScatterGatherList(ScatterGatherList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (list.BounceIndex >= 0)
        {
            _bounce.Release(list.BounceIndex);
            Interlocked.Decrement(ref _bouncesInUse);
        }
        list.Clear();
    }

    /// <summary>NdisMAllocateSharedMemory: pinned, DMA-able memory for receive buffers (outside NDIS's pools).</summary>
    public static NdisMemory AllocateSharedMemory(int length) => NdisMemory.AllocatePinned(length);

    private bool Build(Mdl? mdl, int offset, int length, ScatterGatherList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        list.Clear();
        if (length > MaximumLength)
            return false;
        int start = offset;
        int remaining = length;
        bool fits = true;
        for (var piece = mdl; piece is not null && remaining > 0 && fits; piece = piece.Next)
        {
            int available = piece.ByteCount - offset;
            if (available <= 0)
            {
                offset -= piece.ByteCount;
                continue;
            }
            int take = Math.Min(available, remaining);
            nint address = piece.VirtualAddress + offset;
            offset = 0;
            remaining -= take;
            while (take > 0)
            {
                int inPage = Mdl.PageSize - (int)(address & (Mdl.PageSize - 1));
                int chunk = Math.Min(inPage, take);
                if (list.NumberOfElements == MaximumElements || !list.TryAdd(address, chunk))
                {
                    fits = false;
                    break;
                }
                address += chunk;
                take -= chunk;
            }
        }
        if (fits)
        {
            if (remaining > 0)
                throw new ArgumentException($"The buffers hold fewer than the {length} bytes to map.", nameof(length));
            return true;
        }
        return Bounce(mdl, start, length, list);
    }

    private bool Bounce(Mdl? mdl, int offset, int length, ScatterGatherList list)
    {
        list.Clear();
        if (!_bounce.TryRent(out int index))
            return false;
        Interlocked.Increment(ref _bouncesInUse);
        var target = _bounce.Buffer(index).AsSpan(0, length);
        int done = 0;
        int skip = offset;
        for (var piece = mdl; piece is not null && done < length; piece = piece.Next)
        {
            var span = piece.Span;
            if (skip >= span.Length)
            {
                skip -= span.Length;
                continue;
            }
            int take = Math.Min(span.Length - skip, length - done);
            span.Slice(skip, take).CopyTo(target[done..]);
            skip = 0;
            done += take;
        }
        list.BounceIndex = index;
        list.TryAdd(AddressOf(_bounce.Buffer(index)), length);
        _nic.CountBounce(length);
        return true;
    }

    private static unsafe nint AddressOf(byte[] pinned)
    {
        fixed (byte* pointer = pinned)
            return (nint)pointer;
    }
}
