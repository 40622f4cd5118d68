using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;

namespace CoNdis.TestDrivers.Legacy;

/// <summary>
/// An NDIS 5.x client for steady-state tests and the benchmarks (ProtocolCo* handlers, Ndis5 only): it counts send
/// completions (and those that failed) and receives, and answers each receive with <see cref="ReceiveReferences"/>
/// (0 releases it at once; a RESOURCES packet is always 0). Nothing is allocated and no lock is taken per packet; the
/// counts are kept without atomics (one completing and one receiving thread at a time).
/// </summary>
public sealed class CountingLegacyClient : ILegacyCoClient
{
    private long _completed;
    private long _failed;
    private long _received;

    /// <summary>Packets completed so far.</summary>
    public long Completed => Volatile.Read(ref _completed);

    /// <summary>Packets completed with anything but SUCCESS.</summary>
    public long Failed => Volatile.Read(ref _failed);

    /// <summary>Packets indicated so far.</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>What ProtocolCoReceivePacket answers for a packet without RESOURCES: the NdisReturnPackets calls the caller will make.</summary>
    public uint ReceiveReferences { get; set; }

    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
    {
        if (status != NdisStatus.Success)
            Volatile.Write(ref _failed, _failed + 1);
        Volatile.Write(ref _completed, _completed + 1);
    }

    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        Volatile.Write(ref _received, _received + 1);
        return packet.Status == NdisStatus.Resources ? 0 : ReceiveReferences;
    }

    public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
    {
    }

    public void ProtocolReceiveComplete(object? protocolBindingContext)
    {
    }
}
