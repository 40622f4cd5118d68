using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.Hardware.Tests.Miniports;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;
using Xunit;

namespace CoNdis.Hardware.Tests.Nic;

/// <summary>The NIC on its own: rings, scatter-gather, flow control, options, and a device thread that stops.</summary>
public sealed class SimulatedNicTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(100)]
    public void A_ring_size_that_is_not_a_power_of_two_is_refused_naming_the_option(int size)
    {
        var error = Assert.Throws<ArgumentException>(() => new SimulatedNic(new LoopbackLink(), new NicOptions { TransmitRingSize = size }));
        Assert.Contains("TransmitRingSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Moderation_by_count_without_a_time_limit_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new SimulatedNic(new LoopbackLink(), new NicOptions { ModerationPackets = 8 }));
        Assert.Contains("ModerationTime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ring_index_runs_freely_and_masks_to_a_slot()
    {
        using var nic = new SimulatedNic(new LoopbackLink(), new NicOptions { TransmitRingSize = 8, CompletionMode = NicCompletionMode.Inline });
        var ring = nic.TransmitRing;
        ring[3] = new NicTxDescriptor { Length = 42 };
        Assert.Equal(42, ring[3 + 8].Length);
        Assert.Equal(42, ring[3 + 8u * 1000].Length);
        Assert.Equal(7u, ring.Mask);
    }

    [Fact]
    public void The_sg_list_of_an_nb_has_one_element_per_physical_page_piece_of_its_used_data()
    {
        using var nic = new SimulatedNic(new LoopbackLink(), new NicOptions { CompletionMode = NicCompletionMode.Inline, MaximumScatterGatherElements = 8 });
        var handle = new NdisHandle("sg");
        // 3 MDLs over one page-aligned 12 KiB block: 100 B, 6000 B (crosses a page), 1000 B; the data starts 40 B in.
        var memory = NdisMemory.AllocatePinned(3 * 4096 + 4096);
        int aligned = (int)((4096 - (memory.Address & 4095)) & 4095);
        var block = memory.Slice(aligned, 3 * 4096);
        var a = handle.Mdls.Allocate(block.Slice(0, 100))!;
        var b = handle.Mdls.Allocate(block.Slice(100, 6000))!;
        var c = handle.Mdls.Allocate(block.Slice(6100, 1000))!;
        a.Next = b;
        b.Next = c;
        var pool = new NetBufferCore.Pools.NetBufferPool(handle, new NetBufferCore.Pools.NetBufferPoolParameters());
        var nb = pool.AllocateNetBuffer(a, 40, 7060)!;
        var list = new ScatterGatherList(8);
        Assert.True(nic.Dma.AllocateNetBufferSGList(nb, list));
        // 60 B of a; b from 100 to 4096 (3996 B), then 4096..6100 (2004 B); c from 6100 to 7100 (1000 B, within page 2 until 8192).
        Assert.Equal(4, list.NumberOfElements);
        Assert.Equal(new ScatterGatherElement(a.VirtualAddress + 40, 60), list[0]);
        Assert.Equal(new ScatterGatherElement(b.VirtualAddress, 3996), list[1]);
        Assert.Equal(new ScatterGatherElement(b.VirtualAddress + 3996, 2004), list[2]);
        Assert.Equal(new ScatterGatherElement(c.VirtualAddress, 1000), list[3]);
        Assert.Equal(7060, list.TotalLength);
        Assert.False(list.IsBounced);
    }

    [Fact]
    public void When_every_bounce_buffer_is_in_use_building_another_bounced_list_fails_until_one_is_freed()
    {
        using var nic = new SimulatedNic(new LoopbackLink(), new NicOptions { CompletionMode = NicCompletionMode.Inline, MaximumScatterGatherElements = 1, BounceBuffers = 1 });
        var handle = new NdisHandle("bounce");
        var a = handle.Mdls.AllocateWithMemory(handle.Memory, 10, MdlOrigin.AllocateMdl)!;
        var b = handle.Mdls.AllocateWithMemory(handle.Memory, 10, MdlOrigin.AllocateMdl)!;
        a.Span.Fill(1);
        b.Span.Fill(2);
        a.Next = b;
        var first = new ScatterGatherList(1);
        var second = new ScatterGatherList(1);
        Assert.True(nic.Dma.BuildScatterGatherList(a, 0, 20, first));
        Assert.True(first.IsBounced);
        Assert.False(nic.Dma.BuildScatterGatherList(a, 0, 20, second));
        nic.Dma.FreeScatterGatherList(first);
        Assert.True(nic.Dma.BuildScatterGatherList(a, 5, 10, second));
        unsafe
        {
            var bytes = new ReadOnlySpan<byte>((void*)second[0].Address, second[0].Length).ToArray();
            Assert.Equal(new byte[] { 1, 1, 1, 1, 1, 2, 2, 2, 2, 2 }, bytes);
        }
        Assert.Equal(2, nic.Statistics.BounceCopies);
    }

    [Fact]
    public void Disposing_a_nic_ends_its_device_thread_within_a_bounded_time()
    {
        var before = System.Diagnostics.Process.GetCurrentProcess().Threads.Count;
        var host = new DeviceHost(new LoopbackLink(), DeviceHost.Threaded);
        var vc = host.OfferPermanentVc(ChannelBinding.Both(9));
        host.Client.Send(vc, DeviceHost.Frames(50, 20));
        Wait.Until(() => host.Client.ReceivedCount == 20, "traffic on the device thread");
        host.RemoteClose(vc);
        Wait.Until(() => vc.State == VcState.Deleted, "the VC to go");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        host.Dispose();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"dispose took {watch.Elapsed}");
        Assert.False(host.Nic.IsResetting);
        Wait.Until(() => System.Diagnostics.Process.GetCurrentProcess().Threads.Count <= before + 1, "the device thread to be gone", 5);
    }

    [Fact]
    public void With_flow_control_a_full_receive_fifo_pauses_the_far_transmitter_and_no_frame_is_lost()
    {
        var cable = new PairLink();
        var nic = DeviceHost.Inline with { ReceiveRingSize = 8, ReceiveFifoFrames = 2, TransmitRingSize = 512 };
        using var a = new DeviceHost(cable.A, nic, name: "A", sap: new CoSap(1, new byte[] { 0xA }));
        using var b = new DeviceHost(cable.B, nic, new NicMiniportOptions { WatchdogInterval = TimeSpan.Zero, ReceiveLowWater = 0 }, name: "B", sap: new CoSap(1, new byte[] { 0xB }));
        b.Client.HoldReceives = true; // B's ring empties: its FIFO fills, then A pauses
        var ab = a.OfferPermanentVc(new ChannelBinding(7, 8));
        var atB = b.OfferPermanentVc(new ChannelBinding(8, 7));
        var frames = DeviceHost.Frames(51, 100);
        a.Client.Send(ab, frames);
        Assert.True(a.Nic.Statistics.FlowControlPauses > 0);
        Assert.Equal(0, b.Nic.Statistics.ReceiveNoBuffer);
        while (b.Client.ReceivedCount < 100)
        {
            long seen = b.Client.ReceivedCount;
            b.Client.ReturnHeld();
            Wait.Until(() => b.Client.ReceivedCount > seen || b.Client.ReceivedCount == 100, "more frames after B gave buffers back", 10);
        }
        b.Client.ReturnHeld();
        Assert.Equal(frames, b.Client.Received.Select(r => r.Bytes));
        Assert.Equal(100, a.Client.CompletedWith(NdisStatus.Success));
        a.RemoteClose(ab);
        b.RemoteClose(atB);
        Wait.Until(() => ab.State == VcState.Deleted && atB.State == VcState.Deleted, "the VCs to go");
        a.AssertClean();
        b.AssertClean();
        a.HaltClean();
        b.HaltClean();
    }
}
