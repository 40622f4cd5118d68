using System.Buffers.Binary;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// The frames a soak sends: an EtherType no offload parses (0x88B5, so the bytes come back exactly), a sequence
/// number and an FNV-1a hash of the payload, so a receiver tells an intact frame from a damaged one.
/// </summary>
internal static class SoakFrame
{
    public const int MinimumLength = 60;
    public const int MaximumLength = 1514;
    private const int HeaderLength = 22;

    public static int RandomLength(Random random) => random.Next(4) == 0 ? random.Next(MinimumLength, MaximumLength + 1) : random.Next(MinimumLength, 300);

    /// <summary>Fills <paramref name="frame"/> (its whole length) with a frame carrying <paramref name="sequence"/>.</summary>
    public static void Write(Span<byte> frame, uint sequence, Random random)
    {
        random.NextBytes(frame[..12]);
        frame[0] &= 0xFE; // unicast destination
        frame[12] = 0x88;
        frame[13] = 0xB5;
        BinaryPrimitives.WriteUInt32BigEndian(frame[14..], sequence);
        var payload = frame[HeaderLength..];
        random.NextBytes(payload);
        BinaryPrimitives.WriteUInt32BigEndian(frame[18..], Fnv(payload));
    }

    /// <summary>True when the frame's hash matches its payload.</summary>
    public static bool IsIntact(ReadOnlySpan<byte> frame) =>
        frame.Length >= HeaderLength && frame[12] == 0x88 && frame[13] == 0xB5
        && BinaryPrimitives.ReadUInt32BigEndian(frame[18..]) == Fnv(frame[HeaderLength..]);

    private static uint Fnv(ReadOnlySpan<byte> bytes)
    {
        uint hash = 2166136261;
        foreach (byte b in bytes)
            hash = (hash ^ b) * 16777619;
        return hash;
    }
}
