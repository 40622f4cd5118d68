using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Memory;

namespace CoNdis.TestDrivers.Legacy;

/// <summary>
/// A 5.x CoNDIS client written against <see cref="Ndis5"/> that tests script (and make break rules): pools from its
/// NdisBindingHandle, a copy of every frame it receives, and a count of 0 (or 1 when told to keep packets). It also
/// records where each NdisMCoIndicateReceivePacket array began and ended (<see cref="ILegacyCoIndicationBoundary"/>,
/// which no real 5.x client has: the test's window on how the translation layer batches).
/// </summary>
public sealed class LegacyRuleBreakingClient : ILegacyCoClient, ILegacyCoIndicationBoundary
{
    private int _inArray = -1;

    /// <summary>The driver's pools and the packets it makes from them.</summary>
    public LegacyPacketPools Pools { get; } = new();

    /// <summary>Allocates the pools with the handle NDIS gave the driver.</summary>
    public void Initialize(NdisHandle ndisBindingHandle) => Pools.Allocate(ndisBindingHandle);

    /// <summary>Keep every received packet (ProtocolCoReceivePacket returns 1) instead of copying it and returning 0.</summary>
    public bool Keep { get; set; }

    /// <summary>When set, decides the count ProtocolCoReceivePacket returns.</summary>
    public Func<NdisPacket, uint>? OnReceive { get; set; }

    public Queue<NdisPacket> Kept { get; } = new();

    public NdisPacket? LastReceived { get; private set; }

    public List<NdisStatus> Completions { get; } = [];

    public List<byte[]> Received { get; } = [];

    /// <summary>The number of packets of each indicated array, in order.</summary>
    public List<int> ArraySizes { get; } = [];

    public void BeginPacketArray(object? protocolVcContext) => _inArray = 0;

    public void EndPacketArray(object? protocolVcContext)
    {
        ArraySizes.Add(_inArray);
        _inArray = -1;
    }





    public void Send(LegacyCoVc vc, NdisPacket packet) => Ndis5.CoSendPackets(vc, [packet], 1);

    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
    {
        Completions.Add(status);
        LegacyPacketPools.FreePacket(packet);
    }

    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
    {
        LastReceived = packet;
        if (_inArray >= 0)
            _inArray++;
        Ndis5.QueryPacket(packet, out _, out _, out var buffer, out uint total);
        var bytes = new byte[total];
        int at = 0;
        for (; buffer is not null; Ndis5.GetNextBuffer(buffer, out buffer))
        {
            Ndis5.QueryBuffer(buffer, out var va, out uint length);
            va.Span[..(int)length].CopyTo(bytes.AsSpan(at));
            at += (int)length;
        }
        Received.Add(bytes);
        if (OnReceive is not null)
            return OnReceive(packet);
        if (!Keep)
            return 0;
        Kept.Enqueue(packet);
        return 1;
    }

    public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
    {
    }

    public void ProtocolReceiveComplete(object? protocolBindingContext)
    {
    }
}
