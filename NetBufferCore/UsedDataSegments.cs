namespace CoNdis.NetBufferCore;

/// <summary>
/// The used data of an NB as spans, one per MDL piece (<c>foreach (Span&lt;byte&gt; piece in nb.UsedData)</c>),
/// without allocating: the scatter-gather view a DMA engine or checksum loop wants.
/// </summary>
public readonly ref struct UsedDataSegments
{
    private readonly NetBuffer _netBuffer;

    public UsedDataSegments(NetBuffer netBuffer) => _netBuffer = netBuffer;

    public Enumerator GetEnumerator() => new(_netBuffer);

    /// <summary>The enumerator.</summary>
    public ref struct Enumerator
    {
        private Mdl? _mdl;
        private int _offset;
        private int _remaining;

        internal Enumerator(NetBuffer nb)
        {
            var start = new MdlPosition(nb.CurrentMdl, nb.CurrentMdlOffset).Canonical();
            _mdl = start.Mdl;
            _offset = start.Offset;
            _remaining = nb.DataLength;
            Current = default;
        }

        public Span<byte> Current { get; private set; }

        public bool MoveNext()
        {
            while (_remaining > 0 && _mdl is not null)
            {
                int piece = Math.Min(_mdl.ByteCount - _offset, _remaining);
                var span = _mdl.Span.Slice(_offset, piece);
                _mdl = _mdl.Next;
                _offset = 0;
                if (piece == 0)
                    continue;
                _remaining -= piece;
                Current = span;
                return true;
            }
            return false;
        }
    }
}
