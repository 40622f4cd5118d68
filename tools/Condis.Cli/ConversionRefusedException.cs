namespace Condis.Cli;

/// <summary>The chosen output cannot hold the input (a pcap file holds one interface and 1970–2106 timestamps): a usage error, exit 2.</summary>
internal sealed class ConversionRefusedException : Exception
{
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
