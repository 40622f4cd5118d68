using System.Buffers.Binary;
using CoNdis.Hardware.Atm;
using CsCheck;
using Xunit;

namespace CoNdis.Hardware.Tests.Atm;

/// <summary>
/// AAL5 CPCS (ITU-T I.363.5): the CRC-32 against the example CPCS-PDUs of I.363, padding and trailer, the receiver's
/// length and CRC checks and the abort, and segmentation/reassembly round trips with cells lost and corrupted.
/// </summary>
public sealed class Aal5Tests
{
    /// <summary>
    /// The three example single-cell CPCS-PDUs of ITU-T I.363 (CPCS-UU 0, CPI 0, Length 40, as reproduced on the
    /// cell-relay list, 24 Oct 1994, and in its ATM FAQ F3): 40 octets of 0x00 give CRC-32 864D7F99, 40 octets of
    /// 0xFF give C55E457A, octets 0x01..0x28 give BF671ED0; and the list's own fourth case, 0x01..0x28 with UU 0x11
    /// and CPI 0x22, gives ACBA602A.
    /// </summary>
    [Theory]
    [InlineData(0x00, false, 0x00, 0x00, 0x864D7F99u)]
    [InlineData(0xFF, false, 0x00, 0x00, 0xC55E457Au)]
    [InlineData(0x00, true, 0x00, 0x00, 0xBF671ED0u)]
    [InlineData(0x00, true, 0x11, 0x22, 0xACBA602Au)]
    public void Crc32_matches_the_example_pdus_of_I_363(int fill, bool counting, int uu, int cpi, uint crc)
    {
        var sdu = new byte[40];
        for (int i = 0; i < sdu.Length; i++)
            sdu[i] = counting ? (byte)(i + 1) : (byte)fill;
        var pdu = new byte[48];
        Assert.Equal(48, Aal5.BuildPdu(sdu, pdu, (byte)uu, (byte)cpi));
        Assert.Equal(crc, BinaryPrimitives.ReadUInt32BigEndian(pdu.AsSpan(44)));
        Assert.Equal(new byte[] { (byte)uu, (byte)cpi, 0x00, 0x28 }, pdu[40..44]);
        // I.363.5: the register run over the whole PDU, CRC included, leaves the remainder C704DD7B.
        Assert.Equal(Aal5Crc32.Residue, Aal5Crc32.Update(Aal5Crc32.Initial, pdu));
        Assert.Equal(Aal5Status.Valid, Aal5.Check(pdu, out int length));
        Assert.Equal(40, length);
    }

    [Fact]
    public void Crc32_is_the_msb_first_ethernet_polynomial_preset_to_ones_and_complemented()
    {
        // The common check value of this CRC (CRC-32/BZIP2): "123456789" → FC891918.
        Assert.Equal(0xFC891918u, Aal5Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Crc32_eight_octets_a_step_equals_the_bitwise_division_and_can_run_in_pieces()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, 300]).Sample((data, cut) =>
        {
            uint register = Aal5Crc32.Initial;
            foreach (byte octet in data)
            {
                register ^= (uint)octet << 24;
                for (int bit = 0; bit < 8; bit++)
                    register = (register & 0x80000000) != 0 ? (register << 1) ^ Aal5Crc32.Polynomial : register << 1;
            }
            Assert.Equal(register, Aal5Crc32.Update(Aal5Crc32.Initial, data));
            int at = Math.Min(cut, data.Length);
            Assert.Equal(register, Aal5Crc32.Update(Aal5Crc32.Update(Aal5Crc32.Initial, data.AsSpan(0, at)), data.AsSpan(at)));
        });
    }

    [Theory]
    [InlineData(1, 48, 39)]
    [InlineData(40, 48, 0)]
    [InlineData(41, 96, 47)]
    [InlineData(88, 96, 0)]
    [InlineData(9180, 9216, 28)]
    [InlineData(65535, 65568, 25)]
    public void Pdu_is_the_sdu_padded_with_zeros_so_that_the_trailer_ends_a_cell(int sduLength, int pduLength, int pad)
    {
        var sdu = Enumerable.Repeat((byte)0xEE, sduLength).ToArray();
        var pdu = new byte[Aal5.MaximumPduLength];
        Assert.Equal(pduLength, Aal5.BuildPdu(sdu, pdu));
        Assert.True(pdu.AsSpan(sduLength, pad).IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal(sduLength, BinaryPrimitives.ReadUInt16BigEndian(pdu.AsSpan(pduLength - 6)));
    }

    [Fact]
    public void Receiver_discards_a_pdu_with_one_flipped_bit_as_a_crc_error()
    {
        Gen.Select(Gen.Int[1, 2000], Gen.Int[0, int.MaxValue]).Sample((length, at) =>
        {
            var pdu = new byte[Aal5.PduLength(length)];
            Aal5.BuildPdu(new byte[length], pdu);
            int bit = at % (pdu.Length * 8);
            pdu[bit >> 3] ^= (byte)(1 << (bit & 7));
            Assert.Equal(Aal5Status.CrcError, Aal5.Check(pdu, out _));
        });
    }

    [Fact]
    public void Receiver_refuses_a_length_field_that_does_not_fit_the_pdu()
    {
        var pdu = new byte[96];
        Aal5.BuildPdu(new byte[50], pdu);
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(96 - 6), 20); // 68 octets of pad: more than a cell
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(92), Aal5Crc32.Compute(pdu.AsSpan(0, 92)));
        Assert.Equal(Aal5Status.LengthError, Aal5.Check(pdu, out _));
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(96 - 6), 89); // more than the PDU holds
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(92), Aal5Crc32.Compute(pdu.AsSpan(0, 92)));
        Assert.Equal(Aal5Status.LengthError, Aal5.Check(pdu, out _));
    }

    [Fact]
    public void An_empty_sdu_is_the_abort_pdu_and_is_discarded()
    {
        var pdu = new byte[48];
        Assert.Equal(48, Aal5.BuildPdu([], pdu));
        Assert.Equal(Aal5Status.Aborted, Aal5.Check(pdu, out _));
    }

    [Fact]
    public void Reassembler_discards_a_pdu_longer_than_the_maximum_sdu_and_resumes_at_the_next()
    {
        var reassembler = new Aal5Reassembler(100, TimeSpan.Zero);
        var big = Segment(new byte[500]);
        var small = Segment(Enumerable.Range(0, 60).Select(i => (byte)i).ToArray());
        var results = Feed(reassembler, big.Concat(small), 0);
        Assert.Equal([Aal5Status.Oversize, Aal5Status.Valid], results.Select(r => r.Status));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (byte)i), results[1].Sdu!);
    }

    [Fact]
    public void Reassembler_drops_a_partial_pdu_older_than_the_timeout()
    {
        var reassembler = new Aal5Reassembler(9180, TimeSpan.FromMilliseconds(10));
        var cells = Segment(new byte[200]);
        Assert.Null(reassembler.Accept(Payload(cells[0]), false, 0, out _, out _));
        Assert.False(reassembler.Expire(10_000_000));
        Assert.True(reassembler.Expire(10_000_001));
        Assert.False(reassembler.InProgress);

        Assert.Null(reassembler.Accept(Payload(cells[0]), false, 0, out _, out _));
        var fresh = Segment(new byte[10]);
        var status = reassembler.Accept(Payload(fresh[0]), true, 20_000_000, out var sdu, out bool timedOut);
        Assert.True(timedOut);
        Assert.Equal(Aal5Status.Valid, status);
        Assert.Equal(10, sdu.Length);
    }

    /// <summary>
    /// Random SDUs of 0–65535 octets are built, segmented into cells, some cells lost and some corrupted, and
    /// reassembled: every SDU delivered is one that was sent, in order; every SDU whose cells all arrived intact, and
    /// whose predecessor's last cell arrived, is delivered; the others are counted as CRC, length, oversize or abort
    /// errors; an empty SDU is an abort.
    /// </summary>
    [Fact]
    public void Sar_round_trip_over_random_sdu_sizes_with_cell_loss_and_corruption()
    {
        var sizes = Gen.Frequency((4, Gen.Int[0, 2000]), (1, Gen.Int[0, 65535]), (1, Gen.Const(0)), (1, Gen.Const(65535)));
        var gen = Gen.Select(sizes.Array[1, 6], Gen.Double[0, 0.02], Gen.Double[0, 0.02], Gen.Int);
        gen.Sample((lengths, lossRate, corruptRate, seed) =>
        {
            var random = new Random(seed);
            var reassembler = new Aal5Reassembler(Aal5.MaximumSduLength, TimeSpan.Zero);
            var sent = lengths.Select(n => { var b = new byte[n]; random.NextBytes(b); return b; }).ToArray();
            var delivered = new List<byte[]>();
            var expected = new List<byte[]>();
            int errors = 0, aborts = 0;
            bool previousEndArrived = true;
            foreach (var sdu in sent)
            {
                bool intact = true, endArrived = true;
                var cells = Segment(sdu);
                for (int c = 0; c < cells.Count; c++)
                {
                    bool last = c == cells.Count - 1;
                    if (random.NextDouble() < lossRate)
                    {
                        intact = false;
                        if (last)
                            endArrived = false;
                        continue;
                    }
                    var payload = Payload(cells[c]).ToArray();
                    if (random.NextDouble() < corruptRate)
                    {
                        payload[random.Next(48)] ^= (byte)random.Next(1, 256);
                        intact = false;
                    }
                    var status = reassembler.Accept(payload, last, 0, out var got, out _);
                    if (status == Aal5Status.Valid)
                        delivered.Add(got.ToArray());
                    else if (status == Aal5Status.Aborted)
                        aborts++;
                    else if (status is not null)
                        errors++;
                }
                if (intact && previousEndArrived && sdu.Length > 0)
                    expected.Add(sdu);
                previousEndArrived = endArrived;
            }
            // Soundness: nothing delivered that was not sent, and in order.
            int cursor = 0;
            foreach (var got in delivered)
            {
                while (cursor < sent.Length && !sent[cursor].AsSpan().SequenceEqual(got))
                    cursor++;
                Assert.True(cursor < sent.Length, "an SDU was delivered that was never sent (or out of order)");
                cursor++;
            }
            // Completeness: every intact SDU arrived.
            foreach (var sdu in expected)
                Assert.Contains(delivered, d => d.AsSpan().SequenceEqual(sdu));
            if (lossRate == 0 && corruptRate == 0)
            {
                Assert.Equal(sent.Count(s => s.Length > 0), delivered.Count);
                Assert.Equal(sent.Count(s => s.Length == 0), aborts);
                Assert.Equal(0, errors);
            }
        }, iter: 60);
    }

    private static List<byte[]> Segment(byte[] sdu)
    {
        var pdu = new byte[Aal5.PduLength(sdu.Length)];
        Aal5.BuildPdu(sdu, pdu);
        var cells = new byte[pdu.Length / 48 * AtmCell.Length];
        int count = AtmCell.Segment(pdu, 0, 32, cells);
        return Enumerable.Range(0, count).Select(i => cells.AsSpan(i * AtmCell.Length, AtmCell.Length).ToArray()).ToList();
    }

    private static ReadOnlySpan<byte> Payload(byte[] cell) => AtmCell.Payload(cell);

    private static List<(Aal5Status Status, byte[]? Sdu)> Feed(Aal5Reassembler reassembler, IEnumerable<byte[]> cells, long now)
    {
        var results = new List<(Aal5Status, byte[]?)>();
        foreach (var cell in cells)
        {
            var header = AtmCellHeader.Read(cell);
            var status = reassembler.Accept(AtmCell.Payload(cell), header.IsEndOfPdu, now, out var sdu, out _);
            if (status is { } s)
                results.Add((s, s == Aal5Status.Valid ? sdu.ToArray() : null));
        }
        return results;
    }
}
