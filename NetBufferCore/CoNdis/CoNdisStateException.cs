namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>An illegal CoNDIS state transition (a call made in a state that does not allow it).</summary>
public sealed class CoNdisStateException : InvalidOperationException
{
    public CoNdisStateException()
    {
    }

    public CoNdisStateException(string message) : base(message)
    {
    }

    public CoNdisStateException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
