namespace CoNdis.Reliability.Tests;

/// <summary>The matrix the soaks run on: every client/miniport pairing on every device.</summary>
internal static class Pairings
{
    public static readonly string[] All = ["native/native", "native/legacy", "legacy/native", "legacy/legacy"];

    public static readonly string[] Devices = ["loopback", "pair-link", "atm"];

    public static TheoryData<string, string> OnEveryDevice()
    {
        var data = new TheoryData<string, string>();
        foreach (var pairing in All)
        {
            foreach (var device in Devices)
                data.Add(pairing, device);
        }
        return data;
    }

    /// <summary>A seed per cell of the matrix, so each run repeats.</summary>
    public static int Seed(string pairing, string device) => (Array.IndexOf(All, pairing) * 10) + Array.IndexOf(Devices, device) + 1;
}
