using CoNdis.Hardware.Capture;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.Translation;

namespace Condis.Cli;

/// <summary>
/// For <c>condis inspect --packets</c>: per packet, the NBL it enters the data path as (<see cref="FrameNetBufferListBuilder"/>)
/// and the NDIS_PACKET the translation layer turns it into for a 5.x miniport (<see cref="NblToPacketTranslator"/>),
/// handed to a <see cref="IPacketLayoutSink"/> while both exist; then the packet completes (NdisMCoSendComplete with
/// success), the NBL completes back and everything is freed, so memory stays at one frame whatever the capture's size.
/// </summary>
internal sealed class DataPathInspector : IDisposable
{
    private readonly NdisHandle _handle;
    private readonly FrameNetBufferListBuilder _frames;
    private readonly NblToPacketTranslator _translator;
    private readonly NetBufferListQueue _completed = new();
    private TranslationCounts _counts;
    private bool _disposed;

    public DataPathInspector(int maxFrameLength)
    {
        _handle = new NdisHandle("condis inspect", new NdisVerifier(VerifierMode.Lenient));
        _frames = new FrameNetBufferListBuilder(_handle, maxFrameLength);
        _translator = new NblToPacketTranslator(_handle, new TranslatorOptions { Capacity = 4, MdlCapacity = 64 });
    }

    /// <summary>What the translator did over all packets so far.</summary>
    public TranslationCounts Counts => _counts;

    /// <summary>Objects still outstanding after the last packet plus verifier findings (0 when everything came back clean).</summary>
    public int Problems { get; private set; }

    public void Inspect(long number, in CapturePacket packet, IPacketLayoutSink sink)
    {
        var nbl = _frames.Build(packet, out bool tagRemoved);
        var cursor = new NblToPacketCursor(nbl);
        var before = _counts;
        var outcome = _translator.TranslateNext(ref cursor, _completed, ref _counts, out var ndisPacket);
        var failure = FailureBetween(before, _counts);
        sink.Packet(number, packet, nbl, tagRemoved, outcome, failure, ndisPacket);
        if (ndisPacket is not null)
            _translator.CompletePacket(ndisPacket, NdisStatus.Success, _completed, ref _counts);
        if (!cursor.IsAtEnd)
            _translator.AbortRemaining(ref cursor, NdisStatus.Resources, _completed, ref _counts);
        var back = _completed.Dequeue();
        if (!ReferenceEquals(back, nbl))
            Problems++;
        sink.Completed(nbl.Status);
        _frames.Free(nbl);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Problems += _translator.FreePools() + _frames.Pool.FreePool() + _handle.Mdls.Counters.Outstanding + (int)Math.Min(int.MaxValue, _handle.Verifier.FindingCount);
    }

    private static TranslationFailure FailureBetween(in TranslationCounts before, in TranslationCounts after)
    {
        foreach (var cause in Enum.GetValues<TranslationFailure>())
        {
            if (cause != TranslationFailure.None && after.Failures(cause) != before.Failures(cause))
                return cause;
        }

        return TranslationFailure.None;
    }
}
