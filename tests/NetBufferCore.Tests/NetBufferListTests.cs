using CoNdis.NetBufferCore.Info;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore.Tests;

public sealed class NetBufferListTests
{
    [Fact]
    public void Pool_shape_decides_what_comes_with_each_nbl()
    {
        var handle = new NdisHandle("shapes");
        var bare = Ndis.AllocateNetBufferListPool(handle, new NetBufferListPoolParameters());
        var withNb = Ndis.AllocateNetBufferListPool(handle, new NetBufferListPoolParameters { AllocateNetBuffer = true });
        var withData = Ndis.AllocateNetBufferListPool(handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 100 });

        var a = Ndis.AllocateNetBufferList(bare, 0, 0)!;
        Assert.Null(a.FirstNetBuffer);
        var b = Ndis.AllocateNetBufferList(withNb, 0, 0)!;
        Assert.NotNull(b.FirstNetBuffer);
        Assert.Null(b.FirstNetBuffer!.MdlChain);
        var c = Ndis.AllocateNetBufferList(withData, 0, 0)!;
        Assert.Equal(100, c.FirstNetBuffer!.DataLength);
        Assert.Equal(100, c.FirstNetBuffer.MdlChain!.ByteCount);
        Assert.Same(withData, Ndis.GetPoolFromNetBuffer(c.FirstNetBuffer));
        Assert.Same(withData, Ndis.GetPoolFromNetBufferList(c));

        Assert.Throws<InvalidOperationException>(() => Ndis.AllocateNetBufferAndNetBufferList(bare, 0, 0, null, 0, 0));
        Assert.Throws<InvalidOperationException>(() => Ndis.AllocateNetBufferAndNetBufferList(withData, 0, 0, null, 0, 0));
        Assert.Throws<ArgumentException>(() => new NetBufferListPool(handle, new NetBufferListPoolParameters { DataSize = 10 }));
        Assert.Throws<ArgumentException>(() => new NetBufferListPool(handle, new NetBufferListPoolParameters { ContextSize = 8 }));

        foreach (var nbl in new[] { a, b, c })
            Ndis.FreeNetBufferList(nbl);
        foreach (var pool in new[] { bare, withNb, withData })
            Ndis.FreeNetBufferListPool(pool);
        Assert.Equal(0, handle.Verifier.FindingCount);
    }

    [Fact]
    public void AllocateNetBufferAndNetBufferList_points_the_nb_at_the_callers_chain()
    {
        var ndis = new TestNdis();
        var pool = Ndis.AllocateNetBufferListPool(ndis.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true });
        var chain = ndis.Chain([10, 10]);
        var nbl = Ndis.AllocateNetBufferAndNetBufferList(pool, 0, 0, chain, 4, 12)!;
        Assert.Same(chain, nbl.FirstNetBuffer!.MdlChain);
        Assert.Equal(4, nbl.FirstNetBuffer.DataOffset);
        Assert.Equal(12, nbl.FirstNetBuffer.DataLength);
        Ndis.FreeNetBufferList(nbl);
        MdlChainBuilder.FreeChain(chain);
        ndis.AssertNothingOutstanding();
    }

    [Fact]
    public void Allocation_clears_every_field_a_previous_owner_set()
    {
        var ndis = new TestNdis();
        var nbl = ndis.NetBufferLists.AllocateNetBufferList()!;
        nbl.Status = NdisStatus.Failure;
        nbl.SourceHandle = "someone";
        nbl.Scratch = "scratch";
        nbl.ChildRefCount = 2;
        nbl.ChildRefCount = 0;
        nbl.Flags = 0xF0000000;
        nbl.NblFlags = NblFlags.IsIPv4;
        nbl.Info.CancelId = 7;
        nbl.MiniportReserved[1] = "mine";
        ndis.NetBufferLists.FreeNetBufferList(nbl);
        var again = ndis.NetBufferLists.AllocateNetBufferList()!;
        Assert.Same(nbl, again);
        Assert.Equal(NdisStatus.Success, again.Status);
        Assert.Null(again.SourceHandle);
        Assert.Null(again.Scratch);
        Assert.Null(again.ParentNetBufferList);
        Assert.Equal(0u, again.Flags);
        Assert.Equal(NblFlags.None, again.NblFlags);
        Assert.Equal(0, again.Info.CancelId);
        Assert.Null(again.MiniportReserved[1]);
        ndis.NetBufferLists.FreeNetBufferList(again);
    }

    [Fact]
    public void Context_allocation_uses_backfill_first_then_adds_a_block_in_front()
    {
        var ndis = new TestNdis();
        var pool = new NetBufferListPool(ndis.Handle, new NetBufferListPoolParameters { ContextSize = 16 });
        var nbl = Ndis.AllocateNetBufferList(pool, 16, 32)!;
        Assert.Equal(32, nbl.Context!.Size);
        Assert.Equal(32, nbl.Context.Offset);
        var first = nbl.Context;

        Assert.Equal(NdisStatus.Success, Ndis.AllocateNetBufferListContext(nbl, 24, 0, 0));
        Assert.Same(first, nbl.Context);
        Assert.Equal(56, nbl.Context.Size);
        Assert.Equal(8, nbl.Context.Offset);

        Assert.Equal(NdisStatus.Success, Ndis.AllocateNetBufferListContext(nbl, 16, 8, 0));
        Assert.NotSame(first, nbl.Context);
        Assert.Same(first, nbl.Context.Next);
        Assert.Equal(16, nbl.Context.Size);
        Assert.Equal(8, nbl.Context.Offset);
        nbl.Context.Data.Fill(0x5A);

        Ndis.FreeNetBufferListContext(nbl, 16);
        Assert.Same(first, nbl.Context);
        Ndis.FreeNetBufferListContext(nbl, 24);
        Assert.Equal(32, nbl.Context.Size);
        Ndis.FreeNetBufferList(nbl);
        Assert.Equal(0, ndis.Verifier.FindingCount);
    }

    [Fact]
    public void Context_sizes_must_be_pointer_multiples_and_pool_sizes_allocation_aligned()
    {
        var ndis = new TestNdis();
        var nbl = ndis.NetBufferLists.AllocateNetBufferList()!;
        Assert.Throws<ArgumentException>(() => Ndis.AllocateNetBufferListContext(nbl, 12, 0, 0));
        Assert.Throws<ArgumentException>(() => Ndis.AllocateNetBufferList(ndis.NetBufferLists, 8, 0));
        ndis.NetBufferLists.FreeNetBufferList(nbl);
    }

    [Fact]
    public void Unbalanced_context_free_is_a_finding()
    {
        var ndis = new TestNdis(VerifierMode.Lenient);
        var nbl = ndis.NetBufferLists.AllocateNetBufferList()!;
        Ndis.AllocateNetBufferListContext(nbl, 16, 0, 0);
        Ndis.FreeNetBufferListContext(nbl, 8);
        Assert.Equal(1, ndis.Verifier.CountOf(VerifierRule.ContextImbalance));
        Ndis.FreeNetBufferListContext(nbl, 8);
        Assert.Equal(2, ndis.Verifier.CountOf(VerifierRule.ContextImbalance));
        ndis.NetBufferLists.FreeNetBufferList(nbl);
    }

    [Fact]
    public void Freeing_an_nbl_with_context_still_allocated_is_a_finding()
    {
        var ndis = new TestNdis();
        var nbl = ndis.NetBufferLists.AllocateNetBufferList()!;
        Ndis.AllocateNetBufferListContext(nbl, 16, 0, 0);
        var finding = Assert.Throws<NdisVerifierException>(() => ndis.NetBufferLists.FreeNetBufferList(nbl));
        Assert.Equal(VerifierRule.ContextImbalance, finding.Rule);
    }

    [Fact]
    public void Freeing_a_parent_with_children_outstanding_is_a_finding()
    {
        var ndis = new TestNdis();
        var nbl = ndis.NetBufferLists.AllocateNetBufferList()!;
        nbl.ChildRefCount = 1;
        var finding = Assert.Throws<NdisVerifierException>(() => Ndis.FreeNetBufferList(nbl));
        Assert.Equal(VerifierRule.ParentFreedWithChildren, finding.Rule);
    }

    [Fact]
    public void Protocol_id_comes_from_the_pool_and_can_be_set()
    {
        var ndis = new TestNdis();
        var pool = new NetBufferListPool(ndis.Handle, new NetBufferListPoolParameters { ProtocolId = 0x02 });
        var nbl = pool.AllocateNetBufferList()!;
        Assert.Equal(0x02, Ndis.GetNetBufferListProtocolId(nbl));
        Ndis.SetNetBufferListProtocolId(nbl, 0x06);
        Assert.Equal(0x06, Ndis.GetNetBufferListProtocolId(nbl));
        pool.FreeNetBufferList(nbl);
    }

    [Fact]
    public void Nbl_flag_helpers_set_test_and_clear()
    {
        var ndis = new TestNdis();
        var nbl = ndis.NetBufferLists.AllocateNetBufferList()!;
        Ndis.SetNblFlag(nbl, NblFlags.IsIPv6 | NblFlags.IsTcp);
        Assert.True(Ndis.TestNblFlag(nbl, NblFlags.IsTcp));
        Ndis.ClearNblFlag(nbl, NblFlags.IsTcp);
        Assert.False(Ndis.TestNblFlag(nbl, NblFlags.IsTcp));
        Assert.True(Ndis.TestNblFlag(nbl, NblFlags.IsIPv6));
        ndis.NetBufferLists.FreeNetBufferList(nbl);
    }

    [Fact]
    public void Info_accessors_decode_the_documented_bit_layouts()
    {
        var info = new NetBufferListInfo();
        var checksum = new TcpIpChecksumInfo { IsIPv4 = true, TcpChecksum = true, TcpHeaderOffset = 34 };
        info.Checksum = checksum;
        Assert.Equal((nint)(0x1 | 0x4 | (34 << 16)), info[NetBufferListInfoId.TcpIpChecksumNetBufferListInfo]);
        Assert.True(info.Checksum.TcpChecksumFailed); // bit 0 seen through the receive view

        info.Ieee8021Q = new Ieee8021QInfo { UserPriority = 5, VlanId = 0xABC };
        Assert.Equal((nint)(5 | (0xABC << 4)), info[NetBufferListInfoId.Ieee8021QNetBufferListInfo]);
        Assert.Equal(5, info.Priority);
        info.Priority = 2;
        Assert.Equal(0xABC, info.Ieee8021Q.VlanId);

        info.LargeSend = new LargeSendOffloadInfo { Mss = 1460, TcpHeaderOffset = 34, Type = LargeSendOffloadInfo.V2Type, IPVersion = LargeSendOffloadInfo.IPv6 };
        var lso = info.LargeSend;
        Assert.Equal(1460, lso.Mss);
        Assert.Equal(34, lso.TcpHeaderOffset);
        Assert.Equal(LargeSendOffloadInfo.V2Type, lso.Type);
        Assert.Equal(LargeSendOffloadInfo.IPv6, lso.IPVersion);

        info.CancelId = 0x7700_0001;
        info.HashValue = 0xDEADBEEF;
        info.FrameType = 0x0800;
        info.MediaSpecificInformation = "atm vc";
        Assert.Equal((nint)0x7700_0001, info[NetBufferListInfoId.NetBufferListCancelId]);
        Assert.Equal(0xDEADBEEFu, info.HashValue);
        Assert.Equal(0x0800, info.FrameType);
        Assert.Equal("atm vc", info.GetPointer(NetBufferListInfoId.MediaSpecificInformation));
    }

    [Fact]
    public void CopySend_and_CopyReceive_info_copy_exactly_their_documented_slots()
    {
        var ndis = new TestNdis();
        var source = ndis.NetBufferLists.AllocateNetBufferList()!;
        var destination = ndis.NetBufferLists.AllocateNetBufferList()!;
        for (int i = 0; i < (int)NetBufferListInfoId.MaxNetBufferListInfo; i++)
            source.Info[(NetBufferListInfoId)i] = 100 + i;
        Ndis.CopySendNetBufferListInfo(destination, source);
        for (int i = 0; i < (int)NetBufferListInfoId.MaxNetBufferListInfo; i++)
        {
            bool copied = NetBufferOperations.SendInfoSlots.Contains((NetBufferListInfoId)i);
            Assert.Equal(copied ? 100 + i : 0, destination.Info[(NetBufferListInfoId)i]);
        }
        Assert.Equal(0, destination.Info[NetBufferListInfoId.NetBufferListHashValue]);
        destination.Info.Clear();
        Ndis.CopyReceiveNetBufferListInfo(destination, source);
        Assert.Equal(100 + 8, destination.Info[NetBufferListInfoId.NetBufferListHashValue]);
        Assert.Equal(0, destination.Info[NetBufferListInfoId.NetBufferListCancelId]);
        ndis.NetBufferLists.FreeNetBufferList(source);
        ndis.NetBufferLists.FreeNetBufferList(destination);
    }

    [Fact]
    public void Partial_cancel_ids_fill_the_high_order_byte()
    {
        var generator = new CancelIdGenerator();
        nint id = generator.Next();
        Assert.Equal(generator.PartialCancelId, (byte)((ulong)id >> ((IntPtr.Size * 8) - 8)));
        Assert.NotEqual(id, generator.Next());
        Assert.NotEqual(Ndis.GeneratePartialCancelId(), Ndis.GeneratePartialCancelId());
    }

    [Fact]
    public void List_retreat_rolls_back_the_nbs_already_retreated_when_one_fails()
    {
        var ndis = new TestNdis();
        var nbl = ndis.NetBufferList(ndis.NetBuffer([16], 0, 16), ndis.NetBuffer([16], 8, 8));
        int calls = 0;
        Mdl? FailSecond(ref int size) => ++calls == 1 ? ndis.Handle.Mdls.Allocate(Memory.NdisMemory.AllocatePinned(size)) : null;
        var status = Ndis.RetreatNetBufferListDataStart(nbl, 10, 0, FailSecond, m => ndis.Handle.Mdls.Free(m));
        Assert.Equal(NdisStatus.Resources, status);
        Assert.Equal(16, nbl.FirstNetBuffer!.DataLength);
        Assert.Equal(0, nbl.FirstNetBuffer.OutstandingRetreatAllocations);
        Assert.Equal(8, nbl.FirstNetBuffer.Next!.DataLength);
        Assert.Equal(NdisStatus.Success, Ndis.RetreatNetBufferListDataStart(nbl, 8, 0, null, null));
        Ndis.AdvanceNetBufferListDataStart(nbl, 8, true, null);
        ndis.FreeAll(nbl);
        ndis.AssertNothingOutstanding();
    }
}
