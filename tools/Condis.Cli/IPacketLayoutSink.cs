using CoNdis.Hardware.Capture;
using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;
using CoNdis.Translation;

namespace Condis.Cli;

/// <summary>Receives each packet's data-path layout while the NBL and the NDIS_PACKET still exist (text or JSON).</summary>
internal interface IPacketLayoutSink
{
    void Packet(long number, in CapturePacket packet, NetBufferList nbl, bool tagRemoved, TranslationOutcome outcome, TranslationFailure failure, NdisPacket? ndisPacket);

    /// <summary>The NBL came back (send completion) with <paramref name="status"/>.</summary>
    void Completed(NdisStatus status);
}
