using CoNdis.Hardware.Capture;

namespace Condis.Cli;

/// <summary>The choices of one <c>condis convert</c> run that apply to every input.</summary>
internal sealed record ConvertSettings
{
    public DriverSide Client { get; init; }

    public DriverSide Miniport { get; init; }

    /// <summary>Output format; null: each input's own.</summary>
    public CaptureFormat? Format { get; init; }

    public bool Annotate { get; init; }

    public bool Verify { get; init; }

    public DeviceHostOptions Host { get; init; } = new();

    /// <summary>Arena bytes per batch (frames and their options).</summary>
    public int ArenaBytes { get; init; } = 1 << 20;

    /// <summary>The pairing as "client/miniport", e.g. "native/legacy".</summary>
    public string Pairing => $"{Name(Client)}/{Name(Miniport)}";

    public static string Name(DriverSide side) => side == DriverSide.Native ? "native" : "legacy";
}
