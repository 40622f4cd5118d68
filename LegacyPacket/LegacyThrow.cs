using System.Runtime.CompilerServices;

namespace CoNdis.LegacyPacket;

/// <summary>
/// The exceptions the NDIS 5 calls throw for API misuse, built away from the per-packet loops that detect it so
/// those loops stay small and inlinable (the habit of System.IO.Pipelines' ThrowHelper).
/// </summary>
internal static class LegacyThrow
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException NullPacket(string parameter, int index) =>
        new($"{parameter}[{index}] is NULL.", parameter);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentOutOfRangeException ArrayTooShort(string parameter, uint count, int length) =>
        new(parameter, $"NumberOfPackets {count} exceeds the array's {length} entries.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException PendingCompletion(string parameter) =>
        new("NdisMCoSendComplete takes SUCCESS or a failure, never NDIS_STATUS_PENDING.", parameter);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static InvalidOperationException ImplausibleReferenceCount(uint references) =>
        new($"ProtocolCoReceivePacket returned an implausible reference count {references}.");
}
