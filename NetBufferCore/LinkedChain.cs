namespace CoNdis.NetBufferCore;

/// <summary>
/// A non-allocating walk over a chain linked through Next: MDLs (<c>nb.Mdls</c>), the NBs of an NBL
/// (<c>nbl.NetBuffers</c>), an NBL chain (<c>nbl.Chain</c>). Next is read before each object is yielded, so the
/// loop body may unlink, complete or return the current one.
/// </summary>
public readonly struct LinkedChain<T> where T : class, ILinked<T>
{
    private readonly T? _first;

    public LinkedChain(T? first) => _first = first;

    public Enumerator GetEnumerator() => new(_first);

    /// <summary>The objects as a new list (tests and diagnostics; allocates).</summary>
    public List<T> ToList()
    {
        var list = new List<T>();
        foreach (var item in this)
            list.Add(item);
        return list;
    }

    /// <summary>The enumerator (a struct: no allocation).</summary>
    public struct Enumerator
    {
        private T? _next;

        internal Enumerator(T? first)
        {
            _next = first;
            Current = null!;
        }

        public T Current { get; private set; }

        public bool MoveNext()
        {
            if (_next is null)
                return false;
            Current = _next;
            _next = _next.Next;
            return true;
        }
    }
}
