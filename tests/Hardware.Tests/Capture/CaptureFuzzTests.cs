using System.Buffers.Binary;
using CoNdis.Hardware.Capture;
using CsCheck;
using Xunit;

namespace CoNdis.Hardware.Tests.Capture;

/// <summary>Mutated captures (bit flips, truncations, corrupted lengths) throw nothing but CaptureFormatException and never hang.</summary>
public sealed class CaptureFuzzTests
{
    private const int MutantsPerFile = 150;

    /// <summary>Reads everything; returns false when the reader refused the input with a CaptureFormatException.</summary>
    private static bool ReadsOrRefuses(byte[] file, int maxPacketLength)
    {
        try
        {
            using var reader = CaptureReader.Open(new MemoryStream(file), new CaptureReaderOptions { MaxPacketLength = maxPacketLength, MaxBlockLength = maxPacketLength + CaptureReaderOptions.EnhancedPacketOverhead + 1024 });
            long guard = 0;
            while (reader.TryReadPacket(out var packet))
            {
                Assert.True(packet.CapturedLength <= maxPacketLength);
                Assert.True(++guard <= file.Length, "more packets than bytes: the reader is not making progress");
            }

            return true;
        }
        catch (CaptureFormatException ex)
        {
            Assert.InRange(ex.Offset, 0, file.Length);
            Assert.DoesNotContain('\n', ex.Message);
            return false;
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var file = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (int flips = random.Next(1, 8); flips > 0; flips--)
                {
                    int bit = random.Next(file.Length * 8);
                    file[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                return file;
            case 1:
                return file[..random.Next(file.Length)];
            case 2:
            {
                // Length corruption: a 32-bit field at a 4-aligned offset becomes 0, 0xFFFFFFFF, off by a little, or random.
                int at = random.Next(Math.Max(1, file.Length / 4)) * 4;
                if (at + 4 > file.Length)
                    return file;
                uint old = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at));
                uint value = random.Next(5) switch
                {
                    0 => 0,
                    1 => 0xFFFFFFFF,
                    2 => old + (uint)random.Next(1, 9),
                    3 => old - (uint)random.Next(1, 9),
                    _ => (uint)random.Next(),
                };
                BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), value);
                return file;
            }

            default:
            {
                // Splice: duplicate or drop a random range.
                int from = random.Next(file.Length);
                int length = random.Next(1, Math.Min(256, file.Length - from) + 1);
                return random.Next(2) == 0
                    ? [.. file[..from], .. file[from..(from + length)], .. file[from..]]
                    : [.. file[..from], .. file[(from + length)..]];
            }
        }
    }

    [Fact]
    public async Task Mutated_shared_captures_throw_only_capture_format_exceptions_and_never_hang()
    {
        int refused = 0, read = 0;
        foreach (var (name, index) in CaptureFiles.Names.Select((n, i) => (n, i)))
        {
            var original = File.ReadAllBytes(CaptureFiles.PathOf(name));
            if (original.Length == 0)
                continue;
            var random = new Random(20_240_500 + index);
            // Big files get fewer mutants so that the whole run stays at a few seconds.
            int mutants = original.Length > 100_000 ? MutantsPerFile / 10 : MutantsPerFile;
            for (int m = 0; m < mutants; m++)
            {
                var mutant = Mutate(original, random);
                int maxPacketLength = m % 3 == 0 ? 4096 : CaptureReaderOptions.DefaultMaxPacketLength;
                var task = Task.Run(() => ReadsOrRefuses(mutant, maxPacketLength), TestContext.Current.CancellationToken);
                var finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
                Assert.True(finished == task, $"{name} mutant {m} did not finish in 10 s");
                if (await task)
                    read++;
                else
                    refused++;
            }
        }

        Assert.True(refused > 0 && read > 0, $"refused {refused}, read {read}");
    }

    [Fact]
    public void Random_bytes_after_a_valid_header_throw_only_capture_format_exceptions()
    {
        var pcapng = File.ReadAllBytes(CaptureFiles.PathOf("pcapng-gen_test002_le.pcapng"));
        var pcap = File.ReadAllBytes(CaptureFiles.PathOf("pcapng-gen_empty.pcap"));
        Gen.Byte.Array[0, 600].Sample(tail =>
        {
            ReadsOrRefuses([.. pcapng, .. tail], 4096);
            ReadsOrRefuses([.. pcap, .. tail], 4096);
        }, iter: 3000, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Nanoseconds_written_at_a_resolution_up_to_1_ns_read_back_unchanged()
    {
        Gen.Select(Gen.Long[0, 1L << 40], Gen.Int[0, 999_999_999], Gen.Byte[0, 9], Gen.Bool).Sample((seconds, ns, exponent, powerOfTwo) =>
        {
            byte resolution = powerOfTwo ? (byte)(0x80 | (exponent * 3)) : exponent;
            ulong tps = CaptureTime.TicksPerSecond(resolution);
            if (!CaptureTime.TryToTimestamp(((ulong)seconds * tps) + ((ulong)ns * tps / 1_000_000_000), tps, 0, out var read))
                return false;
            return CaptureTime.TryToTicks(read, tps, 0, out ulong ticks)
                && CaptureTime.TryToTimestamp(ticks, tps, 0, out var again)
                && again == read;
        }, iter: 20_000, seed: "0N0XIzNsQ0O2");
    }
}
