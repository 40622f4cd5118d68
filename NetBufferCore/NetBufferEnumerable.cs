namespace CoNdis.NetBufferCore;

/// <summary>A non-allocating walk over the NBs of an NBL (<c>foreach (var nb in nbl.NetBuffers)</c>).</summary>
public readonly struct NetBufferEnumerable
{
    private readonly NetBuffer? _first;

    public NetBufferEnumerable(NetBuffer? first) => _first = first;

    public Enumerator GetEnumerator() => new(_first);

    /// <summary>The enumerator (reads Next before yielding, so the current NB may be relinked).</summary>
    public struct Enumerator
    {
        private NetBuffer? _next;

        internal Enumerator(NetBuffer? first)
        {
            _next = first;
            Current = null!;
        }

        public NetBuffer Current { get; private set; }

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
