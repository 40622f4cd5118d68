using System.Text.Json;
using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary>
/// Converts the whole of ../shared/captures once per pairing, as a directory, two at a time, with --verify and --json
/// (four processes); the convert tests read the results. One run per pairing keeps the suite inside its time budget
/// while every capture still goes through every pairing.
/// </summary>
public sealed class ConvertedCaptures : IDisposable
{
    public static readonly string[] Pairings = ["native/native", "native/legacy", "legacy/native", "legacy/legacy"];

    public ConvertedCaptures()
    {
        Root = Path.Combine(Path.GetTempPath(), "condis-convert-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        if (!Directory.Exists(Captures))
            return;
        foreach (var pairing in Pairings)
        {
            var parts = pairing.Split('/');
            var result = RunCondis("convert", Captures, "-o", Output(pairing), "--client", parts[0], "--miniport", parts[1], "--verify", "-j", "2", "--json");
            Results[pairing] = result;
        }
    }

    public string Root { get; }

    public Dictionary<string, (int Exit, string Stdout, string Stderr)> Results { get; } = [];

    public string Output(string pairing) => Path.Combine(Root, pairing.Replace('/', '-'));

    public JsonElement Json(string pairing)
    {
        Assert.True(Results.ContainsKey(pairing), $"no capture set at {Captures}");
        using var document = JsonDocument.Parse(Results[pairing].Stdout);
        return document.RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
