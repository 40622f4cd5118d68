namespace CoNdis.NetBufferCore;

/// <summary>A non-allocating walk over an MDL chain (<c>foreach (var mdl in first.Chain)</c>).</summary>
public readonly struct MdlChainEnumerable
{
    private readonly Mdl? _first;

    public MdlChainEnumerable(Mdl? first) => _first = first;

    public Enumerator GetEnumerator() => new(_first);

    /// <summary>The enumerator (a struct: no allocation).</summary>
    public struct Enumerator
    {
        private Mdl? _next;

        internal Enumerator(Mdl? first)
        {
            _next = first;
            Current = null!;
        }

        public Mdl Current { get; private set; }

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
