namespace Condis.Cli;

/// <summary>
/// The output cannot hold the input (a pcap file holds one interface and 1970–2106 timestamps): a usage error, exit 2,
/// when the user chose another output format; a bad input file, exit 3, when <see cref="InputAtFault"/> (the input's
/// own format cannot hold what the file says, such as a pcap record whose fraction of a second, a second or more,
/// carries its time past 2106).
/// </summary>
internal sealed class ConversionRefusedException : Exception
{
    /// <summary>The input file, not the options, is what cannot be written (exit 3).</summary>
    public bool InputAtFault { get; init; }

    public ConversionRefusedException()
    {
    }

    public ConversionRefusedException(string message)
        : base(message)
    {
    }

    public ConversionRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
