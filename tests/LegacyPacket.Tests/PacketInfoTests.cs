using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;

namespace CoNdis.LegacyPacket.Tests;

public sealed class PacketInfoTests
{
    private readonly NdisPacketPool _pool = Strict.PacketPool(Strict.Handle(), 4, 20);

    [Fact]
    public void SetPacketFlags_ORs_ClearPacketFlags_clears_and_SetSendFlags_assigns()
    {
        var packet = Strict.Packet(_pool);
        Ndis5.SetPacketFlags(packet, NdisFlags.DontLoopback);
        Ndis5.SetPacketFlags(packet, NdisFlags.Padded);
        Assert.Equal(NdisFlags.DontLoopback | NdisFlags.Padded, Ndis5.GetPacketFlags(packet));
        Ndis5.ClearPacketFlags(packet, NdisFlags.DontLoopback);
        Assert.Equal(NdisFlags.Padded, Ndis5.GetPacketFlags(packet));
        Ndis5.SetSendFlags(packet, NdisFlags.LoopbackOnly | (NdisFlags)0x2);
        Ndis5.QuerySendFlags(packet, out var flags);
        Assert.Equal(NdisFlags.LoopbackOnly | (NdisFlags)0x2, flags);
        Assert.Equal(2u, packet.ProtocolType);
    }

    [Fact]
    public void PacketCancelId_is_stored_in_the_per_packet_info_slot()
    {
        var packet = Strict.Packet(_pool);
        Ndis5.SetPacketCancelId(packet, 0x1234);
        Assert.Equal(0x1234, Ndis5.GetPacketCancelId(packet));
        Assert.Equal(0x1234, packet.PerPacketInfo[NdisPerPacketInfo.PacketCancelId]);
    }

    [Fact]
    public void Status_and_header_size_macros_read_and_write_the_OOB_block()
    {
        var packet = Strict.Packet(_pool);
        packet.Status = NdisStatus.Resources;   // NDIS_SET_PACKET_STATUS(p, NDIS_STATUS_RESOURCES)
        packet.HeaderSize = 14;                 // NDIS_SET_PACKET_HEADER_SIZE(p, 14)
        Assert.Equal(NdisStatus.Resources, packet.Oob.Status);
        Assert.Equal(14u, packet.Oob.HeaderSize);
        packet.Oob.Clear();                     // NdisZeroMemory(NDIS_OOB_DATA_FROM_PACKET(p), sizeof(NDIS_PACKET_OOB_DATA))
        Assert.Equal(NdisStatus.Success, packet.Status);
        Assert.Equal(0u, packet.HeaderSize);
    }

    [Fact]
    public void TimeToSend_and_TimeSent_share_storage_and_TimeReceived_is_separate()
    {
        var packet = Strict.Packet(_pool);
        packet.TimeToSend = 111;
        Assert.Equal(111ul, packet.TimeSent);
        packet.TimeSent = 222;
        Assert.Equal(222ul, packet.TimeToSend);
        packet.TimeReceived = 333;
        Assert.Equal(333ul, packet.Oob.TimeReceived);
        Assert.Equal(222ul, packet.TimeSent);
    }

    [Fact]
    public void Media_specific_info_is_kept_only_on_NDIS_allocated_packets()
    {
        var packet = Strict.Packet(_pool);
        var info = new object();
        packet.SetMediaSpecificInfo(info, 12);
        Assert.True(packet.Private.NdisPacketFlags.HasFlag(NdisPacketFlags.ContainsMediaSpecificInfo));
        packet.GetMediaSpecificInfo(out var read, out uint size);
        Assert.Same(info, read);
        Assert.Equal(12u, size);
    }

    [Fact]
    public void Media_specific_info_reads_null_until_it_was_set()
    {
        var packet = Strict.Packet(_pool);
        packet.Oob.MediaSpecificInformation = new object();
        packet.Oob.SizeMediaSpecificInfo = 4;
        packet.GetMediaSpecificInfo(out var read, out uint size);
        Assert.Null(read);
        Assert.Equal(0u, size);
    }

    [Fact]
    public void Original_packet_macro_uses_the_OriginalPacketInfo_slot()
    {
        var packet = Strict.Packet(_pool);
        var original = Strict.Packet(_pool);
        Assert.Null(packet.OriginalPacket);
        packet.OriginalPacket = original; // NDIS_SET_ORIGINAL_PACKET(p, original)
        Assert.Same(original, packet.Extension.GetPointer(NdisPerPacketInfo.OriginalPacketInfo));
    }

    [Fact]
    public void Every_per_packet_info_slot_is_addressable_and_the_typed_views_decode_them()
    {
        var packet = Strict.Packet(_pool);
        for (var id = NdisPerPacketInfo.TcpIpChecksumPacketInfo; id < NdisPerPacketInfo.MaxPerPacketInfo; id++)
        {
            packet.PerPacketInfo[id] = (nint)id + 1;
            Assert.Equal((nint)id + 1, packet.PerPacketInfo[id]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => packet.PerPacketInfo[NdisPerPacketInfo.MaxPerPacketInfo]);

        var ext = packet.Extension;
        ext.Checksum = new NdisTcpIpChecksumPacketInfo { NdisPacketChecksumV4 = true, NdisPacketTcpChecksum = true };
        Assert.Equal(0b101u, ext.Checksum.Value);
        Assert.True(ext.Checksum.NdisPacketIpChecksumFailed); // receive view overlays bit 2
        ext.TcpLargeSend = 1460;
        Assert.Equal(1460, packet.PerPacketInfo[NdisPerPacketInfo.TcpLargeSendPacketInfo]);
        ext.Ieee8021Q = new Ieee8021QInfo { UserPriority = 5, VlanId = 100 };
        Assert.Equal((5, 100), (ext.Ieee8021Q.UserPriority, ext.Ieee8021Q.VlanId));
        var ipsec = new object();
        var sg = new object();
        ext.IpSec = ipsec;
        ext.ScatterGatherList = sg;
        ext.ClassificationHandle = 9;
        ext.ShortPacketPadding = 3;
        ext.OriginalNetBufferList = "nbl";
        ext.CachedNetBufferList = "cached";
        Assert.Same(ipsec, ext.GetPointer(NdisPerPacketInfo.IpSecPacketInfo));
        Assert.Same(sg, ext.GetPointer(NdisPerPacketInfo.ScatterGatherListPacketInfo));
        Assert.Equal(9, packet.PerPacketInfo[NdisPerPacketInfo.ClassificationHandlePacketInfo]);
        Assert.Equal(3, packet.PerPacketInfo[NdisPerPacketInfo.ShortPacketPaddingInfo]);
        Assert.Equal("nbl", ext.GetPointer(NdisPerPacketInfo.OriginalNetBufferList));
        Assert.Equal("cached", ext.GetPointer(NdisPerPacketInfo.CachedNetBufferList));
    }

    [Fact]
    public void Reserved_union_members_share_one_four_pointer_area()
    {
        var packet = Strict.Packet(_pool);
        Assert.Equal(2, packet.MiniportReserved.Length);
        Assert.Equal(2 * IntPtr.Size, packet.MiniportReserved.ByteLength);
        Assert.Equal(3, packet.MiniportReservedEx.Length);
        Assert.Equal(4, packet.MacReserved.Length);
        var mine = new object();
        var view = packet.MiniportReservedEx;
        view[2] = mine;
        Assert.Same(mine, packet.WrapperReserved[0]);
        Assert.Same(mine, packet.MacReserved[2]);
        var tail = packet.WrapperReservedEx;
        tail[0] = "w";
        Assert.Equal("w", packet.MacReserved[3]);
    }

    [Fact]
    public void Writing_past_MiniportReserved_is_refused_instead_of_corrupting_WrapperReserved()
    {
        var packet = Strict.Packet(_pool);
        var view = packet.MiniportReserved;
        Assert.Throws<ArgumentOutOfRangeException>(() => view[2] = "overflow");
        Assert.Throws<ArgumentOutOfRangeException>(() => view.EnsureFits(3));
        Assert.Null(packet.WrapperReserved[0]);
    }

    [Fact]
    public void ProtocolReserved_is_sized_by_the_pool()
    {
        var packet = Strict.Packet(_pool);
        Assert.Equal((20 + IntPtr.Size - 1) / IntPtr.Size, packet.ProtocolReserved.Length);
        var receivePool = Strict.PacketPool(Strict.Handle(), 1, (uint)NdisPacket.ProtocolReservedSizeInPacket);
        Assert.Equal(4, Strict.Packet(receivePool).ProtocolReserved.Length);
    }

    [Fact]
    public void OOB_offset_lies_after_ProtocolReserved_and_inside_the_descriptor_size()
    {
        var packet = Strict.Packet(_pool);
        int offset = packet.Private.NdisPacketOobOffset;
        Assert.True(offset >= 20 + (10 * IntPtr.Size));
        Assert.Equal(0, offset % 8);
        Assert.True(offset < Ndis5.PacketSize(20));
    }
}
