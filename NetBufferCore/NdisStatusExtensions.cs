namespace CoNdis.NetBufferCore;

/// <summary>Severity tests on <see cref="NdisStatus"/> (NT_SUCCESS / NT_ERROR style, by severity bits).</summary>
public static class NdisStatusExtensions
{
    /// <summary>True for error severity (top two bits 11), the statuses NDIS treats as failures.</summary>
    public static bool IsError(this NdisStatus status) => ((uint)status >> 30) == 3;

    /// <summary>True for <see cref="NdisStatus.Pending"/>.</summary>
    public static bool IsPending(this NdisStatus status) => status == NdisStatus.Pending;

    /// <summary>The DDI-style name (NDIS_STATUS_CLOSING) and hex value, for messages.</summary>
    public static string Describe(this NdisStatus status) =>
        Enum.IsDefined(status) ? $"NDIS_STATUS_{ToUpperSnake(status.ToString())} (0x{(uint)status:X8})" : $"0x{(uint)status:X8}";

    private static string ToUpperSnake(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && !char.IsUpper(name[i - 1]))
                builder.Append('_');
            builder.Append(char.ToUpperInvariant(name[i]));
        }
        return builder.ToString();
    }
}
