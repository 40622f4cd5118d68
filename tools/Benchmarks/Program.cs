using BenchmarkDotNet.Running;

namespace CoNdis.Benchmarks;

/// <summary>Entry point: every benchmark class in this assembly, chosen with --filter.</summary>
internal static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
