using CoNdis.Hardware.Capture;
using CoNdis.TestDrivers;
using CoNdis.TestDrivers.Translated;

namespace CoNdis.Translation.Tests;

/// <summary>
/// Real traffic across the runtime: every frame of every capture in ../shared/captures, sent by the client over a VC
/// on each pairing and looped back by the miniport, arrives byte-identical with its length; Ethernet frames with an
/// 802.1Q tag travel with it as 802.1Q info (NBL info on the native side, per-packet info on the 5.x side).
/// </summary>
public sealed class CaptureLoopbackTests
{
    private static string CapturesDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoNdis.slnx")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "captures"));
        }
        throw new DirectoryNotFoundException("the repository root (CoNdis.slnx) was not found above the test assembly");
    }

    private static List<(string File, byte[] Frame, uint Tag)> AllFrames()
    {
        var frames = new List<(string, byte[], uint)>();
        foreach (var path in Directory.EnumerateFiles(CapturesDirectory()).Where(p => !p.EndsWith(".md", StringComparison.Ordinal)).Order())
        {
            try
            {
                using var reader = CaptureReader.Open(path);
                while (reader.TryReadPacket(out var packet))
                {
                    if (packet.Data.IsEmpty)
                        continue; // a record with no bytes carries no frame to send
                    var frame = packet.Data.ToArray();
                    frames.Add((Path.GetFileName(path), frame, packet.LinkType == 1 ? VlanTagOf(frame) : 0));
                }
            }
            catch (CaptureFormatException)
            {
                // The malformed captures are the capture reader's tests; what it reads before refusing is still traffic.
            }
        }
        return frames;
    }

    /// <summary>An Ethernet frame's outer 802.1Q tag in NDIS_NET_BUFFER_LIST_8021Q_INFO layout, or 0.</summary>
    private static uint VlanTagOf(byte[] frame)
    {
        if (frame.Length < 16 || frame[12] != 0x81 || frame[13] != 0x00)
            return 0;
        int tci = (frame[14] << 8) | frame[15];
        uint priority = (uint)(tci >> 13), cfi = (uint)((tci >> 12) & 1), vlan = (uint)(tci & 0xFFF);
        return priority | (cfi << 3) | (vlan << 4);
    }

    public static TheoryData<string> Pairings => [.. Pairing.All.Select(p => p.ToString())];

    [Theory, MemberData(nameof(Pairings))]
    public void Every_captured_frame_loops_back_byte_identical_with_its_vlan_info(string pairing)
    {
        var frames = AllFrames();
        Assert.True(frames.Count > 1500, $"expected the shared captures, found {frames.Count} frames");
        Assert.Contains(frames, f => f.Tag != 0);
        using var rig = TranslatedDrivers.Rig(Pairing.Parse(pairing));
        rig.Miniport.Loopback = true;
        rig.Miniport.RecordSentFrames = false;
        var vc = rig.MakeCall();
        for (int i = 0; i < frames.Count; i++)
            rig.Client.Send(vc, [[frames[i].Frame]], mdlsPerNb: 1 + (i % 3), ieee8021Q: frames[i].Tag);
        ConformanceRig.WaitUntil(() => rig.Client.Received.Count == frames.Count && rig.Client.Completed.Count == frames.Count, "every frame to loop back");
        var received = rig.Client.Received;
        var tags = rig.Client.ReceivedIeee8021Q;
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.True(frames[i].Frame.Length == received[i].Length, $"{frames[i].File} frame {i}: length {received[i].Length}, sent {frames[i].Frame.Length}");
            Assert.True(frames[i].Frame.AsSpan().SequenceEqual(received[i]), $"{frames[i].File} frame {i}: bytes differ");
            Assert.True(frames[i].Tag == tags[i], $"{frames[i].File} frame {i}: 802.1Q info {tags[i]:X}, sent {frames[i].Tag:X}");
        }
        Assert.All(rig.Client.Completed, c => Assert.Equal(NetBufferCore.NdisStatus.Success, c.Status));
        rig.CloseCall(vc);
        NetBufferCore.Ndis.CoDeleteVc(vc);
        rig.AssertClean();
    }
}
