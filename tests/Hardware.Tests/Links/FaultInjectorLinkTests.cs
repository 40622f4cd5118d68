using CoNdis.Hardware.Links;
using Xunit;

namespace CoNdis.Hardware.Tests.Links;

/// <summary>
/// The fault injector never loses or miscounts a frame it touched: a frame it holds back keeps its FCS error, a held
/// frame the far end refuses stays held, and a corruption is counted once, when the frame is committed.
/// </summary>
public sealed class FaultInjectorLinkTests
{
    [Fact]
    public void A_corrupted_frame_held_for_a_swap_still_fails_its_fcs_when_it_goes()
    {
        var wire = new RecordingPort();
        var faults = new FaultInjectorLink(wire, seed: 1) { CorruptProbability = 1, ReorderProbability = 1 };
        Assert.True(faults.Transmit(new LinkFrame(Frame(1), channel: 3)));
        faults.CorruptProbability = 0;
        faults.ReorderProbability = 0;
        Assert.True(faults.Transmit(new LinkFrame(Frame(2), channel: 3)));

        Assert.Equal([2, 1], wire.Frames.Select(f => f.Data[^1]));
        Assert.Equal([LinkFrameFlags.None, LinkFrameFlags.FcsError], wire.Frames.Select(f => f.Flags));
        Assert.Equal((1L, 1L), (faults.Corrupted, faults.Reordered));
    }

    [Fact]
    public void A_held_frame_the_far_end_refuses_stays_held_until_there_is_room()
    {
        var wire = new RecordingPort();
        var faults = new FaultInjectorLink(wire, seed: 2) { ReorderProbability = 1 };
        Assert.True(faults.Transmit(new LinkFrame(Frame(1), channel: 3)));
        faults.ReorderProbability = 0;
        wire.Room = 1; // room for the frame that overtakes, not for the held one behind it
        Assert.True(faults.Transmit(new LinkFrame(Frame(2), channel: 3)));
        Assert.Equal((1, 0L), (faults.InFlight, faults.Reordered));

        wire.Room = int.MaxValue;
        Assert.True(faults.Transmit(new LinkFrame(Frame(3), channel: 3)));
        Assert.Equal([2, 3, 1], wire.Frames.Select(f => f.Data[^1]));
        Assert.Equal((0, 1L), (faults.InFlight, faults.Reordered));
    }

    [Fact]
    public void A_corruption_is_counted_once_when_the_far_end_refused_the_first_try()
    {
        var wire = new RecordingPort { Room = 0 };
        var faults = new FaultInjectorLink(wire, seed: 3) { CorruptProbability = 1 };
        Assert.False(faults.Transmit(new LinkFrame(Frame(1), channel: 3))); // PAUSE: the sender keeps the frame
        Assert.Equal(0, faults.Corrupted);

        wire.Room = int.MaxValue;
        Assert.True(faults.Transmit(new LinkFrame(Frame(1), channel: 3)));
        Assert.Equal(1, faults.Corrupted);
        Assert.Equal(LinkFrameFlags.FcsError, Assert.Single(wire.Frames).Flags);
    }

    private static byte[] Frame(byte mark)
    {
        var frame = new byte[64];
        frame[^1] = mark;
        return frame;
    }

    /// <summary>The far end: keeps what it accepts, refuses once <see cref="Room"/> is used up (flow control).</summary>
    private sealed class RecordingPort : ILinkPort
    {
        public List<(byte[] Data, LinkFrameFlags Flags)> Frames { get; } = [];

        public int Room { get; set; } = int.MaxValue;

        public string Name => "recording port";

        public bool IsUp => true;

        public long SpeedBitsPerSecond => 10_000_000_000;

        public void Attach(ILinkReceiver receiver)
        {
        }

        public void Detach(ILinkReceiver receiver)
        {
        }

        public bool Transmit(LinkFrame frame)
        {
            if (Room <= 0)
                return false;
            if (Room != int.MaxValue)
                Room--;
            Frames.Add((frame.Data.ToArray(), frame.Flags));
            return true;
        }

        public void ReceiverReady()
        {
        }
    }
}
