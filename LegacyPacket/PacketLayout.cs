namespace CoNdis.LegacyPacket;

/// <summary>
/// Byte sizes of the NDIS 5 descriptor as ndis.h lays it out for the running pointer size
/// (NDIS_PACKET and NDIS_PACKET_OOB_DATA structures, NDIS 5.1 reference). Only NdisPacketSize and
/// NdisPacketOobOffset expose them; the placement of the OOB
/// block right after ProtocolReserved (8-byte aligned) is the model's choice (not documented).
/// </summary>
internal static class PacketLayout
{
    private static readonly int s_pointer = IntPtr.Size;

    /// <summary>sizeof(NDIS_PACKET_PRIVATE): UINT, UINT, 3 pointers, UINT, ULONG, BOOLEAN, UCHAR, USHORT, pointer-aligned.</summary>
    public static int PrivateSize => Align(4 + 4 + (3 * s_pointer) + 4 + 4 + 1 + 1 + 2, s_pointer);

    /// <summary>offsetof(NDIS_PACKET, ProtocolReserved): Private, the 4-pointer union, ULONG_PTR Reserved[2].</summary>
    public static int ProtocolReservedOffset => PrivateSize + (4 * s_pointer) + (2 * s_pointer);

    /// <summary>sizeof(NDIS_PACKET_OOB_DATA): ULONGLONG ×2, UINT ×2, PVOID, NDIS_STATUS, 8-aligned.</summary>
    public static int OobSize => Align(8 + 8 + 4 + 4 + s_pointer + 4, 8);

    /// <summary>sizeof(NDIS_PACKET_EXTENSION): MaxPerPacketInfo pointers.</summary>
    public static int ExtensionSize => (int)NdisPerPacketInfo.MaxPerPacketInfo * s_pointer;

    /// <summary>NdisPacketOobOffset for a pool's ProtocolReservedLength.</summary>
    public static int OobOffset(int protocolReservedLength) => Align(ProtocolReservedOffset + protocolReservedLength, 8);

    /// <summary>NdisPacketSize: descriptor, OOB block and packet extension.</summary>
    public static int DescriptorSize(int protocolReservedLength) => OobOffset(protocolReservedLength) + OobSize + ExtensionSize;

    /// <summary>Pointer-sized slots that hold <paramref name="bytes"/> bytes.</summary>
    public static int SlotsFor(int bytes) => (bytes + s_pointer - 1) / s_pointer;

    private static int Align(int value, int alignment) => (value + alignment - 1) & ~(alignment - 1);
}
