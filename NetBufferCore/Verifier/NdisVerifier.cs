using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoNdis.NetBufferCore.Verifier;

/// <summary>
/// The NDIS verifier: checks the data-path rules of ARCHITECTURE.md and reports each broken one as a
/// <see cref="VerifierFinding"/> naming the rule, the objects and the caller. Strict mode throws
/// <see cref="NdisVerifierException"/>; lenient mode logs and counts. The mode can be switched at run time.
/// </summary>
public sealed partial class NdisVerifier
{
    private const int KeptFindings = 256;
    private readonly Queue<VerifierFinding> _recent = new();
    private readonly long[] _counts = new long[Enum.GetValues<VerifierRule>().Length];
    private long _total;

    public NdisVerifier(VerifierMode mode = VerifierMode.Strict, ILogger? logger = null)
    {
        Mode = mode;
        Logger = logger ?? NullLogger.Instance;
    }

    /// <summary>What a finding does; switchable at any time.</summary>
    public VerifierMode Mode { get; set; }

    /// <summary>True unless the mode is <see cref="VerifierMode.Off"/>; hot paths test this before checking.</summary>
    public bool Enabled => Mode != VerifierMode.Off;

    /// <summary>Where findings are logged (Warning in lenient mode, Error in strict mode).</summary>
    public ILogger Logger { get; set; }

    /// <summary>All findings so far.</summary>
    public long FindingCount => Interlocked.Read(ref _total);

    /// <summary>Findings so far for one rule.</summary>
    public long CountOf(VerifierRule rule) => Interlocked.Read(ref _counts[(int)rule]);

    /// <summary>The most recent findings (up to 256), oldest first.</summary>
    public IReadOnlyList<VerifierFinding> RecentFindings
    {
        get { lock (_recent) return [.. _recent]; }
    }

    /// <summary>Reports a broken rule. Does nothing when the verifier is off.</summary>
    public void Report(VerifierRule rule, string message, object? first = null, object? second = null,
        [CallerMemberName] string caller = "")
    {
        if (Mode == VerifierMode.Off)
            return;
        var objects = second is null ? Describe(first) : $"{Describe(first)}, {Describe(second)}";
        var finding = new VerifierFinding(rule, message, objects, caller);
        Interlocked.Increment(ref _total);
        Interlocked.Increment(ref _counts[(int)rule]);
        lock (_recent)
        {
            if (_recent.Count == KeptFindings)
                _recent.Dequeue();
            _recent.Enqueue(finding);
        }
        if (Mode == VerifierMode.Strict)
        {
            LogStrictFinding(Logger, rule, message, objects, caller);
            throw new NdisVerifierException(finding);
        }
        LogLenientFinding(Logger, rule, message, objects, caller);
    }

    private static string Describe(object? o) => o?.ToString() ?? "-";

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "NDIS verifier [{Rule}]: {Text} (objects: {Objects}; caller: {Caller})")]
    private static partial void LogStrictFinding(ILogger logger, VerifierRule rule, string text, string objects, string caller);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "NDIS verifier [{Rule}]: {Text} (objects: {Objects}; caller: {Caller})")]
    private static partial void LogLenientFinding(ILogger logger, VerifierRule rule, string text, string objects, string caller);
}
