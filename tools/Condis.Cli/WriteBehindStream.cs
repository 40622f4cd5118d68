namespace Condis.Cli;

/// <summary>
/// A write-only stream that hands what is written to a thread of its own in 4 MiB chunks, so the system calls that
/// put a converted capture into the page cache run beside the data path instead of on it (with two cores they
/// overlap). Chunks circulate between the two threads; nothing is allocated after the first few. A failed write is
/// thrown from the next Write, Flush or Dispose.
/// </summary>
internal sealed class WriteBehindStream : Stream
{
    private const int ChunkBytes = 4 << 20;
    private const int Chunks = 3;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly HandOffQueue<Chunk> _full = new(Chunks);
    private readonly HandOffQueue<Chunk> _free = new(Chunks);
    private readonly Thread _writer;
    private readonly ManualResetEventSlim _idle = new(true, spinCount: 0);
    private Chunk _current;
    private int _pending;
    private Exception? _failure;
    private bool _disposed;

    public WriteBehindStream(Stream inner, bool leaveOpen)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        for (int i = 1; i < Chunks; i++)
            _free.Add(new Chunk());
        _current = new Chunk();
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "condis convert writer" };
        _writer.Start();
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfFailed();
        while (!buffer.IsEmpty)
        {
            int take = Math.Min(buffer.Length, ChunkBytes - _current.Length);
            buffer[..take].CopyTo(_current.Bytes.AsSpan(_current.Length));
            _current.Length += take;
            buffer = buffer[take..];
            if (_current.Length == ChunkBytes)
                HandOver();
        }
    }

    /// <summary>Everything written so far reaches the inner stream, which is flushed.</summary>
    public override void Flush()
    {
        ThrowIfFailed();
        if (_current.Length > 0)
            HandOver();
        _idle.Wait();
        ThrowIfFailed();
        _inner.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            base.Dispose(disposing);
            return;
        }

        _disposed = true;
        try
        {
            if (_failure is null)
                Flush();
        }
        finally
        {
            _full.Complete();
            _writer.Join();
            _idle.Dispose();
            if (!_leaveOpen)
                _inner.Dispose();
            base.Dispose(disposing);
        }
    }

    private void HandOver()
    {
        _idle.Reset();
        Interlocked.Increment(ref _pending);
        _full.Add(_current);
        _current = _free.Take()!;
        _current.Length = 0;
    }

    private void WriteLoop()
    {
        while (_full.Take() is Chunk chunk)
        {
            try
            {
                if (_failure is null)
                    _inner.Write(chunk.Bytes, 0, chunk.Length);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
            {
                _failure = ex;
            }

            _free.Add(chunk);
            if (Interlocked.Decrement(ref _pending) == 0)
                _idle.Set();
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
            throw new IOException($"writing the output failed: {_failure.Message}", _failure);
    }

    /// <summary>One buffer of output and how much of it is filled.</summary>
    private sealed class Chunk
    {
        public byte[] Bytes { get; } = GC.AllocateUninitializedArray<byte>(ChunkBytes);

        public int Length { get; set; }
    }
}
