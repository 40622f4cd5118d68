using System.Buffers;

namespace CoNdis.Hardware.Capture;

/// <summary>
/// A forward-only window over a stream (seekable or not) in one pooled buffer that is reused: callers ask for n bytes,
/// look at them as a span, then advance. The buffer never grows past the configured maximum allocation.
/// </summary>
internal sealed class CaptureInput : IDisposable
{
    private const int InitialCapacity = 128 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxAllocation;
    private readonly Action<long, long>? _progress;
    private readonly long _progressInterval;
    private readonly long _length;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOffset;
    private long _nextProgress;
    private bool _endOfStream;

    public CaptureInput(Stream stream, CaptureReaderOptions options, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        MaxPacketLength = options.MaxPacketLength;
        MaxBlockLength = options.MaxBlockLength;
        _maxAllocation = Math.Max(options.MaxBlockLength, options.MaxPacketLength + 16);
        _progress = options.Progress;
        _progressInterval = Math.Max(1, options.ProgressInterval);
        _nextProgress = _progressInterval;
        _length = stream.CanSeek ? stream.Length - stream.Position : -1;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialCapacity, Math.Max(64, _maxAllocation)));
    }

    /// <summary>File offset of the next unread byte.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Bytes read from the stream so far.</summary>
    public long BytesRead => _bufferOffset + _end;

    /// <summary>Stream length when the stream can tell, else -1.</summary>
    public long Length => _length;

    /// <summary>The largest window <see cref="Fill"/> may be asked for.</summary>
    public int MaxAllocation => _maxAllocation;

    /// <summary>Largest captured length of one packet (<see cref="CaptureReaderOptions.MaxPacketLength"/>).</summary>
    public int MaxPacketLength { get; }

    /// <summary>Largest pcapng block held in memory (<see cref="CaptureReaderOptions.MaxBlockLength"/>).</summary>
    public int MaxBlockLength { get; }

    /// <summary>Makes up to <paramref name="count"/> bytes available (count must not exceed the maximum allocation); returns how many are.</summary>
    public int Fill(int count)
    {
        int available = _end - _start;
        if (available >= count || _endOfStream)
            return Math.Min(available, count);

        if (count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(count, _buffer.Length * 2), Math.Max(count, _maxAllocation)));
            _buffer.AsSpan(_start, available).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
            _bufferOffset += _start;
            _start = 0;
            _end = available;
        }
        else if (_start + count > _buffer.Length)
        {
            _buffer.AsSpan(_start, available).CopyTo(_buffer);
            _bufferOffset += _start;
            _start = 0;
            _end = available;
        }

        while (_end - _start < count)
        {
            int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read <= 0)
            {
                _endOfStream = true;
                _progress?.Invoke(BytesRead, _length);
                break;
            }

            _end += read;
            if (_progress is not null && BytesRead >= _nextProgress)
            {
                _progress(BytesRead, _length);
                _nextProgress = BytesRead + _progressInterval;
            }
        }

        return Math.Min(_end - _start, count);
    }

    /// <summary>The next <paramref name="count"/> bytes, which <see cref="Fill"/> has made available.</summary>
    public ReadOnlySpan<byte> Peek(int count) => _buffer.AsSpan(_start, count);

    public void Advance(int count) => _start += count;

    /// <summary>
    /// Consumes up to <paramref name="count"/> bytes without keeping them (buffered bytes first, then the stream is
    /// read in buffer-sized pieces and the bytes dropped); returns how many were consumed (fewer only at end of stream).
    /// </summary>
    public long Skip(long count)
    {
        long skipped = Math.Min(count, _end - _start);
        _start += (int)skipped;
        while (skipped < count && !_endOfStream)
        {
            _bufferOffset += _end;
            _start = 0;
            _end = 0;
            int want = (int)Math.Min(_buffer.Length, count - skipped);
            int read = _stream.Read(_buffer, 0, want);
            if (read <= 0)
            {
                _endOfStream = true;
                _progress?.Invoke(BytesRead, _length);
                break;
            }

            _bufferOffset += read;
            skipped += read;
            if (_progress is not null && BytesRead >= _nextProgress)
            {
                _progress(BytesRead, _length);
                _nextProgress = BytesRead + _progressInterval;
            }
        }

        return skipped;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        if (!_leaveOpen)
            _stream.Dispose();
    }
}
