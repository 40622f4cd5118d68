using CoNdis.Hardware.Atm;
using CsCheck;
using Xunit;

namespace CoNdis.Hardware.Tests.Atm;

/// <summary>
/// The UNI cell header and its HEC (ITU-T I.432.1 §4.3): the published header patterns, single-bit correction at every
/// one of the 40 positions, discard of multi-bit errors, and the receiver's correction/detection modes.
/// </summary>
public sealed class CellAndHecTests
{
    /// <summary>
    /// ITU-T I.432.1, the header pattern for idle cell identification (cell rate decoupling): octets 00000000 00000000
    /// 00000000 00000001 with HEC 01010010 (0x52). The unassigned cell header of I.361 (all four octets zero) has the
    /// bare coset as its HEC, 01010101 (0x55): the remainder of zero is zero.
    /// </summary>
    [Theory]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x01 }, 0x52)]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00 }, 0x55)]
    public void Hec_matches_the_header_patterns_published_in_I_432_1(byte[] header, int hec)
    {
        Assert.Equal((byte)hec, AtmHec.Compute(header));
    }

    [Fact]
    public void Hec_equals_a_bitwise_long_division_by_x8_x2_x_1_plus_the_coset_for_any_header()
    {
        Gen.UInt.Sample(word =>
        {
            // x^8 * M(x) mod (x^8 + x^2 + x + 1), bit by bit over the 32 header bits, most significant first.
            uint register = 0;
            for (int bit = 31; bit >= 0; bit--)
            {
                uint top = (register >> 7) & 1;
                register = ((register << 1) & 0xFF) ^ ((top ^ ((word >> bit) & 1)) != 0 ? 0x07u : 0u);
            }
            var header = new byte[] { (byte)(word >> 24), (byte)(word >> 16), (byte)(word >> 8), (byte)word };
            Assert.Equal((byte)(register ^ 0x55), AtmHec.Compute(header));
        });
    }

    [Fact]
    public void A_single_bit_error_anywhere_in_the_40_header_bits_is_found_and_corrected()
    {
        var header = new byte[5];
        new AtmCellHeader(0x12, 0x3456, AtmPayloadType.UserDataEndOfPdu, true, 0xA).Write(header);
        for (int bit = 0; bit < 40; bit++)
        {
            var damaged = (byte[])header.Clone();
            damaged[bit >> 3] ^= (byte)(0x80 >> (bit & 7));
            Assert.Equal(HecCheckResult.SingleBitError, AtmHec.Check(damaged, correct: true, out int found));
            Assert.Equal(bit, found);
            Assert.Equal(header, damaged);
        }
    }

    [Fact]
    public void A_double_bit_error_is_never_taken_for_a_valid_header()
    {
        var header = new byte[5];
        new AtmCellHeader(0, 32, AtmPayloadType.UserData).Write(header);
        for (int a = 0; a < 40; a++)
        {
            for (int b = a + 1; b < 40; b++)
            {
                var damaged = (byte[])header.Clone();
                damaged[a >> 3] ^= (byte)(0x80 >> (a & 7));
                damaged[b >> 3] ^= (byte)(0x80 >> (b & 7));
                // A distance-4 code detects every double error; some look like a single error elsewhere, none like no error.
                Assert.NotEqual(HecCheckResult.Valid, AtmHec.Check(damaged, correct: false, out _));
            }
        }
    }

    [Fact]
    public void Receiver_corrects_one_error_then_in_detection_mode_discards_errored_cells_until_a_clean_one()
    {
        var receiver = new HecReceiver();
        byte[] Cell(bool damage)
        {
            var cell = new byte[AtmCell.Length];
            new AtmCellHeader(1, 100).Write(cell);
            if (damage)
                cell[2] ^= 0x10;
            return cell;
        }

        Assert.Equal(HecVerdict.Corrected, receiver.Accept(Cell(damage: true)));
        Assert.False(receiver.CorrectionMode);
        Assert.Equal(HecVerdict.Discarded, receiver.Accept(Cell(damage: true)));
        Assert.Equal(HecVerdict.Accepted, receiver.Accept(Cell(damage: false)));
        Assert.True(receiver.CorrectionMode);
        Assert.Equal(HecVerdict.Corrected, receiver.Accept(Cell(damage: true)));
        Assert.Equal((1L, 2L, 1L), (receiver.Valid, receiver.Corrected, receiver.Discarded));
    }

    [Fact]
    public void Receiver_in_correction_mode_discards_a_multi_bit_error_and_switches_to_detection()
    {
        var receiver = new HecReceiver();
        var cell = new byte[AtmCell.Length];
        new AtmCellHeader(0, 5).Write(cell);
        cell[0] ^= 0x03;
        cell[3] ^= 0x40;
        cell[4] ^= 0x01;
        Assert.Equal(HecVerdict.Discarded, receiver.Accept(cell));
        Assert.False(receiver.CorrectionMode);
    }

    [Fact]
    public void Header_fields_round_trip_through_the_uni_layout()
    {
        Gen.Select(Gen.Int[0, 255], Gen.Int[0, 65535], Gen.Int[0, 7], Gen.Bool, Gen.Int[0, 15]).Sample((vpi, vci, pti, clp, gfc) =>
        {
            var header = new AtmCellHeader(vpi, vci, (AtmPayloadType)pti, clp, gfc);
            var bytes = new byte[5];
            header.Write(bytes);
            Assert.Equal(header, AtmCellHeader.Read(bytes));
            Assert.Equal(HecCheckResult.Valid, AtmHec.Check(bytes, false, out _));
            Assert.Equal(gfc, bytes[0] >> 4);
            Assert.Equal(vpi, ((bytes[0] & 0xF) << 4) | (bytes[1] >> 4));
            Assert.Equal(vci, ((bytes[1] & 0xF) << 12) | (bytes[2] << 4) | (bytes[3] >> 4));
            Assert.Equal(pti, (bytes[3] >> 1) & 7);
            Assert.Equal(clp, (bytes[3] & 1) == 1);
        });
    }

    [Fact]
    public void Header_field_out_of_range_is_an_argument_error_naming_the_field()
    {
        Assert.Equal("vpi", Assert.Throws<ArgumentOutOfRangeException>(() => new AtmCellHeader(256, 1)).ParamName);
        Assert.Equal("vci", Assert.Throws<ArgumentOutOfRangeException>(() => new AtmCellHeader(0, 65536)).ParamName);
    }
}
