namespace CoNdis.NetBufferCore.Pools;

/// <summary>
/// A bounded, lock-free multi-producer multi-consumer queue of free objects (Vyukov's array queue):
/// each cell carries a sequence number, so a slot is never reused before its reader is done and there
/// is no ABA problem. Capacity is a power of two at least as large as the pool, so a free never fails.
/// </summary>
internal sealed class FreeList<T> where T : class
{
    private struct Cell
    {
        public int Sequence;
        public T? Item;
    }

    private readonly Cell[] _cells;
    private readonly int _mask;
    private PaddedCounter _enqueue;
    private PaddedCounter _dequeue;

    public FreeList(int capacity)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity));
        _cells = new Cell[size];
        for (int i = 0; i < size; i++)
            _cells[i].Sequence = i;
        _mask = size - 1;
    }

    public bool TryPush(T item)
    {
        var spinner = new SpinWait();
        while (true)
        {
            int position = Volatile.Read(ref _enqueue.Value);
            ref var cell = ref _cells[position & _mask];
            int sequence = Volatile.Read(ref cell.Sequence);
            int difference = sequence - position;
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _enqueue.Value, position + 1, position) == position)
                {
                    cell.Item = item;
                    Volatile.Write(ref cell.Sequence, position + 1);
                    return true;
                }
            }
            else if (difference < 0)
            {
                return false;
            }
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    public bool TryPop(out T? item)
    {
        var spinner = new SpinWait();
        while (true)
        {
            int position = Volatile.Read(ref _dequeue.Value);
            ref var cell = ref _cells[position & _mask];
            int sequence = Volatile.Read(ref cell.Sequence);
            int difference = sequence - (position + 1);
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _dequeue.Value, position + 1, position) == position)
                {
                    item = cell.Item;
                    cell.Item = null;
                    Volatile.Write(ref cell.Sequence, position + _mask + 1);
                    return true;
                }
            }
            else if (difference < 0)
            {
                item = null;
                return false;
            }
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
