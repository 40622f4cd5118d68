using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// The NDIS 5.x CoNDIS binding: one 5.x client opened on one 5.x miniport. It is the client's NdisBindingHandle and
/// the miniport's MiniportAdapterHandle, and it owns the VCs (<see cref="LegacyCoVc"/>, the NdisVcHandle) created on
/// it. It stands for NDIS 5 between the two and enforces the CoNDIS 5 data-path rules (NdisCoSendPackets,
/// NdisMCoSendComplete, NdisMCoIndicateReceivePacket and NdisReturnPackets in the NDIS 5.1 reference): every sent
/// packet comes back once through ProtocolCoSendComplete; every indicated packet goes back once through
/// MiniportReturnPacket after the count ProtocolCoReceivePacket returned has been given back; a packet indicated with
/// NDIS_STATUS_RESOURCES (and every later one of the same array) is the miniport's again when the indication
/// returns, and the protocol must have returned 0 for it.
/// <para>Either side may be real 5.x driver code or the translation layer standing in for the NDIS 6 world; the
/// binding does not know which. Its verifier is its handle's: for a binding under a runtime, the runtime's.</para>
/// <para>Who owns what: each packet's own state (sending, indicated, held) and the count of references a protocol
/// still holds on an indicated packet belong to the packet and are moved only here; the counts of packets in flight
/// on a VC belong to that <see cref="LegacyCoVc"/>. The binding keeps no counts of its own.</para>
/// </summary>
public sealed class LegacyCoBinding
{
    // The indication in progress on this thread (for NdisGetReceivedPacket): one thread-static holder, so entering
    // and leaving an indication is one thread-local lookup and plain field writes.
    [ThreadStatic] private static Indication? t_indication;

    public LegacyCoBinding(NdisHandle ndis, ILegacyCoMiniport miniport, object? miniportAdapterContext,
        ILegacyCoClient client, object? protocolBindingContext)
    {
        ArgumentNullException.ThrowIfNull(ndis);
        ArgumentNullException.ThrowIfNull(miniport);
        ArgumentNullException.ThrowIfNull(client);
        Ndis = ndis;
        Miniport = miniport;
        MiniportAdapterContext = miniportAdapterContext;
        Client = client;
        ProtocolBindingContext = protocolBindingContext;
        IndicationBoundary = client as ILegacyCoIndicationBoundary;
        CallControl = miniport as ILegacyCoCallControl ?? client as ILegacyCoCallControl;
    }

    /// <summary>The NDIS handle whose verifier judges this binding.</summary>
    public NdisHandle Ndis { get; }

    /// <summary>The verifier.</summary>
    public NdisVerifier Verifier => Ndis.Verifier;

    /// <summary>The legacy miniport below.</summary>
    public ILegacyCoMiniport Miniport { get; }

    /// <summary>MiniportAdapterContext (what MiniportInitialize gave NDIS).</summary>
    public object? MiniportAdapterContext { get; }

    /// <summary>The legacy client above.</summary>
    public ILegacyCoClient Client { get; }

    /// <summary>ProtocolBindingContext (what ProtocolBindAdapter gave NDIS).</summary>
    public object? ProtocolBindingContext { get; }

    /// <summary>The client's view of where an indicated packet array begins and ends, when it has one.</summary>
    internal ILegacyCoIndicationBoundary? IndicationBoundary { get; }

    /// <summary>
    /// The NDIS that the call-control DDIs on this binding reach (the layer that binds it to the NDIS 6 runtime), or
    /// null for a direct binding with no call control.
    /// </summary>
    public ILegacyCoCallControl? CallControl { get; }

    /// <summary>
    /// NdisCoCreateVc on this binding: creates the VC and calls MiniportCoCreateVc. On failure
    /// <paramref name="ndisVcHandle"/> is null.
    /// </summary>
    public NdisStatus CreateVc(object? protocolVcContext, out LegacyCoVc? ndisVcHandle)
    {
        var vc = new LegacyCoVc(this, protocolVcContext);
        var status = Miniport.MiniportCoCreateVc(MiniportAdapterContext, vc, out var miniportVcContext);
        if (status == NdisStatus.Pending)
            throw new InvalidOperationException("MiniportCoCreateVc is synchronous and may not return NDIS_STATUS_PENDING.");
        if (status != NdisStatus.Success)
        {
            ndisVcHandle = null;
            return status;
        }
        vc.MiniportVcContext = miniportVcContext;
        ndisVcHandle = vc;
        return status;
    }

    /// <summary>
    /// Not an NDIS DDI: NDIS's own VC handle for a VC no MiniportCoCreateVc backs, for the layer standing in for NDIS. It
    /// serves a VC that an integrated call manager answers for (NDIS 5 calls only the MCM's ProtocolCoCreateVc, whose
    /// context becomes the MiniportVcContext), or the handle a stand-alone call manager is given for a client's VC. The
    /// contexts may be filled in later with <see cref="LegacyCoVc.AssignProtocolVcContext"/> and
    /// <see cref="LegacyCoVc.AssignMiniportVcContext"/>, while the VC is not yet active.
    /// </summary>
    public LegacyCoVc CreateVcHandle(object? protocolVcContext, object? miniportVcContext) =>
        new(this, protocolVcContext) { MiniportVcContext = miniportVcContext };

    /// <summary>
    /// Not an NDIS DDI: deletes a handle made with <see cref="CreateVcHandle"/> (no MiniportCoDeleteVc). NOT_ACCEPTED while
    /// active; packets still in flight are a leak finding, as for NdisCoDeleteVc.
    /// </summary>
    public NdisStatus DeleteVcHandle(LegacyCoVc ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        if (!ReferenceEquals(ndisVcHandle.Binding, this))
            throw new ArgumentException($"{ndisVcHandle} belongs to {ndisVcHandle.Binding}, not {this}.", nameof(ndisVcHandle));
        return ndisVcHandle.Delete(callMiniport: false);
    }

    /// <summary>
    /// Gives an indicated packet back to the miniport (the protocol's count reached zero), counted home on its VC first,
    /// so a miniport that looks at the VC's count in MiniportReturnPacket sees it current.
    /// </summary>
    internal void ReturnToMiniport(NdisPacket packet)
    {
        var vc = packet.DataPathVc;
        packet.DataPathState = LegacyDataPathState.Idle;
        packet.DataPathVc = null;
        vc?.ReceivesReturned(1);
        Miniport.MiniportReturnPacket(MiniportAdapterContext, packet);
    }

    /// <summary>NdisCancelSendPackets on this binding.</summary>
    internal void CancelSendPackets(nint cancelId)
    {
        if (Miniport is ILegacyMiniportCancelSendPackets cancel)
            cancel.MiniportCancelSendPackets(MiniportAdapterContext, cancelId);
    }

    /// <summary>NdisMCoReceiveComplete on this binding.</summary>
    internal void ReceiveComplete() => Client.ProtocolReceiveComplete(ProtocolBindingContext);

    /// <summary>NdisMCoIndicateStatus on this binding.</summary>
    internal void IndicateStatus(LegacyCoVc? vc, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize) =>
        Client.ProtocolCoStatus(ProtocolBindingContext, vc?.ProtocolVcContext, generalStatus, statusBuffer, statusBufferSize);

    /// <summary>
    /// A packet (and the pools of its buffers) from a pool allocated without a driver handle joins this binding's
    /// verifier the first time it crosses the binding, so its findings land where the binding's runtime counts them.
    /// </summary>
    internal void AdoptPools(NdisPacket packet)
    {
        var handle = packet.Private.Pool.Handle;
        if (handle.HasVerifier)
            return;
        var verifier = handle.AssignVerifier(Verifier);
        for (var buffer = packet.FirstBuffer; buffer is not null; buffer = buffer.Next)
        {
            var pool = NdisBufferPool.PoolOf(buffer);
            if (pool is not null && !pool.Handle.HasVerifier)
                pool.Handle.AssignVerifier(verifier);
        }
    }

    /// <summary>This thread's indication record; entering an indication sets it and leaving puts the previous values back.</summary>
    internal static Indication CurrentIndication => t_indication ??= new Indication();

    /// <summary>
    /// NdisGetReceivedPacket(NdisBindingHandle, MacContext). CoNDIS indications are always whole packets,
    /// so the MacContext the receiver holds is the indicated packet itself: the packet is returned while
    /// its indication is in progress on this binding and this thread, otherwise null (model choice).
    /// </summary>
    internal NdisPacket? GetReceivedPacket(object? macContext) =>
        t_indication is { } indication && ReferenceEquals(indication.Binding, this) && indication.Packet is { } packet
        && ReferenceEquals(packet, macContext)
            ? packet
            : null;

    /// <inheritdoc />
    public override string ToString() => $"LegacyCoBinding '{Ndis.Name}'";

    /// <summary>The binding and packet of the receive indication in progress on one thread.</summary>
    internal sealed class Indication
    {
        public LegacyCoBinding? Binding;
        public NdisPacket? Packet;
    }
}
