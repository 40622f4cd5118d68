using System.Collections.Concurrent;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Info;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.Hardware.Tests.Miniports;

/// <summary>
/// A 5.x CoNDIS client on a direct <see cref="LegacyCoBinding"/> with the 5.x reference miniport, written against
/// <see cref="Ndis5"/>: it creates and activates VCs on channels itself (no call manager on a direct binding), sends
/// packets over pinned buffers, keeps what it receives and holds packets (count 1) on request.
/// </summary>
internal sealed class LegacyTestClient : ILegacyCoClient, ILegacyCoVcEvents, IDisposable
{
    private readonly ConcurrentQueue<(object? Vc, byte[] Bytes, NdisTcpIpChecksumPacketInfo Checksum, Ieee8021QInfo Tag, bool Resources)> _received = new();
    private readonly ConcurrentQueue<NdisPacket> _held = new();
    private readonly ConcurrentDictionary<NdisStatus, long> _completions = new();
    private readonly NdisPacketPool _packets;
    private readonly NdisBufferPool _buffers;
    private long _completed;
    private long _receivedCount;

    public LegacyTestClient(NicOptions? nic = null, CoNdis.Hardware.Links.ILinkPort? port = null, NicMiniportOptions? options = null, DeviceClock? clock = null)
    {
        Handle = new NdisHandle("5.x test host", new NdisVerifier(VerifierMode.Strict));
        Nic = new SimulatedNic(port ?? new CoNdis.Hardware.Links.LoopbackLink(), nic ?? DeviceHost.Inline, clock, "5.x nic");
        Miniport = new LegacyNicMiniport(Nic, options ?? new NicMiniportOptions { IntegratedCallManager = false, WatchdogInterval = TimeSpan.Zero });
        Binding = new LegacyCoBinding(Handle, Miniport, Miniport, this, this);
        var status = Miniport.MiniportInitialize(Binding);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"MiniportInitialize: {status.Describe()}");
        Ndis5.AllocatePacketPool(out _, out var packets, 4096, 16, Handle);
        Ndis5.AllocateBufferPool(out _, out _buffers, 8192, Handle);
        _packets = packets!;
    }

    public NdisHandle Handle { get; }

    public SimulatedNic Nic { get; }

    public LegacyNicMiniport Miniport { get; }

    public LegacyCoBinding Binding { get; }

    public bool HoldReceives { get; set; }

    public long CompletedCount => Interlocked.Read(ref _completed);

    public long CompletedWith(NdisStatus status) => _completions.GetValueOrDefault(status);

    public long ReceivedCount => Interlocked.Read(ref _receivedCount);

    public IReadOnlyList<(object? Vc, byte[] Bytes, NdisTcpIpChecksumPacketInfo Checksum, Ieee8021QInfo Tag, bool Resources)> Received => [.. _received];

    public List<NdisStatus> Statuses { get; } = [];

    public int OutstandingPoolObjects => _packets.Usage + _buffers.Counters.Outstanding;

    /// <summary>Creates a VC and activates it on <paramref name="channels"/>.</summary>
    public LegacyCoVc OpenVc(ChannelBinding channels, object? context = null)
    {
        var status = Ndis5.CoCreateVc(Binding, null, context, out var vc);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoCreateVc: {status.Describe()}");
        status = Ndis5.CmActivateVc(vc!, DeviceCallParameters.ForChannels(channels));
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCmActivateVc: {status.Describe()}");
        return vc!;
    }

    /// <summary>Deactivates (waiting for a pended one) and deletes.</summary>
    public void CloseVc(LegacyCoVc vc)
    {
        if (Ndis5.CmDeactivateVc(vc) == NdisStatus.Pending)
            Wait.Until(() => vc.State == LegacyVcState.Deactivated, "the pended deactivation");
        var status = Ndis5.CoDeleteVc(vc);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisCoDeleteVc: {status.Describe()}");
    }

    public void Send(LegacyCoVc vc, IReadOnlyList<byte[]> frames, int buffersPerPacket = 1, uint checksum = 0, uint ieee8021Q = 0, nint cancelId = 0)
    {
        var array = new NdisPacket[frames.Count];
        for (int i = 0; i < frames.Count; i++)
        {
            Ndis5.AllocatePacket(out var status, out var packet, _packets);
            if (status != NdisStatus.Success)
                throw new InvalidOperationException("packet pool exhausted");
            var frame = frames[i];
            int pieces = Math.Clamp(buffersPerPacket, 1, frame.Length);
            var memory = NdisMemory.AllocatePinned(frame.Length);
            frame.CopyTo(memory.Span);
            int at = 0;
            for (int p = 0; p < pieces; p++)
            {
                int length = p == pieces - 1 ? frame.Length - at : frame.Length / pieces;
                Ndis5.AllocateBuffer(out _, out var buffer, _buffers, memory.Slice(at, length), (uint)length);
                Ndis5.ChainBufferAtBack(packet!, buffer!);
                at += length;
            }
            packet!.Extension.Checksum = new NdisTcpIpChecksumPacketInfo(checksum);
            packet.Extension.Ieee8021Q = new Ieee8021QInfo(ieee8021Q);
            Ndis5.SetPacketCancelId(packet, cancelId);
            array[i] = packet;
        }
        Ndis5.CoSendPackets(vc, array, (uint)array.Length);
    }

    public void ReturnHeld()
    {
        var list = new List<NdisPacket>();
        while (_held.TryDequeue(out var packet))
            list.Add(packet);
        if (list.Count > 0)
            Ndis5.ReturnPackets([.. list], (uint)list.Count);
    }

    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
    {
        _completions.AddOrUpdate(status, 1, (_, n) => n + 1);
        while (true)
        {
            Ndis5.UnchainBufferAtFront(packet, out var buffer);
            if (buffer is null)
                break;
            Ndis5.FreeBuffer(buffer);
        }
        Ndis5.FreePacket(packet);
        Interlocked.Increment(ref _completed);
    }

    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
    {
        Ndis5.QueryPacket(packet, out _, out _, out var buffer, out uint total);
        var bytes = new byte[total];
        int at = 0;
        while (buffer is not null)
        {
            Ndis5.QueryBuffer(buffer, out var va, out uint length);
            va.Span[..(int)length].CopyTo(bytes.AsSpan(at));
            at += (int)length;
            Ndis5.GetNextBuffer(buffer, out buffer);
        }
        bool resources = packet.Status == NdisStatus.Resources;
        _received.Enqueue((protocolVcContext, bytes, packet.Extension.Checksum, packet.Extension.Ieee8021Q, resources));
        Interlocked.Increment(ref _receivedCount);
        if (resources || !HoldReceives)
            return 0;
        _held.Enqueue(packet);
        return 1;
    }

    public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
    {
        lock (Statuses)
            Statuses.Add(generalStatus);
    }

    public void ProtocolReceiveComplete(object? protocolBindingContext)
    {
    }

    public void ProtocolCmActivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle, object? callParameters)
    {
    }

    public void ProtocolCmDeactivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle)
    {
    }

    public void Dispose() => Miniport.Dispose();
}
