using System.Buffers.Binary;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;

namespace CoNdis.Translation;

/// <summary>
/// The NDIS_PACKET OOB fields an NBL has no home for (no NDIS_NET_BUFFER_LIST_INFO slot holds them:
/// HeaderSize, TimeToSend/TimeSent,
/// TimeReceived; plus SizeMediaSpecificInfo, since the NBL's MediaSpecificInformation is a pointer only,
/// and the packet's NDIS_FLAGS beyond the protocol id). They ride in the NBL's context area
/// (NET_BUFFER_LIST_CONTEXT, the NDIS 6 replacement for packet stacking) of NBLs that came from a
/// translation pool: the pool is created with ContextSize <see cref="ContextSize"/>, so every NBL comes
/// with these bytes already allocated, owned by the translation layer that allocated the NBL. Drivers
/// above or below that allocate more context get new bytes in front (NdisAllocateNetBufferListContext
/// grows toward the front) and must free them before giving the NBL back, so these bytes stay put.
/// NDIS 6.0 NBLs have no time-stamp slot (NDIS_NET_BUFFER_LIST_INFO enumeration); the model keeps the stamps so a
/// packet → NBL → packet trip is exact (docs/model-choices.md).
/// </summary>
internal readonly record struct CarriedOob(ulong TimeSent, ulong TimeReceived, uint HeaderSize, uint SizeMediaSpecificInfo, NdisFlags Flags)
{
    /// <summary>Context bytes a translation pool gives each NBL (a multiple of MEMORY_ALLOCATION_ALIGNMENT).</summary>
    public const int ContextSize = 32;

    /// <summary>The pool tag of translation NBL pools ('Xlat'), how a carried record is recognised.</summary>
    public const uint PoolTag = 0x74616C58;

    private const uint Magic = 0x4F4F4258; // "XBOO"

    // Layout (little-endian): [0,8) TimeSent, [8,16) TimeReceived, [16,20) HeaderSize,
    // [20,24) SizeMediaSpecificInfo, [24,28) NDIS_FLAGS, [28,32) magic.

    public static CarriedOob FromPacket(NdisPacket packet, uint sizeMediaSpecificInfo) =>
        new(packet.TimeSent, packet.TimeReceived, packet.HeaderSize, sizeMediaSpecificInfo, packet.Private.Flags);

    /// <summary>Writes the record into the NBL's translation context bytes.</summary>
    public void WriteTo(NetBufferList nbl)
    {
        var bytes = Area(nbl);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, TimeSent);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], TimeReceived);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[16..], HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[20..], SizeMediaSpecificInfo);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[24..], (uint)Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[28..], Magic);
    }

    /// <summary>Reads the record an NBL from a translation pool carries; false for any other NBL.</summary>
    public static bool TryRead(NetBufferList nbl, out CarriedOob carried)
    {
        carried = default;
        if (nbl.Pool is not { Parameters.PoolTag: PoolTag })
            return false;
        var bytes = Area(nbl);
        if (bytes.Length < ContextSize || BinaryPrimitives.ReadUInt32LittleEndian(bytes[28..]) != Magic)
            return false;
        carried = new CarriedOob(
            BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[20..]),
            (NdisFlags)BinaryPrimitives.ReadUInt32LittleEndian(bytes[24..]));
        return true;
    }

    /// <summary>
    /// The translation's bytes: the last <see cref="ContextSize"/> bytes of the oldest context block (the one
    /// the pool pre-allocated; later allocations come in front of it or in newer blocks).
    /// </summary>
    private static Span<byte> Area(NetBufferList nbl)
    {
        var block = nbl.Context;
        if (block is null)
            return default;
        while (block.Next is not null)
            block = block.Next;
        var data = block.Data;
        return data.Length < ContextSize ? default : data[^ContextSize..];
    }
}
