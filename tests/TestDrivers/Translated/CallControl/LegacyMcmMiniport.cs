using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.LegacyPacket.Samples;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;
using CoNdis.Translation.Adapters;

namespace CoNdis.TestDrivers.Translated.CallControl;

/// <summary>
/// A 5.x CoNDIS miniport with the ported call manager sample integrated in it (an MCM), written only against
/// <see cref="Ndis5"/> and run under the runtime by a <see cref="LegacyMiniportAdapter"/>. It registers the AF from its
/// "MiniportInitialize" (NdisMCmRegisterAddressFamily), completes sends inline or holds them, flushes a VC's held
/// sends with CLOSING before its call manager deactivates it, indicates frames, answers OID_GEN_MAXIMUM_FRAME_SIZE, and
/// counts the MiniportCoActivateVc/DeactivateVc calls NDIS should never make for its own VCs. It also plays the
/// call-manager role of the suite.
/// </summary>
public sealed class LegacyMcmMiniport : ILegacyCoMiniport, ILegacyMiniportCoRequest, ICallMiniport, ICallManager
{
    private readonly object _sync = new();
    private readonly List<(object? Vc, NdisPacket Packet)> _held = [];
    private readonly List<byte[]> _sent = [];
    private readonly NdisPacketPool _packets;
    private readonly NdisBufferPool _buffers;
    private int _activateCalls;

    public LegacyMcmMiniport(CoNdisRuntime runtime)
    {
        var handle = new NdisHandle("5.x MCM", runtime.Verifier);
        Ndis5.AllocatePacketPool(out _, out var packets, 256, 16, handle);
        Ndis5.AllocateBufferPool(out _, out _buffers, 256, handle);
        _packets = packets!;
        Translation = new LegacyMiniportAdapter(handle, this, miniportAdapterContext: this);
        Adapter = Translation.Register(runtime, "5.x MCM");
        Sample = new LegacyPointToPointCallManager { DeactivatingVc = FlushHeld };
        // MiniportInitialize: Status = NdisMCmRegisterAddressFamily(MiniportAdapterHandle, &AddressFamily, &CmChars, sizeof(CmChars));
        var status = Sample.RegisterIntegrated(Translation.LegacyBinding);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"NdisMCmRegisterAddressFamily: {status}");
    }

    public LegacyMiniportAdapter Translation { get; }

    public LegacyPointToPointCallManager Sample { get; }

    public CoMiniportAdapter Adapter { get; }

    public bool HoldSends { get; set; }

    public int HeldSends
    {
        get { lock (_sync) return _held.Count; }
    }

    public IReadOnlyList<byte[]> SentFrames
    {
        get { lock (_sync) return [.. _sent]; }
    }

    public uint MaximumFrameSize => 9180;

    /// <summary>Pend MiniportCoRequest; <see cref="CompletePendedRequests"/> answers with NdisMCoRequestComplete.</summary>
    public bool PendRequests { get; set; }

    private readonly List<NdisOidRequest> _pendedRequests = [];

    /// <summary>MiniportCoActivateVc and MiniportCoDeactivateVc calls seen (none for an MCM's own VCs).</summary>
    public int ActivateCalls => Volatile.Read(ref _activateCalls);

    // ---- the 5.x miniport half -----------------------------------------------------------------------------

    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, LegacyCoVc ndisVcHandle, out object? miniportVcContext)
    {
        miniportVcContext = ndisVcHandle;
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => NdisStatus.Success;

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, object? callParameters)
    {
        Interlocked.Increment(ref _activateCalls);
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext)
    {
        Interlocked.Increment(ref _activateCalls);
        return NdisStatus.Success;
    }

    public void MiniportCoSendPackets(object? miniportVcContext, NdisPacket[] packetArray, uint numberOfPackets)
    {
        for (int i = 0; i < numberOfPackets; i++)
        {
            var packet = packetArray[i];
            lock (_sync)
            {
                _sent.Add(Bytes(packet));
                if (HoldSends)
                {
                    _held.Add((miniportVcContext, packet));
                    continue;
                }
            }
            // NdisMCoSendComplete(NDIS_STATUS_SUCCESS, pVc->NdisVcHandle, Packet);
            Ndis5.MCoSendComplete(NdisStatus.Success, LegacyPointToPointCallManager.NdisVcHandleOf(miniportVcContext), packet);
        }
    }

    public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet)
    {
        Ndis5.UnchainBufferAtFront(packet, out var buffer);
        if (buffer is not null)
            Ndis5.FreeBuffer(buffer);
        Ndis5.FreePacket(packet);
    }

    public NdisStatus MiniportCoRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest ndisRequest)
    {
        if (ndisRequest.Oid != NdisOid.GenMaximumFrameSize)
            return NdisStatus.NotSupported;
        if (!PendRequests)
            return ndisRequest.WriteUInt32(MaximumFrameSize);
        lock (_sync)
            _pendedRequests.Add(ndisRequest);
        return NdisStatus.Pending;
    }

    /// <summary>Answers every pended request: NdisMCoRequestComplete(Status, MiniportAdapterHandle, Request).</summary>
    public int CompletePendedRequests()
    {
        List<NdisOidRequest> pended;
        lock (_sync)
        {
            pended = [.. _pendedRequests];
            _pendedRequests.Clear();
        }
        foreach (var request in pended)
            Ndis5.MCoRequestComplete(request.WriteUInt32(MaximumFrameSize), Translation.LegacyBinding, request);
        return pended.Count;
    }

    public int CompleteHeld(NdisStatus status)
    {
        List<(object? Vc, NdisPacket Packet)> held;
        lock (_sync)
        {
            held = [.. _held];
            _held.Clear();
        }
        foreach (var (vc, packet) in held)
            Ndis5.MCoSendComplete(status, LegacyPointToPointCallManager.NdisVcHandleOf(vc), packet);
        return held.Count;
    }

    public void Indicate(VirtualConnection vc, byte[] frame)
    {
        Ndis5.AllocatePacket(out var status, out var packet, _packets);
        if (packet is null)
            throw new InvalidOperationException($"MCM packet pool: {status}");
        var memory = NdisMemory.AllocatePinned(frame.Length);
        frame.CopyTo(memory.Span);
        Ndis5.AllocateBuffer(out _, out var buffer, _buffers, memory, (uint)frame.Length);
        Ndis5.ChainBufferAtFront(packet, buffer!);
        packet.Status = NdisStatus.Success;
        Ndis5.MCoIndicateReceivePacket(LegacyMiniportAdapter.LegacyVcOf(vc), [packet], 1);
        Ndis5.MCoReceiveComplete(Translation.LegacyBinding);
    }

    /// <summary>Before its call manager deactivates a VC, the miniport completes the VC's held sends with CLOSING.</summary>
    private void FlushHeld(object? vcContext)
    {
        List<NdisPacket> flushed = [];
        lock (_sync)
        {
            for (int i = _held.Count - 1; i >= 0; i--)
            {
                if (ReferenceEquals(_held[i].Vc, vcContext))
                {
                    flushed.Insert(0, _held[i].Packet);
                    _held.RemoveAt(i);
                }
            }
        }
        foreach (var packet in flushed)
            Ndis5.MCoSendComplete(NdisStatus.Closing, LegacyPointToPointCallManager.NdisVcHandleOf(vcContext), packet);
    }

    private static byte[] Bytes(NdisPacket packet)
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
        return bytes;
    }

    // ---- the call-manager role -------------------------------------------------------------------------------

    IReadOnlyList<string> ICallManager.Events => Sample.Events;

    bool ICallManager.PendCalls
    {
        get => Sample.PendCalls;
        set => Sample.PendCalls = value;
    }

    uint ICallManager.CallsConnected => Sample.CallsConnected;

    uint ICallManager.LastRequestAnswer => Sample.LastRequestAnswer;

    VirtualConnection ICallManager.OfferIncomingCall(CoCallParameters callParameters) => LegacyMiniportAdapter.RuntimeVcOf(Sample.OfferIncomingCall(callParameters));

    void ICallManager.RemoteClose(VirtualConnection vc) => Sample.RemoteClose(LegacyMiniportAdapter.LegacyVcOf(vc));

    NdisStatus ICallManager.RemoteQoSChange(VirtualConnection vc, CoCallParameters callParameters) => Sample.RemoteQoSChange(LegacyMiniportAdapter.LegacyVcOf(vc), callParameters);

    void ICallManager.RemoteDropParty(CoParty party) => Sample.RemoteDropParty(party);

    NdisStatus ICallManager.QueryClient(uint oid) => Sample.QueryClient(oid, new NdisRequest(NdisRequestType.QueryInformation, oid, new byte[4]));

    NdisStatus ICallManager.DeleteIncomingVc(VirtualConnection vc) => Sample.DeleteIncomingVc(LegacyMiniportAdapter.LegacyVcOf(vc));
}
