namespace Condis.Cli;

/// <summary>One row of the <c>condis demo</c> table.</summary>
internal sealed record DemoPairingResult(string Pairing, long Frames, long Identical, double PacketsPerSecond, int Problems, long ChecksumsInserted)
{
    /// <summary>The device the pairing ran over: loopback or atm.</summary>
    public string Device { get; init; } = "loopback";

    public bool Clean => Identical == Frames && Problems == 0;
}
