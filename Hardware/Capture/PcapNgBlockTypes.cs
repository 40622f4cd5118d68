namespace CoNdis.Hardware.Capture;

/// <summary>pcapng block type numbers (draft-ietf-opsawg-pcapng).</summary>
public static class PcapNgBlockTypes
{
    public const uint SectionHeader = 0x0A0D0D0A;
    public const uint InterfaceDescription = 1;
    public const uint ObsoletePacket = 2;
    public const uint SimplePacket = 3;
    public const uint NameResolution = 4;
    public const uint InterfaceStatistics = 5;
    public const uint EnhancedPacket = 6;
    public const uint DecryptionSecrets = 0x0A;
    public const uint Custom = 0x00000BAD;
    public const uint CustomNoCopy = 0x40000BAD;

    /// <summary>Block type 0 here means a record of a classic pcap file.</summary>
    public const uint PcapRecord = 0;
}
