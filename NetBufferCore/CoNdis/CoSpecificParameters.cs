namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>CO_SPECIFIC_PARAMETERS: media- or call-manager-specific bytes with a type tag.</summary>
public sealed record CoSpecificParameters(uint ParamType, ReadOnlyMemory<byte> Parameters)
{
    /// <summary>No specific parameters.</summary>
    public static CoSpecificParameters None { get; } = new(0, ReadOnlyMemory<byte>.Empty);
}
