namespace Condis.Cli;

/// <summary>The data path did not bring every carried frame back (a send failed, a frame was lost or came out of order): exit 1.</summary>
internal sealed class DataPathException : Exception
{
    public DataPathException()
    {
    }

    public DataPathException(string message)
        : base(message)
    {
    }

    public DataPathException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
