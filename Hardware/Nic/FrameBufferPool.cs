using CoNdis.Hardware.Links;

namespace CoNdis.Hardware.Nic;

/// <summary>
/// Fixed frame buffers of device memory (a NIC's packet FIFO, a link's delay line, bounce buffers), pinned, with a
/// lock-free free list and an ordered ready list. Allocates nothing after construction.
/// </summary>
internal sealed class FrameBufferPool
{
    private readonly byte[][] _buffers;
    private readonly int[] _lengths;
    private readonly int[] _channels;
    private readonly LinkFrameFlags[] _flags;
    private readonly long[] _timestamps;
    private readonly IndexQueue _free;
    private readonly IndexQueue _ready;

    public FrameBufferPool(int count, int bufferSize)
    {
        _buffers = new byte[count][];
        _lengths = new int[count];
        _channels = new int[count];
        _flags = new LinkFrameFlags[count];
        _timestamps = new long[count];
        _free = new IndexQueue(count);
        _ready = new IndexQueue(count);
        for (int i = 0; i < count; i++)
        {
            _buffers[i] = GC.AllocateArray<byte>(bufferSize, pinned: true);
            _free.TryEnqueue(i);
        }
        BufferSize = bufferSize;
    }

    public int BufferSize { get; }

    public int Count => _buffers.Length;

    /// <summary>Buffers queued on the ready list.</summary>
    public int ReadyCount => _ready.Count;

    public bool TryRent(out int index) => _free.TryDequeue(out index);

    public void Release(int index) => _free.TryEnqueue(index);

    public byte[] Buffer(int index) => _buffers[index];

    /// <summary>Copies <paramref name="frame"/> into a free buffer and queues it; false when none is free.</summary>
    public bool TryStore(LinkFrame frame)
    {
        if (frame.Data.Length > BufferSize || !_free.TryDequeue(out int index))
            return false;
        frame.Data.CopyTo(_buffers[index]);
        _lengths[index] = frame.Data.Length;
        _channels[index] = frame.Channel;
        _flags[index] = frame.Flags;
        _timestamps[index] = frame.TimestampNanoseconds;
        _ready.TryEnqueue(index);
        return true;
    }

    /// <summary>The oldest stored frame, or false; give the index back with <see cref="Release"/> when done.</summary>
    public bool TryTake(out int index) => _ready.TryDequeue(out index);

    public LinkFrame Frame(int index) =>
        new(_buffers[index].AsSpan(0, _lengths[index]), _channels[index], _flags[index], _timestamps[index]);

    public long Timestamp(int index) => _timestamps[index];

    /// <summary>Drops every stored frame; returns how many.</summary>
    public int Flush()
    {
        int dropped = 0;
        while (_ready.TryDequeue(out int index))
        {
            _free.TryEnqueue(index);
            dropped++;
        }
        return dropped;
    }
}
