namespace CoNdis.NetBufferCore;

/// <summary>
/// A non-allocating walk over an NBL chain (<c>foreach (var nbl in head.Chain)</c>). Next is read
/// before each NBL is yielded, so the loop body may unlink or complete the current NBL.
/// </summary>
public readonly struct NetBufferListChainEnumerable
{
    private readonly NetBufferList? _first;

    public NetBufferListChainEnumerable(NetBufferList? first) => _first = first;

    public Enumerator GetEnumerator() => new(_first);

    /// <summary>The enumerator.</summary>
    public struct Enumerator
    {
        private NetBufferList? _next;

        internal Enumerator(NetBufferList? first)
        {
            _next = first;
            Current = null!;
        }

        public NetBufferList Current { get; private set; }

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
