using System.Diagnostics;
using System.Globalization;

namespace Condis.Cli;

/// <summary>
/// A one-line progress bar on standard error, drawn only when standard error is a terminal and only once the work has
/// taken more than a second; a timer redraws it five times a second from a shared byte count (the readers add to it
/// once per MiB read), so nothing is done per packet. Cleared when the work ends. Our own rather than
/// Spectre.Console's: one line of text is all it needs, and a library of that size (its assembly loaded and its code
/// JIT-compiled at every start) would cost a CLI whose small conversions finish in about 150 ms more than the bar does.
/// </summary>
internal sealed class ProgressBar : IDisposable
{
    private const int Width = 30;

    private readonly TextWriter _stderr;
    private readonly long _total;
    private readonly string _label;
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private readonly Timer? _timer;
    private readonly object _draw = new();
    private long _done;
    private bool _drawn;
    private bool _disposed;

    /// <summary>A bar over <paramref name="totalBytes"/> (-1: unknown, a pipe) when <paramref name="enabled"/>; otherwise it only counts.</summary>
    public ProgressBar(TextWriter stderr, long totalBytes, string label, bool enabled)
    {
        _stderr = stderr;
        _total = totalBytes;
        _label = label;
        if (enabled)
            _timer = new Timer(_ => Draw(), null, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200));
    }

    public long Done => Interlocked.Read(ref _done);

    /// <summary>Adds bytes done (thread-safe).</summary>
    public void Add(long bytes) => Interlocked.Add(ref _done, bytes);

    private void Draw()
    {
        lock (_draw)
        {
            if (_disposed)
                return;
            long done = Done;
            double seconds = _stopwatch.Elapsed.TotalSeconds;
            string rate = string.Create(CultureInfo.InvariantCulture, $"{done / Math.Max(seconds, 1e-3) / (1 << 20):F1} MiB/s");
            string line;
            if (_total > 0)
            {
                double fraction = Math.Clamp((double)done / _total, 0, 1);
                int filled = (int)(fraction * Width);
                line = string.Create(CultureInfo.InvariantCulture, $"\r{_label} [{new string('#', filled)}{new string('-', Width - filled)}] {fraction * 100,5:F1}% {rate}  ");
            }
            else
            {
                line = string.Create(CultureInfo.InvariantCulture, $"\r{_label} {done / (1 << 20)} MiB {rate}  ");
            }

            _stderr.Write(line);
            _stderr.Flush();
            _drawn = true;
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_draw)
        {
            _disposed = true;
            if (_drawn)
            {
                _stderr.Write("\r" + new string(' ', Width + _label.Length + 30) + "\r");
                _stderr.Flush();
            }
        }
    }
}
