using System.Buffers.Binary;

namespace CoNdis.Hardware.Tests.Atm;

/// <summary>IPv4/UDP packets and Ethernet frames with correct checksums, for captures tshark decodes down to UDP.</summary>
internal static class AtmTestFrames
{
    /// <summary>An IPv4/UDP packet from 10.0.0.<paramref name="from"/> to 10.0.0.<paramref name="to"/>, ports and payload given.</summary>
    public static byte[] Udp(int from, int to, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload, ushort id = 1)
    {
        var packet = new byte[20 + 8 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), id);
        packet[8] = 64;
        packet[9] = 17;
        packet[12] = 10; packet[15] = (byte)from;
        packet[16] = 10; packet[19] = (byte)to;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum(packet.AsSpan(0, 20), 0));
        var udp = packet.AsSpan(20);
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(udp[8..]);
        uint pseudo = (uint)((packet[12] << 8 | packet[13]) + (packet[14] << 8 | packet[15]) + (packet[16] << 8 | packet[17]) + (packet[18] << 8 | packet[19]) + 17 + udp.Length);
        ushort sum = Checksum(udp, pseudo);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], sum == 0 ? (ushort)0xFFFF : sum);
        return packet;
    }

    /// <summary>An Ethernet II frame around <paramref name="packet"/> (EtherType IPv4).</summary>
    public static byte[] Ethernet(byte[] packet, byte host = 1, ushort etherType = 0x0800)
    {
        var frame = new byte[14 + packet.Length];
        new byte[] { 0x02, 0, 0, 0, 0, (byte)(host ^ 3) }.CopyTo(frame, 0);
        new byte[] { 0x02, 0, 0, 0, 0, host }.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        packet.CopyTo(frame, 14);
        return frame;
    }

    /// <summary>A payload of <paramref name="length"/> bytes from <paramref name="seed"/>.</summary>
    public static byte[] Payload(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static ushort Checksum(ReadOnlySpan<byte> data, uint sum)
    {
        for (int i = 0; i + 1 < data.Length; i += 2)
            sum += (uint)(data[i] << 8 | data[i + 1]);
        if ((data.Length & 1) != 0)
            sum += (uint)(data[^1] << 8);
        while (sum >> 16 != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
