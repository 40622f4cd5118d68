using BenchmarkDotNet.Attributes;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.Benchmarks.DataPath;

/// <summary>
/// Question: what does translation add, per NBL, at the shape the goals name (64-byte frames, batches of 32, inline
/// miniports), with the verifier as a user runs it (strict) and off? The same cases as <see cref="DataPathBenchmarks"/>
/// cut down to that shape, so one run gives every pairing's ratio to native/native side by side in a few minutes.
/// </summary>
[MemoryDiagnoser]
public class TranslationOverheadBenchmarks
{
    private DataPathBenchmarks _path = null!;

    [Params(DataPathBenchmarks.Side.Native, DataPathBenchmarks.Side.Legacy)]
    public DataPathBenchmarks.Side Client { get; set; }

    [Params(DataPathBenchmarks.Side.Native, DataPathBenchmarks.Side.Legacy)]
    public DataPathBenchmarks.Side Miniport { get; set; }

    [Params(VerifierMode.Strict, VerifierMode.Off)]
    public VerifierMode Verifier { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = new DataPathBenchmarks { Client = Client, Miniport = Miniport, Verifier = Verifier, FrameSize = 64, Batch = 32 };
        _path.Setup();
    }

    /// <summary>Send → complete per NBL (64 B, batch 32).</summary>
    [Benchmark(OperationsPerInvoke = DataPathBenchmarks.NblsPerInvoke)]
    public void SendComplete() => _path.SendComplete();

    /// <summary>Indicate → return per NBL (64 B, batch 32).</summary>
    [Benchmark(OperationsPerInvoke = DataPathBenchmarks.NblsPerInvoke)]
    public void ReceiveReturn() => _path.ReceiveReturn();
}
