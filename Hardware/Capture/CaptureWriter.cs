namespace CoNdis.Hardware.Capture;

/// <summary>Writes packets to a capture file that Wireshark's tools open without a warning; see <see cref="PcapWriter"/> and <see cref="PcapNgWriter"/>.</summary>
public abstract class CaptureWriter : IDisposable
{
    private bool _disposed;

    private protected CaptureWriter(Stream stream, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Output = new CaptureOutput(stream, leaveOpen);
    }

    public abstract CaptureFormat Format { get; }

    /// <summary>Packets written so far.</summary>
    public long PacketCount { get; private protected set; }

    /// <summary>Bytes written so far (including buffered ones).</summary>
    public long BytesWritten => Output.BytesWritten;

    private protected CaptureOutput Output { get; }

    /// <summary>Writes one packet (for example one just read by a <see cref="CaptureReader"/>).</summary>
    public abstract void WritePacket(in CapturePacket packet);

    /// <summary>Writes buffered bytes to the stream.</summary>
    public void Flush() => Output.Flush();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
            return;
        _disposed = true;
        if (disposing)
            Output.Dispose();
    }
}
