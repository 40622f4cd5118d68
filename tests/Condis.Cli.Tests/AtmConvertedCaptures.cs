using System.Text.Json;
using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary>
/// Converts the whole of ../shared/captures once per pairing over the ATM device (<c>--device atm</c>: two hosts, a
/// UNI call, the frames in cells), as a directory, two at a time, with --verify and --json (four processes of about a
/// second and a half each on two cores: every capture crosses every pairing, uncapped); the ATM convert tests read the results.
/// </summary>
public sealed class AtmConvertedCaptures : IDisposable
{
    public AtmConvertedCaptures()
    {
        Root = Path.Combine(Path.GetTempPath(), "condis-convert-atm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        if (!Directory.Exists(Captures))
            return;
        foreach (var pairing in ConvertedCaptures.Pairings)
        {
            var parts = pairing.Split('/');
            Results[pairing] = RunCondis("convert", Captures, "-o", Output(pairing), "--device", "atm", "--client", parts[0], "--miniport", parts[1], "--verify", "-j", "2", "--json");
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
