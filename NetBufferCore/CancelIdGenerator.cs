namespace CoNdis.NetBufferCore;

/// <summary>
/// Cancel IDs whose high-order byte comes from NdisGeneratePartialCancelId (as its page and Canceling a Send
/// Operation require), so IDs are
/// unique across drivers; the low bits count up per generator. Thread-safe.
/// </summary>
public sealed class CancelIdGenerator
{
    private static int s_partial;
    private long _sequence;

    public CancelIdGenerator() => PartialCancelId = GeneratePartialCancelId();

    /// <summary>The high-order byte every ID of this generator carries.</summary>
    public byte PartialCancelId { get; }

    /// <summary>NdisGeneratePartialCancelId: a value for the high-order byte of cancel IDs.</summary>
    public static byte GeneratePartialCancelId() => (byte)Interlocked.Increment(ref s_partial);

    /// <summary>A new cancel ID: the partial ID in the top byte, a sequence number below it (never 0).</summary>
    public nint Next()
    {
        long sequence = Interlocked.Increment(ref _sequence) & ((1L << ((IntPtr.Size * 8) - 8)) - 1);
        return (nint)(((long)PartialCancelId << ((IntPtr.Size * 8) - 8)) | sequence);
    }
}
