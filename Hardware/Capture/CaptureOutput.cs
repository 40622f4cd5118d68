using System.Buffers;

namespace CoNdis.Hardware.Capture;

/// <summary>A pooled write buffer in front of a stream: writers format headers in place and flush in large writes.</summary>
internal sealed class CaptureOutput : IDisposable
{
    private const int Capacity = 256 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Capacity);
    private int _used;

    public CaptureOutput(Stream stream, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    public long BytesWritten { get; private set; }

    /// <summary>A span of exactly <paramref name="count"/> bytes to fill; counts as written.</summary>
    public Span<byte> Reserve(int count)
    {
        if (_used + count > _buffer.Length)
        {
            FlushBuffer();
            if (count > _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(count);
            }
        }

        var span = _buffer.AsSpan(_used, count);
        _used += count;
        BytesWritten += count;
        return span;
    }

    public void Write(ReadOnlySpan<byte> data) => data.CopyTo(Reserve(data.Length));

    public void Flush()
    {
        FlushBuffer();
        _stream.Flush();
    }

    public void Dispose()
    {
        if (_buffer.Length == 0)
            return;
        try
        {
            FlushBuffer();
            _stream.Flush();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            if (!_leaveOpen)
                _stream.Dispose();
        }
    }

    private void FlushBuffer()
    {
        if (_used == 0)
            return;
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }
}
