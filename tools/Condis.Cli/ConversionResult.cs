using CoNdis.Hardware.Nic;
using CoNdis.Translation;

namespace Condis.Cli;

/// <summary>What converting one input did: counts, time, what the trip cost (translation, NDIS and device copies) and how it ended.</summary>
internal sealed class ConversionResult
{
    public ConversionResult(string input, string output)
    {
        Input = input;
        Output = output;
    }

    public string Input { get; }

    public string Output { get; }

    public string? Format { get; set; }

    public long Packets { get; set; }

    public long Bytes { get; set; }

    /// <summary>Frames that crossed the device.</summary>
    public long Carried { get; set; }

    public long PassedThroughLinkType { get; set; }

    public long PassedThroughTooLong { get; set; }

    public long PassedThroughEmpty { get; set; }

    public long PassedThrough => PassedThroughLinkType + PassedThroughTooLong + PassedThroughEmpty;

    public TimeSpan Elapsed { get; set; }

    public TranslationCounts Translation { get; set; }

    /// <summary>Data copies NDIS made on the conversion's thread (NdisGetDataBuffer, resources copies, the 5.x client's gather).</summary>
    public long NdisCopies { get; set; }

    public long NdisBytesCopied { get; set; }

    public NicStatistics Device { get; set; }

    /// <summary>The ATM call's VPI/VCI (ATM device only).</summary>
    public (int Vpi, int Vci)? AtmChannel { get; set; }

    /// <summary>The two SARs' counters: host A's (sending) and host B's (receiving) (ATM device only).</summary>
    public (CoNdis.Hardware.Atm.AtmStatistics A, CoNdis.Hardware.Atm.AtmStatistics B)? Atm { get; set; }

    /// <summary>Pool objects not home and verifier findings when the host came down (0: clean).</summary>
    public int Problems { get; set; }

    /// <summary>Frames written to the wire capture.</summary>
    public long WireFrames { get; set; }

    /// <summary>Null when not verified; otherwise how: "in flight", or "in flight and read back".</summary>
    public string? Verified { get; set; }

    public List<string> Differences { get; } = [];

    /// <summary>An exit code other than 0 when the conversion failed, with its one-line message.</summary>
    public int ExitCode { get; set; }

    public string? Error { get; set; }

    public double PacketsPerSecond => Packets / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
