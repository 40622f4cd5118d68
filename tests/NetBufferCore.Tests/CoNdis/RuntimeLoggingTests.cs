using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.TestDrivers;
using Microsoft.Extensions.Logging;

namespace CoNdis.NetBufferCore.Tests.CoNdis;

public sealed class RuntimeLoggingTests
{
    private sealed class CapturingLogger(LogLevel minimum) : ILogger, ILoggerFactory, ILoggerProvider
    {
        public List<(LogLevel Level, string Text)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                throw new InvalidOperationException($"a {logLevel} message was formatted although the level is off");
            lock (Entries)
                Entries.Add((logLevel, formatter(state, exception)));
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    private static (CapturingLogger Log, ScriptedMiniport Miniport, VirtualConnection Vc, CoNdisRuntime Runtime, CoBinding Binding) Run(LogLevel minimum)
    {
        var log = new CapturingLogger(minimum);
        var runtime = new CoNdisRuntime(new NdisVerifier(VerifierMode.Lenient, log), log);
        var miniport = new ScriptedMiniport { CompleteInline = true };
        var adapter = runtime.RegisterMiniport("logged", miniport);
        new TestCallManager().Bind(runtime, adapter);
        var binding = runtime.OpenAdapter(adapter, "client", new ScriptedClient());
        runtime.ClOpenAddressFamilyEx(binding, TestCallManager.AddressFamily, null, out var af);
        runtime.CoCreateVc(binding, af, null, out var vc);
        runtime.ClMakeCall(vc!, ConformanceRig.CallParameters, null, out _);
        var pool = new Pools.NetBufferListPool(binding.Handle, new Pools.NetBufferListPoolParameters());
        runtime.CoSendNetBufferLists(vc!, pool.AllocateNetBufferList(), SendFlags.None);
        return (log, miniport, vc!, runtime, binding);
    }

    [Fact]
    public void Vc_lifecycle_is_logged_at_information_and_nothing_per_nbl()
    {
        var (log, _, vc, _, _) = Run(LogLevel.Information);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Text.Contains($"{vc} created", StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Text.Contains("Calling -> Connected", StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Text.Contains("address family 1 registered", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Entries, e => e.Level == LogLevel.Trace);
    }

    [Fact]
    public void Per_nbl_events_are_logged_at_trace_only()
    {
        var (log, _, vc, _, _) = Run(LogLevel.Trace);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Trace && e.Text == $"{vc}: send 1 NBL(s)");
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Trace && e.Text == $"{vc}: send complete 1 NBL(s)");
    }

    [Fact]
    public void Nothing_is_formatted_when_the_level_is_off()
    {
        var (log, _, _, _, _) = Run(LogLevel.None); // the logger throws if anything reaches Log
        Assert.Empty(log.Entries);
    }

    [Fact]
    public void Verifier_findings_are_logged_as_warnings_in_lenient_mode()
    {
        var (log, _, vc, runtime, binding) = Run(LogLevel.Warning);
        var pool = new Pools.NetBufferListPool(binding.Handle, new Pools.NetBufferListPoolParameters());
        runtime.MCoSendNetBufferListsComplete(vc, pool.AllocateNetBufferList(), SendCompleteFlags.None);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("CompletionOfUnsentNetBufferList", StringComparison.Ordinal));
    }
}
