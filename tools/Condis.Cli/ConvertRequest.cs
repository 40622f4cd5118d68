namespace Condis.Cli;

/// <summary>A <c>condis convert</c> command line as parsed.</summary>
internal sealed record ConvertRequest
{
    public string[] Inputs { get; init; } = [];

    public string Output { get; init; } = "";

    public DriverSide Client { get; init; }

    public DriverSide Miniport { get; init; }

    public string Device { get; init; } = "loopback";

    public string? Format { get; init; }

    public bool Annotate { get; init; }

    public bool Verify { get; init; }

    public string? Wire { get; init; }

    public int Jobs { get; init; } = 1;

    public bool Json { get; init; }
}
