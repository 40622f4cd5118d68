using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// The direct legacy binding: one NDIS 5.x CoNDIS client opened on one NDIS 5.x CoNDIS miniport, with
/// no NET_BUFFER runtime and no translation in between. It is the client's NdisBindingHandle and the
/// miniport's MiniportAdapterHandle, and it owns the VCs (<see cref="LegacyCoVc"/>, the NdisVcHandle)
/// created on it. It enforces the CoNDIS 5 data-path rules (spec §7.6–7.7): every sent packet comes
/// back once through ProtocolCoSendComplete; every indicated packet goes back once through
/// MiniportReturnPacket after the protocol's reference count drops to zero; a packet indicated with
/// NDIS_STATUS_RESOURCES (and every later one of the same array) is reclaimed when the indication
/// returns, and the protocol must have returned 0 for it. The full runtime will bind legacy drivers
/// through the translation layer instead; this binding exists so 5.x drivers run and test on their own.
/// </summary>
public sealed class LegacyCoBinding
{
    [ThreadStatic] private static LegacyCoBinding? t_indicatingBinding;
    [ThreadStatic] private static NdisPacket? t_indicatingPacket;

    private long _sends;
    private long _sendCompletions;
    private long _indications;
    private long _resourcesIndications;
    private long _miniportReturns;

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

    /// <summary>Packets handed to MiniportCoSendPackets.</summary>
    public long Sends => Interlocked.Read(ref _sends);

    /// <summary>Packets completed to ProtocolCoSendComplete.</summary>
    public long SendCompletions => Interlocked.Read(ref _sendCompletions);

    /// <summary>Packets indicated to ProtocolCoReceivePacket.</summary>
    public long Indications => Interlocked.Read(ref _indications);

    /// <summary>Packets indicated with NDIS_STATUS_RESOURCES (reclaimed at indication return).</summary>
    public long ResourcesIndications => Interlocked.Read(ref _resourcesIndications);

    /// <summary>Calls of MiniportReturnPacket.</summary>
    public long MiniportReturns => Interlocked.Read(ref _miniportReturns);

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

    internal void CountSends(uint count) => Interlocked.Add(ref _sends, count);

    internal void CountSendCompletion() => Interlocked.Increment(ref _sendCompletions);

    internal void CountIndication(bool resources)
    {
        Interlocked.Increment(ref _indications);
        if (resources)
            Interlocked.Increment(ref _resourcesIndications);
    }

    /// <summary>Gives an indicated packet back to the miniport (the count reached zero).</summary>
    internal void ReturnToMiniport(NdisPacket packet)
    {
        var vc = packet.DataPathVc;
        packet.DataPathState = LegacyDataPathState.Idle;
        packet.DataPathVc = null;
        vc?.ReceiveReturned();
        Interlocked.Increment(ref _miniportReturns);
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

    /// <summary>Enters a receive indication of <paramref name="packet"/> on this thread (for NdisGetReceivedPacket).</summary>
    internal (LegacyCoBinding? Binding, NdisPacket? Packet) EnterIndication(NdisPacket packet)
    {
        var previous = (t_indicatingBinding, t_indicatingPacket);
        t_indicatingBinding = this;
        t_indicatingPacket = packet;
        return previous;
    }

    internal static void LeaveIndication((LegacyCoBinding? Binding, NdisPacket? Packet) previous)
    {
        t_indicatingBinding = previous.Binding;
        t_indicatingPacket = previous.Packet;
    }

    /// <summary>
    /// NdisGetReceivedPacket(NdisBindingHandle, MacContext). CoNDIS indications are always whole packets,
    /// so the MacContext the receiver holds is the indicated packet itself: the packet is returned while
    /// its indication is in progress on this binding and this thread, otherwise null (model choice).
    /// </summary>
    internal NdisPacket? GetReceivedPacket(object? macContext) =>
        ReferenceEquals(t_indicatingBinding, this) && t_indicatingPacket is { } packet && ReferenceEquals(packet, macContext)
            ? packet
            : null;

    /// <inheritdoc />
    public override string ToString() => $"LegacyCoBinding '{Ndis.Name}'";
}
