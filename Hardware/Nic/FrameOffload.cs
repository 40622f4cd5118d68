using System.Buffers.Binary;

namespace CoNdis.Hardware.Nic;

/// <summary>
/// What the NIC's offload engine does to frame bytes in its FIFO: finds the IPv4/IPv6 header and the TCP/UDP header
/// behind Ethernet (and any 802.1Q/802.1ad tags), computes the Internet checksum (RFC 1071) to insert it on transmit
/// or to verify it on receive, and inserts or strips an 802.1Q tag. Frames it cannot parse are left alone.
/// </summary>
internal static class FrameOffload
{
    public const int MacAddressesLength = 12;
    public const int VlanTagLength = 4;
    public const ushort Ieee8021QTpid = 0x8100;
    public const ushort Ieee8021AdTpid = 0x88A8;
    private const ushort EtherTypeIPv4 = 0x0800;
    private const ushort EtherTypeIPv6 = 0x86DD;
    private const byte ProtocolTcp = 6;
    private const byte ProtocolUdp = 17;

    /// <summary>Where the IP and transport headers of a frame are.</summary>
    public readonly record struct Layout(bool IsIPv4, bool IsIPv6, int IpOffset, int IpHeaderLength, byte Transport, int TransportOffset, int TransportLength)
    {
        public bool HasTransport => TransportOffset > 0;
    }

    /// <summary>Parses Ethernet (tags skipped), IPv4 or IPv6 (hop-by-hop, routing and destination options skipped).</summary>
    public static Layout Parse(ReadOnlySpan<byte> frame)
    {
        int at = MacAddressesLength;
        if (frame.Length < at + 2)
            return default;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
        while (type is Ieee8021QTpid or Ieee8021AdTpid)
        {
            at += VlanTagLength;
            if (frame.Length < at + 2)
                return default;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
        }
        int ip = at + 2;
        if (type == EtherTypeIPv4)
        {
            if (frame.Length < ip + 20 || (frame[ip] >> 4) != 4)
                return default;
            int headerLength = (frame[ip] & 0x0F) * 4;
            int total = BinaryPrimitives.ReadUInt16BigEndian(frame[(ip + 2)..]);
            if (headerLength < 20 || frame.Length < ip + headerLength)
                return default;
            if (total < headerLength || frame.Length < ip + total)
                return new Layout(true, false, ip, headerLength, 0, 0, 0); // the header checks, the payload is cut or lies
            ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(frame[(ip + 6)..]);
            bool fragmented = (fragment & 0x3FFF) != 0; // MF set or an offset: the transport checksum covers other fragments too
            byte protocol = frame[ip + 9];
            if (fragmented || protocol is not (ProtocolTcp or ProtocolUdp))
                return new Layout(true, false, ip, headerLength, 0, 0, 0);
            return new Layout(true, false, ip, headerLength, protocol, ip + headerLength, total - headerLength);
        }
        if (type == EtherTypeIPv6)
        {
            if (frame.Length < ip + 40 || (frame[ip] >> 4) != 6)
                return default;
            int payload = BinaryPrimitives.ReadUInt16BigEndian(frame[(ip + 4)..]);
            if (payload == 0 || frame.Length < ip + 40 + payload)
                return new Layout(false, true, ip, 40, 0, 0, 0);
            byte next = frame[ip + 6];
            int header = ip + 40;
            int end = ip + 40 + payload;
            while (next is 0 or 43 or 60)
            {
                if (header + 8 > end)
                    return new Layout(false, true, ip, 40, 0, 0, 0);
                byte following = frame[header];
                header += (frame[header + 1] + 1) * 8;
                next = following;
            }
            if (next is not (ProtocolTcp or ProtocolUdp) || header >= end)
                return new Layout(false, true, ip, 40, 0, 0, 0);
            return new Layout(false, true, ip, 40, next, header, end - header);
        }
        return default;
    }

    /// <summary>Offset of the checksum field inside the transport header.</summary>
    public static int TransportChecksumOffset(byte transport) => transport == ProtocolTcp ? 16 : 6;

    public static bool IsTcp(byte transport) => transport == ProtocolTcp;

    public static bool IsUdp(byte transport) => transport == ProtocolUdp;

    /// <summary>Computes and writes the IPv4 header checksum; false when there is no IPv4 header.</summary>
    public static bool InsertIpChecksum(Span<byte> frame, in Layout layout)
    {
        if (!layout.IsIPv4 || layout.IpHeaderLength == 0)
            return false;
        var header = frame.Slice(layout.IpOffset, layout.IpHeaderLength);
        header[10] = 0;
        header[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], Fold(Sum(header, 0)));
        return true;
    }

    /// <summary>True when the IPv4 header checksum is right.</summary>
    public static bool VerifyIpChecksum(ReadOnlySpan<byte> frame, in Layout layout) =>
        Fold(Sum(frame.Slice(layout.IpOffset, layout.IpHeaderLength), 0)) == 0;

    /// <summary>Computes and writes the TCP or UDP checksum (pseudo-header included); false when there is none to write.</summary>
    public static bool InsertTransportChecksum(Span<byte> frame, in Layout layout)
    {
        if (!layout.HasTransport || layout.TransportLength < (IsTcp(layout.Transport) ? 20 : 8))
            return false;
        var segment = frame.Slice(layout.TransportOffset, layout.TransportLength);
        int field = TransportChecksumOffset(layout.Transport);
        segment[field] = 0;
        segment[field + 1] = 0;
        ushort checksum = Fold(Sum(segment, PseudoHeaderSum(frame, layout)));
        if (checksum == 0 && IsUdp(layout.Transport))
            checksum = 0xFFFF; // RFC 768: a computed zero is sent as all ones
        BinaryPrimitives.WriteUInt16BigEndian(segment[field..], checksum);
        return true;
    }

    /// <summary>
    /// Verifies the TCP or UDP checksum: true (good), false (bad), null (not checked: no transport header, or a UDP
    /// checksum of zero over IPv4, which means "none").
    /// </summary>
    public static bool? VerifyTransportChecksum(ReadOnlySpan<byte> frame, in Layout layout)
    {
        if (!layout.HasTransport || layout.TransportLength < (IsTcp(layout.Transport) ? 20 : 8))
            return null;
        var segment = frame.Slice(layout.TransportOffset, layout.TransportLength);
        if (IsUdp(layout.Transport) && layout.IsIPv4 && segment[6] == 0 && segment[7] == 0)
            return null;
        return Fold(Sum(segment, PseudoHeaderSum(frame, layout))) == 0;
    }

    /// <summary>The 16-bit TCI of an 802.1Q tag at the MAC addresses' end, or null when the frame is not 802.1Q-tagged.</summary>
    public static ushort? ReadVlanTag(ReadOnlySpan<byte> frame) =>
        frame.Length >= MacAddressesLength + VlanTagLength + 2 && BinaryPrimitives.ReadUInt16BigEndian(frame[MacAddressesLength..]) == Ieee8021QTpid
            ? BinaryPrimitives.ReadUInt16BigEndian(frame[(MacAddressesLength + 2)..])
            : null;

    private static uint PseudoHeaderSum(ReadOnlySpan<byte> frame, in Layout layout)
    {
        uint sum;
        if (layout.IsIPv4)
        {
            sum = Sum(frame.Slice(layout.IpOffset + 12, 8), 0);
        }
        else
        {
            sum = Sum(frame.Slice(layout.IpOffset + 8, 32), 0);
        }
        sum += layout.Transport;
        sum += (uint)layout.TransportLength & 0xFFFF;
        sum += (uint)layout.TransportLength >> 16;
        return sum;
    }

    /// <summary>One's complement sum of big-endian 16-bit words (an odd last byte padded with zero), added to <paramref name="seed"/>.</summary>
    public static uint Sum(ReadOnlySpan<byte> data, uint seed)
    {
        ulong sum = seed;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            ulong word = BinaryPrimitives.ReadUInt64BigEndian(data[i..]);
            sum += (word >> 48) + ((word >> 32) & 0xFFFF) + ((word >> 16) & 0xFFFF) + (word & 0xFFFF);
        }
        for (; i + 2 <= data.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length)
            sum += (uint)data[i] << 8;
        while ((sum >> 32) != 0)
            sum = (sum & 0xFFFFFFFF) + (sum >> 32);
        return (uint)((sum & 0xFFFF) + (sum >> 16));
    }

    /// <summary>Folds a sum to 16 bits and complements it.</summary>
    public static ushort Fold(uint sum)
    {
        while ((sum >> 16) != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
