using System.Buffers.Binary;
using CoNdis.NetBufferCore.Info;

namespace Condis.Cli;

/// <summary>
/// The traffic of <c>condis demo</c>: Ethernet frames of 64 to 1514 bytes (IPv4 with UDP or TCP, seeded, so every run
/// sends the same bytes), one in four with an 802.1Q tag, one in three asking the NIC to fill the IPv4, TCP and UDP
/// checksums (those are sent with zeros there). <see cref="Expected"/> is each frame as it must arrive: tagged as sent,
/// checksums computed here, independently of the NIC.
/// </summary>
internal sealed class DemoTraffic
{
    public DemoTraffic(int count, int seed = 15)
    {
        var random = new Random(seed);
        Expected = new byte[count][];
        ToSend = new byte[count][];
        ChecksumRequests = new uint[count];
        for (int i = 0; i < count; i++)
        {
            bool tagged = i % 4 == 1;
            bool offload = i % 3 == 2;
            bool tcp = i % 2 == 0;
            int length = i % 7 == 0 ? 1514 : i % 5 == 0 ? 64 : random.Next(64, 1515);
            var frame = new byte[length];
            Build(frame, random, tagged, tcp, (ushort)(100 + (i % 3)), (byte)(i % 8));
            Expected[i] = frame;
            var send = (byte[])frame.Clone();
            if (offload)
            {
                int ip = tagged ? 18 : 14;
                send[ip + 10] = 0;
                send[ip + 11] = 0;
                int l4 = ip + 20 + (tcp ? 16 : 6);
                send[l4] = 0;
                send[l4 + 1] = 0;
                var request = new TcpIpChecksumInfo { IsIPv4 = true, IpHeaderChecksum = true, TcpChecksum = tcp, UdpChecksum = !tcp };
                ChecksumRequests[i] = request.Value;
                OffloadCount++;
            }

            if (tagged)
                TaggedCount++;
            ToSend[i] = send;
        }
    }

    /// <summary>Each frame as it must come out of the data path.</summary>
    public byte[][] Expected { get; }

    /// <summary>Each frame as the client sends it (zero checksums where it asks for offload).</summary>
    public byte[][] ToSend { get; }

    /// <summary>TcpIpChecksumNetBufferListInfo transmit bits per frame (0: none).</summary>
    public uint[] ChecksumRequests { get; }

    public int TaggedCount { get; }

    public int OffloadCount { get; }

    public int Count => Expected.Length;

    private static void Build(byte[] frame, Random random, bool tagged, bool tcp, ushort vlan, byte priority)
    {
        random.NextBytes(frame);
        frame[0] = 0x02; // locally administered unicast addresses
        frame[6] = 0x02;
        int at = 12;
        if (tagged)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x8100);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), (ushort)((priority << 13) | vlan));
            at = 16;
        }

        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at), 0x0800);
        int ip = at + 2;
        int total = frame.Length - ip;
        var header = frame.AsSpan(ip, 20);
        header[0] = 0x45;
        header[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)total);
        header[6] = 0x40; // don't fragment
        header[7] = 0;
        header[8] = 64;
        header[9] = (byte)(tcp ? 6 : 17);
        header[10] = 0;
        header[11] = 0;
        header[12] = 10; // 10.0.0.0/8 addresses
        header[16] = 10;
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], Fold(Sum(header, 0)));
        var l4 = frame.AsSpan(ip + 20);
        if (tcp)
        {
            l4[12] = 0x50; // data offset 5 words
            l4[13] = 0x18; // PSH, ACK
            l4[16] = 0;
            l4[17] = 0;
            l4[18] = 0;
            l4[19] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(l4[16..], Fold(Sum(l4, Pseudo(header, 6, l4.Length))));
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(l4[4..], (ushort)l4.Length);
            l4[6] = 0;
            l4[7] = 0;
            ushort sum = Fold(Sum(l4, Pseudo(header, 17, l4.Length)));
            BinaryPrimitives.WriteUInt16BigEndian(l4[6..], sum == 0 ? (ushort)0xFFFF : sum);
        }
    }

    private static uint Pseudo(ReadOnlySpan<byte> ip, byte protocol, int length) =>
        Sum(ip.Slice(12, 8), 0) + protocol + (uint)length;

    /// <summary>RFC 1071: the one's complement sum of big-endian 16-bit words, an odd last byte padded with zero.</summary>
    private static uint Sum(ReadOnlySpan<byte> data, uint seed)
    {
        ulong sum = seed;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
            sum += (uint)((data[i] << 8) | data[i + 1]);
        if (i < data.Length)
            sum += (uint)(data[i] << 8);
        while (sum >> 16 != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (uint)sum;
    }

    private static ushort Fold(uint sum)
    {
        while (sum >> 16 != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
