namespace CoNdis.Hardware.Tests.Nic;

/// <summary>
/// The tests' own reading of a frame's IP and transport headers and the RFC 1071 Internet checksum, written
/// separately from the NIC's offload engine (byte by byte, no shortcuts) so that what the NIC writes or reports is
/// judged against an independent computation.
/// </summary>
internal static class IndependentChecksums
{
    internal sealed record Headers(bool V4, int Ip, int IpLength, int Transport, int TransportLength, byte Protocol);

    /// <summary>Finds IPv4/IPv6 and TCP/UDP behind Ethernet and any 0x8100/0x88a8 tags; null when there is nothing to checksum.</summary>
    public static Headers? Find(byte[] frame)
    {
        int at = 12;
        while (at + 2 <= frame.Length && (Word(frame, at) == 0x8100 || Word(frame, at) == 0x88A8))
            at += 4;
        if (at + 2 > frame.Length)
            return null;
        int type = Word(frame, at);
        int ip = at + 2;
        if (type == 0x0800 && ip + 20 <= frame.Length && frame[ip] >> 4 == 4)
        {
            int ihl = (frame[ip] & 15) * 4;
            int total = Word(frame, ip + 2);
            if (ihl < 20 || total < ihl || ip + total > frame.Length)
                return ip + ihl <= frame.Length && ihl >= 20 ? new Headers(true, ip, ihl, 0, 0, 0) : null;
            bool fragment = (Word(frame, ip + 6) & 0x3FFF) != 0;
            byte protocol = frame[ip + 9];
            if (fragment || (protocol != 6 && protocol != 17))
                return new Headers(true, ip, ihl, 0, 0, 0);
            return new Headers(true, ip, ihl, ip + ihl, total - ihl, protocol);
        }
        if (type == 0x86DD && ip + 40 <= frame.Length && frame[ip] >> 4 == 6)
        {
            int payload = Word(frame, ip + 4);
            if (payload == 0 || ip + 40 + payload > frame.Length)
                return null;
            int next = frame[ip + 6];
            int header = ip + 40;
            while (next is 0 or 43 or 60)
            {
                if (header + 8 > ip + 40 + payload)
                    return null;
                next = frame[header];
                header += (frame[header + 1] + 1) * 8;
            }
            if (next != 6 && next != 17 || header >= ip + 40 + payload)
                return null;
            return new Headers(false, ip, 40, header, ip + 40 + payload - header, (byte)next);
        }
        return null;
    }

    public static int TransportField(Headers h) => h.Transport + (h.Protocol == 6 ? 16 : 6);

    /// <summary>The IPv4 header checksum as it should be (computed with the field taken as zero).</summary>
    public static ushort Ipv4Header(byte[] frame, Headers h)
    {
        uint sum = 0;
        for (int i = 0; i < h.IpLength; i += 2)
        {
            if (i == 10)
                continue;
            sum += (uint)(frame[h.Ip + i] << 8 | frame[h.Ip + i + 1]);
        }
        return Complement(sum);
    }

    /// <summary>The TCP/UDP checksum as it should be (pseudo-header, field taken as zero; UDP's 0 sent as 0xFFFF).</summary>
    public static ushort Transport(byte[] frame, Headers h)
    {
        uint sum = 0;
        if (h.V4)
        {
            for (int i = 12; i < 20; i += 2)
                sum += (uint)(frame[h.Ip + i] << 8 | frame[h.Ip + i + 1]);
        }
        else
        {
            for (int i = 8; i < 40; i += 2)
                sum += (uint)(frame[h.Ip + i] << 8 | frame[h.Ip + i + 1]);
        }
        sum += h.Protocol;
        sum += (uint)(h.TransportLength >> 16) + (uint)(h.TransportLength & 0xFFFF);
        int field = TransportField(h) - h.Transport;
        for (int i = 0; i < h.TransportLength; i++)
        {
            if (i == field || i == field + 1)
                continue;
            sum += i % 2 == 0 ? (uint)frame[h.Transport + i] << 8 : frame[h.Transport + i];
        }
        ushort checksum = Complement(sum);
        return checksum == 0 && h.Protocol == 17 ? (ushort)0xFFFF : checksum;
    }

    public static int Word(byte[] frame, int at) => frame[at] << 8 | frame[at + 1];

    private static ushort Complement(uint sum)
    {
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
