using System.Runtime.InteropServices;

namespace CoNdis.Hardware.Nic;

/// <summary>
/// A bounded lock-free multi-producer multi-consumer queue of small integers (Vyukov's array queue): the free lists
/// and ready lists of the device's FIFO memory and bounce buffers. One compare-exchange per operation, no lock.
/// </summary>
internal sealed class IndexQueue
{
    private struct Cell
    {
        public int Sequence;
        public int Value;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Padded
    {
        [FieldOffset(64)] public int Value;
    }

    private readonly Cell[] _cells;
    private readonly int _mask;
    private Padded _enqueue;
    private Padded _dequeue;

    public IndexQueue(int capacity)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity));
        _cells = new Cell[size];
        for (int i = 0; i < size; i++)
            _cells[i].Sequence = i;
        _mask = size - 1;
    }

    /// <summary>Items queued now (approximate while others work on it).</summary>
    public int Count => Math.Max(0, Volatile.Read(ref _enqueue.Value) - Volatile.Read(ref _dequeue.Value));

    public bool TryEnqueue(int value)
    {
        var spinner = new SpinWait();
        while (true)
        {
            int position = Volatile.Read(ref _enqueue.Value);
            ref var cell = ref _cells[position & _mask];
            int difference = Volatile.Read(ref cell.Sequence) - position;
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _enqueue.Value, position + 1, position) == position)
                {
                    cell.Value = value;
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

    public bool TryDequeue(out int value)
    {
        var spinner = new SpinWait();
        while (true)
        {
            int position = Volatile.Read(ref _dequeue.Value);
            ref var cell = ref _cells[position & _mask];
            int difference = Volatile.Read(ref cell.Sequence) - (position + 1);
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _dequeue.Value, position + 1, position) == position)
                {
                    value = cell.Value;
                    Volatile.Write(ref cell.Sequence, position + _mask + 1);
                    return true;
                }
            }
            else if (difference < 0)
            {
                value = 0;
                return false;
            }
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
