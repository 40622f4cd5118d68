using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Info;

namespace CoNdis.TestDrivers.Legacy;

/// <summary>
/// The NDIS 5.x CoNDIS test miniport (MiniportCo* handlers of NDIS51_MINIPORT_CHARACTERISTICS, written only against
/// <see cref="Ndis5"/>), one class for every test and benchmark, bound directly (<see cref="LegacyCoBinding"/>) or
/// under the NBL runtime by the translation layer, set up by the knobs of <see cref="TestMiniport{TVcHandle, TSend}"/>
/// like the native test miniport: it completes sends inline, on demand (in wire order per VC, as a send-complete
/// interrupt would) or on its own thread; indicates the frames that complete successfully back as copies in its own
/// receive packets, one array per completion, with NDIS_STATUS_RESOURCES once its free receive packets are down to
/// <see cref="LowWater"/>; reclaims RESOURCES packets when the indication returns and the others in
/// MiniportReturnPacket; pends activation and deactivation when asked and deactivates only after its sends are done and
/// its receives are home; cancels by packet cancel ID; answers link speed, frame size and media state
/// (MiniportCoRequest). Inline completion keeps no per-send state and takes no lock when nothing is recorded or looped
/// back, so the benchmarks measure the runtime through it. Packets returned to it that it did not indicate (a test
/// indicating its own) are counted in <see cref="ForeignReturns"/>.
/// </summary>
public sealed class LegacyTestMiniport : TestMiniport<LegacyCoVc, NdisPacket>, ILegacyCoMiniport, ILegacyMiniportCancelSendPackets, ILegacyMiniportCoRequest
{
    private readonly NdisPacketPool _receivePackets;
    private readonly NdisBufferPool _receiveBuffers;
    private int _reclaimedAtIndicationReturn;
    private int _dropped;
    private long _foreignReturns;

    /// <summary>Allocates the receive pools (NdisAllocatePacketPoolEx, NdisAllocateBufferPool) from <paramref name="ndis"/>.</summary>
    public LegacyTestMiniport(NdisHandle ndis, uint receivePackets = 1024)
    {
        ArgumentNullException.ThrowIfNull(ndis);
        Ndis5.AllocatePacketPoolEx(out var status, out var pool, receivePackets, 0, (uint)NdisPacket.ProtocolReservedSizeInPacket, ndis);
        _receivePackets = pool ?? throw new InvalidOperationException($"5.x test miniport: NdisAllocatePacketPoolEx: {status}");
        Ndis5.AllocateBufferPool(out status, out _receiveBuffers, receivePackets * 4, ndis);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"5.x test miniport: NdisAllocateBufferPool: {status}");
    }

    /// <summary>Looped-back frames are indicated with NDIS_STATUS_RESOURCES from the one that leaves this many free receive packets or fewer.</summary>
    public int LowWater { get; set; }

    /// <summary>Own RESOURCES receive packets reclaimed when their indication returned.</summary>
    public int ReclaimedAtIndicationReturn => Volatile.Read(ref _reclaimedAtIndicationReturn);

    /// <summary>Looped-back frames dropped because no receive packet was free.</summary>
    public int DroppedReceives => Volatile.Read(ref _dropped);

    /// <summary>Packets returned that this miniport did not indicate, counted without a lock (one returning thread at a time).</summary>
    public long ForeignReturns => Volatile.Read(ref _foreignReturns);

    /// <summary>Receive packets in use (NdisPacketPoolUsage).</summary>
    public uint ReceivePacketsInUse => Ndis5.PacketPoolUsage(_receivePackets);

    /// <summary>Receive packets and buffers still out.</summary>
    public int OutstandingPoolObjects => (int)ReceivePacketsInUse + _receiveBuffers.Counters.Outstanding;

    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, LegacyCoVc ndisVcHandle, out object? miniportVcContext) =>
        CreateVc(ndisVcHandle, out miniportVcContext);

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => DeleteVc(miniportVcContext);

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, object? callParameters) => Activate((MiniportVc)miniportVcContext!);

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => Deactivate((MiniportVc)miniportVcContext!);

    public void MiniportCoSendPackets(object? miniportVcContext, NdisPacket[] packetArray, uint numberOfPackets)
    {
        ArgumentNullException.ThrowIfNull(packetArray);
        var vc = (MiniportVc)miniportVcContext!;
        if (RecordSentFrames)
        {
            for (int i = 0; i < numberOfPackets; i++)
                Record(LegacyFrames.Bytes(packetArray[i]));
        }
        if (SendCompletion == SendCompletion.Inline && !Loopback)
        {
            // The benchmarks' path: each packet goes back at once, with no state kept and no lock taken.
            for (int i = 0; i < numberOfPackets; i++)
                Ndis5.MCoSendComplete(NdisStatus.Success, vc.Handle, packetArray[i]);
            return;
        }
        var sends = packetArray[..(int)numberOfPackets]; // the array is the caller's again when we return
        if (SendCompletion == SendCompletion.Inline)
            Complete(vc, sends, NdisStatus.Success, counted: false);
        else
            Accept(vc, sends);
    }

    public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (!ReferenceEquals(packet.Private.Pool, _receivePackets))
        {
            _foreignReturns++;
            return;
        }
        var vc = (MiniportVc)packet.MiniportReserved[0]!;
        Reclaim(packet);
        ReceivesBack(vc, 1);
    }

    // if (NDIS_GET_PACKET_CANCEL_ID(pPacket) == CancelId) NdisMCoSendComplete(NDIS_STATUS_SEND_ABORTED, …)
    public void MiniportCancelSendPackets(object? miniportAdapterContext, nint cancelId) => Cancel(packet => Ndis5.GetPacketCancelId(packet) == cancelId);

    public NdisStatus MiniportCoRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest ndisRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisRequest);
        if (ndisRequest.RequestType != NdisRequestType.QueryInformation)
            return NdisStatus.NotSupported;
        return ndisRequest.Oid switch
        {
            NdisOid.CoLinkSpeed => ndisRequest.WriteUInt64(1_550_000UL | (1_550_000UL << 32)),
            NdisOid.GenMaximumFrameSize => ndisRequest.WriteUInt32(9180),
            NdisOid.CoMediaConnectStatus => ndisRequest.WriteUInt32(0), // NdisMediaStateConnected
            _ => NdisStatus.NotSupported,
        };
    }

    /// <summary>Completes a pended activation (NdisMCoActivateVcComplete) or deactivation (NdisMCoDeactivateVcComplete, once the VC is idle).</summary>
    public void FinishPendedActivation(LegacyCoVc vc, NdisStatus status)
    {
        ArgumentNullException.ThrowIfNull(vc);
        FinishPended((MiniportVc)vc.MiniportVcContext!, status);
    }

    /// <summary>
    /// Indicates the frames on <paramref name="vc"/> as one packet array (NdisMCoIndicateReceivePacket), every packet
    /// with NDIS_STATUS_RESOURCES or none, then NdisMCoReceiveComplete; RESOURCES packets are reclaimed at once.
    /// </summary>
    public void Indicate(LegacyCoVc vc, IReadOnlyList<byte[]> frames, bool resources)
    {
        ArgumentNullException.ThrowIfNull(vc);
        ArgumentNullException.ThrowIfNull(frames);
        Indicate((MiniportVc)vc.MiniportVcContext!, frames, resources ? 0 : frames.Count, null);
    }

    /// <summary>Frees the receive pools (MiniportHalt).</summary>
    public void Halt()
    {
        Ndis5.FreePacketPool(_receivePackets);
        Ndis5.FreeBufferPool(_receiveBuffers);
    }

    /// <summary>Completes each packet (NdisMCoSendComplete); successful frames loop back afterwards, copied while the packets were ours.</summary>
    protected override void Complete(MiniportVc vc, NdisPacket[] sends, NdisStatus status, bool counted)
    {
        if (sends.Length == 0)
            return;
        byte[][]? echo = null;
        uint[]? echoTags = null;
        if (Loopback && status == NdisStatus.Success)
        {
            echo = [.. sends.Select(LegacyFrames.Bytes)];
            echoTags = [.. sends.Select(p => p.Extension.Ieee8021Q.Value)];
        }
        foreach (var packet in sends)
            Ndis5.MCoSendComplete(status, vc.Handle, packet);
        if (counted)
            Completed(vc, sends.Length);
        if (echo is not null)
            LoopBack(vc, echo, echoTags!);
    }

    protected override void CompleteActivation(MiniportVc vc, NdisStatus status) => Ndis5.MCoActivateVcComplete(status, vc.Handle, null);

    protected override void CompleteDeactivation(MiniportVc vc, NdisStatus status) => Ndis5.MCoDeactivateVcComplete(status, vc.Handle);

    /// <summary>
    /// The frames come back in this miniport's packets; once the pool is down to <see cref="LowWater"/> free packets
    /// the rest are RESOURCES, and frames beyond the pool are dropped.
    /// </summary>
    private void LoopBack(MiniportVc vc, byte[][] frames, uint[] tags)
    {
        int free = _receivePackets.Capacity - (int)ReceivePacketsInUse;
        int fit = Math.Min(frames.Length, free);
        if (fit < frames.Length)
            Interlocked.Add(ref _dropped, frames.Length - fit); // out of receive packets: the frames are dropped
        if (fit == 0)
            return;
        int resourcesFrom = fit;
        for (int i = 0; i < fit; i++)
        {
            if (free - (i + 1) <= LowWater)
            {
                resourcesFrom = i;
                break;
            }
        }
        Indicate(vc, frames[..fit], resourcesFrom, tags[..fit]);
    }

    /// <summary>
    /// Indicates the frames as one packet array; the packets from <paramref name="resourcesFrom"/> on carry
    /// NDIS_STATUS_RESOURCES (NDIS 5 treats every packet after a RESOURCES one as RESOURCES too) and are reclaimed when
    /// the indication returns; the others are the client's until MiniportReturnPacket.
    /// </summary>
    private void Indicate(MiniportVc vc, IReadOnlyList<byte[]> frames, int resourcesFrom, uint[]? tags)
    {
        var packets = new NdisPacket[frames.Count];
        for (int i = 0; i < frames.Count; i++)
        {
            var packet = packets[i] = LegacyFrames.Build(_receivePackets, _receiveBuffers, frames[i]);
            packet.HeaderSize = 0; // NDIS_SET_PACKET_HEADER_SIZE(pRecv, 0)
            packet.Status = i >= resourcesFrom ? NdisStatus.Resources : NdisStatus.Success; // NDIS_SET_PACKET_STATUS
            packet.MiniportReserved[0] = vc;
            if (tags is not null)
                packet.Extension.Ieee8021Q = new Ieee8021QInfo(tags[i]); // a NIC strips the tag and reports it per packet
        }
        int held = Math.Min(resourcesFrom, packets.Length);
        if (held > 0)
            ReceivesOut(vc, held);
        Ndis5.MCoIndicateReceivePacket(vc.Handle, packets, (uint)packets.Length);
        // Decided before indicating, never read from the packets afterwards: a RESOURCES packet is ours again now.
        for (int i = held; i < packets.Length; i++)
        {
            Reclaim(packets[i]);
            Interlocked.Increment(ref _reclaimedAtIndicationReturn);
        }
        Ndis5.MCoReceiveComplete(vc.Handle.Binding);
    }

    private static void Reclaim(NdisPacket packet)
    {
        packet.MiniportReserved[0] = null;
        LegacyFrames.Free(packet);
    }
}
