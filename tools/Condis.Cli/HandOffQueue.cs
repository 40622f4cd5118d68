using System.Runtime.CompilerServices;

namespace Condis.Cli;

/// <summary>
/// A small bounded queue between two threads (the reader and the data path, the data path and the writer): a lock
/// and Monitor.Wait, which blocks without spinning. Spinning waits (SemaphoreSlim, BlockingCollection) call
/// sched_yield thousands of times on a busy machine, giving the processor away at each handover; a handover here is
/// one lock and at most one wake-up. Completion (no more items) and cancellation end a wait.
/// </summary>
internal sealed class HandOffQueue<T>
    where T : class
{
    private readonly T?[] _items;
    private readonly object _lock = new();
    private int _head;
    private int _count;
    private bool _completed;

    public HandOffQueue(int capacity) => _items = new T?[capacity];

    /// <summary>Adds <paramref name="item"/>, waiting while the queue is full; false when <paramref name="stop"/> was set.</summary>
    public bool Add(T item, StrongBox<bool>? stop = null)
    {
        lock (_lock)
        {
            while (_count == _items.Length)
            {
                if (stop?.Value == true)
                    return false;
                Monitor.Wait(_lock, 100);
            }

            _items[(_head + _count) % _items.Length] = item;
            _count++;
            Monitor.PulseAll(_lock);
            return true;
        }
    }

    /// <summary>Takes the oldest item, waiting while there is none; null once completed and empty, or when <paramref name="stop"/> was set.</summary>
    public T? Take(StrongBox<bool>? stop = null)
    {
        lock (_lock)
        {
            while (_count == 0)
            {
                if (_completed || stop?.Value == true)
                    return null;
                Monitor.Wait(_lock, 100);
            }

            var item = _items[_head]!;
            _items[_head] = null;
            _head = (_head + 1) % _items.Length;
            _count--;
            Monitor.PulseAll(_lock);
            return item;
        }
    }

    /// <summary>No more items will be added: takers get null once the queue is empty.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Wakes every waiter (to look at its stop flag).</summary>
    public void WakeAll()
    {
        lock (_lock)
            Monitor.PulseAll(_lock);
    }
}
