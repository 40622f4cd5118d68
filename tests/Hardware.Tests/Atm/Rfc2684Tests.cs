using CoNdis.Hardware.Atm;
using Xunit;

namespace CoNdis.Hardware.Tests.Atm;

/// <summary>RFC 2684 headers: the octets of each encapsulation, and what the receiver accepts on a VC of each.</summary>
public sealed class Rfc2684Tests
{
    [Theory]
    [InlineData(Rfc2684Encapsulation.LlcSnapRouted, "AAAA03000000" + "0800")]
    [InlineData(Rfc2684Encapsulation.LlcSnapBridged, "AAAA030080C2" + "0007" + "0000")]
    [InlineData(Rfc2684Encapsulation.VcMuxBridged, "0000")]
    [InlineData(Rfc2684Encapsulation.VcMuxRouted, "")]
    [InlineData(Rfc2684Encapsulation.None, "")]
    public void Header_is_the_one_rfc_2684_gives_for_the_encapsulation(Rfc2684Encapsulation encapsulation, string hex)
    {
        var header = new byte[Rfc2684.MaximumHeaderLength];
        int length = Rfc2684.WriteHeader(encapsulation, Rfc2684.EtherTypeIPv4, header);
        Assert.Equal(hex, Convert.ToHexString(header, 0, length));
        Assert.Equal(length, Rfc2684.HeaderLength(encapsulation));
    }

    [Fact]
    public void An_llc_vc_takes_routed_and_bridged_pdus_and_names_the_ethertype()
    {
        var routed = Convert.FromHexString("AAAA03000000" + "86DD" + "60000000");
        Assert.Equal(Rfc2684Result.Routed, Rfc2684.Decapsulate(Rfc2684Encapsulation.LlcSnapRouted, routed, out int offset, out int length, out ushort type));
        Assert.Equal((8, 4, (ushort)0x86DD), (offset, length, type));

        var bridged = new byte[10 + 60];
        Rfc2684.WriteHeader(Rfc2684Encapsulation.LlcSnapBridged, 0, bridged);
        Assert.Equal(Rfc2684Result.Bridged, Rfc2684.Decapsulate(Rfc2684Encapsulation.LlcSnapRouted, bridged, out offset, out length, out _));
        Assert.Equal((10, 60), (offset, length));
    }

    [Fact]
    public void A_bridged_frame_with_its_fcs_kept_loses_the_fcs()
    {
        var sdu = new byte[10 + 64];
        Convert.FromHexString("AAAA030080C200010000").CopyTo(sdu, 0);
        Assert.Equal(Rfc2684Result.Bridged, Rfc2684.Decapsulate(Rfc2684Encapsulation.LlcSnapBridged, sdu, out int offset, out int length, out _));
        Assert.Equal((10, 60), (offset, length));
    }

    [Theory]
    [InlineData(Rfc2684Encapsulation.LlcSnapRouted, "FEFE03CC45000000")]   // an ISO NLPID PDU: not carried
    [InlineData(Rfc2684Encapsulation.LlcSnapRouted, "AAAA03000001080045")] // an unknown OUI
    [InlineData(Rfc2684Encapsulation.VcMuxBridged, "0102AABBCCDDEEFF")]     // no pad
    public void A_header_the_vc_does_not_carry_is_unsupported(Rfc2684Encapsulation encapsulation, string hex)
    {
        Assert.Equal(Rfc2684Result.Unsupported, Rfc2684.Decapsulate(encapsulation, Convert.FromHexString(hex), out _, out _, out _));
    }

    [Fact]
    public void A_routed_packet_without_a_named_protocol_is_ipv4_unless_its_version_says_6()
    {
        Assert.Equal(Rfc2684.EtherTypeIPv6, Rfc2684.EtherTypeOfIpPacket([0x60, 0, 0, 0]));
        Assert.Equal(Rfc2684.EtherTypeIPv4, Rfc2684.EtherTypeOfIpPacket([0x45, 0]));
    }
}
