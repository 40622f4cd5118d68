namespace CoNdis.Hardware.Links;

/// <summary>A capture holds frames of a link type the NIC cannot carry (the device carries Ethernet frames).</summary>
public sealed class UnsupportedLinkTypeException : Exception
{
    public UnsupportedLinkTypeException()
        : base("the capture's link type cannot be carried by the NIC")
    {
    }

    public UnsupportedLinkTypeException(string message)
        : base(message)
    {
    }

    public UnsupportedLinkTypeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UnsupportedLinkTypeException(int interfaceIndex, uint linkType, long packetNumber)
        : base($"packet {packetNumber} is on interface {interfaceIndex} with link type {linkType}; the NIC carries only link type 1 (ETHERNET)")
    {
        InterfaceIndex = interfaceIndex;
        LinkType = linkType;
        PacketNumber = packetNumber;
    }

    /// <summary>The capture interface the frame is on.</summary>
    public int InterfaceIndex { get; } = -1;

    /// <summary>Its link type as stored.</summary>
    public uint LinkType { get; }

    /// <summary>1-based number of the first such packet.</summary>
    public long PacketNumber { get; }
}
