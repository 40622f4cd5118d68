namespace CoNdis.Fuzz;

/// <summary>A rule of the capture readers that an input broke (a fuzzing finding, as a crash is).</summary>
public sealed class InvariantException : Exception
{
    public InvariantException()
    {
    }

    public InvariantException(string message)
        : base(message)
    {
    }

    public InvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
