using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Translation.Adapters;

/// <summary>
/// Runs an NDIS 5.x CoNDIS miniport under the NBL runtime, as NDIS 6 does for 5.x miniports: to the runtime it is an
/// <see cref="ICoMiniport"/>; to the 5.x miniport it is the protocol side of a <see cref="LegacyCoBinding"/>. Every
/// send is split into one NDIS_PACKET per NET_BUFFER (no data copied) and completes once its last packet did, with
/// the first failure; every receive packet is wrapped in an NBL (or copied, when indicated with RESOURCES) and goes
/// back to the miniport when the NBL is returned. The runtime learns of it by registration: it is registered as any
/// miniport is (<see cref="Register"/>), and NetBufferCore never references this assembly.
/// </summary>
public sealed class LegacyMiniportAdapter : ICoMiniport, ILegacyCoClient, ILegacyCoVcEvents
{
    private readonly NblToPacketTranslator _sends;
    private readonly PacketToNblTranslator _receives;
    private readonly TranslationCounters _counters = new();

    public LegacyMiniportAdapter(NdisHandle handle, ILegacyCoMiniport miniport, object? miniportAdapterContext, TranslatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(miniport);
        options ??= new TranslatorOptions { CopyDataSize = 65536 + 16384 };
        Handle = handle;
        _sends = new NblToPacketTranslator(handle, options);
        _receives = new PacketToNblTranslator(handle, options);
        LegacyBinding = new LegacyCoBinding(handle, miniport, miniportAdapterContext, this, protocolBindingContext: this);
    }

    /// <summary>The binding the 5.x miniport sees (its MiniportAdapterHandle for the NDIS 5 calls).</summary>
    public LegacyCoBinding LegacyBinding { get; }

    /// <summary>The runtime adapter this adapter registered as.</summary>
    public CoMiniportAdapter? Adapter { get; private set; }

    public NdisHandle Handle { get; }

    /// <summary>What the translation did so far (folded once per batch).</summary>
    public TranslationCounts Counters => _counters.Snapshot();

    /// <summary>True when no translated packet or NBL is outstanding.</summary>
    public bool IsIdle => _sends.IsIdle && _receives.IsIdle;

    /// <summary>Registers this adapter with <paramref name="runtime"/> as a CoNDIS miniport adapter.</summary>
    public CoMiniportAdapter Register(CoNdisRuntime runtime, string name)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        Adapter = runtime.RegisterMiniport(name, this, adapterContext: this);
        return Adapter;
    }

    /// <summary>The 5.x VC behind a runtime VC.</summary>
    public static LegacyCoVc LegacyVcOf(VirtualConnection vc)
    {
        ArgumentNullException.ThrowIfNull(vc);
        return ((TranslatedVc)vc.MiniportContext!).Legacy;
    }

    // ---- ICoMiniport: what the runtime asks ----------------------------------------------------------

    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, VirtualConnection ndisVcHandle, out object? miniportVcContext)
    {
        var translated = new TranslatedVc(ndisVcHandle);
        var status = Ndis5.CoCreateVc(LegacyBinding, null, translated, out var legacy);
        miniportVcContext = status == NdisStatus.Success ? translated : null;
        if (status == NdisStatus.Success)
            translated.Legacy = legacy!;
        return status;
    }

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => Ndis5.CoDeleteVc(((TranslatedVc)miniportVcContext!).Legacy);

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, CoCallParameters callParameters) =>
        Ndis5.CmActivateVc(((TranslatedVc)miniportVcContext!).Legacy, callParameters);

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => Ndis5.CmDeactivateVc(((TranslatedVc)miniportVcContext!).Legacy);

    public void ProtocolCmActivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle, object? callParameters)
    {
        var vc = ((TranslatedVc)ndisVcHandle.ProtocolVcContext!).Runtime;
        Ndis.MCoActivateVcComplete(status, vc, callParameters as CoCallParameters ?? vc.CallParameters ?? CoCallParameters.BestEffort(FlowSpec.NotSpecified));
    }

    public void ProtocolCmDeactivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle) =>
        Ndis.MCoDeactivateVcComplete(status, ((TranslatedVc)ndisVcHandle.ProtocolVcContext!).Runtime);

    /// <summary>
    /// MiniportCoSendNetBufferLists: one packet per NB through the pure translation step, handed down in arrays of
    /// up to 64 (NdisCoSendPackets). NBLs that finished while this call ran (rejected, or completed inline) are
    /// completed upward as one chain at the end.
    /// </summary>
    public void MiniportCoSendNetBufferLists(object? miniportVcContext, NetBufferList netBufferLists, SendFlags sendFlags)
    {
        var vc = (TranslatedVc)miniportVcContext!;
        var completed = PacketArrays.RentQueue();
        var counts = default(TranslationCounts);
        var cursor = new NblToPacketCursor(netBufferLists);
        var array = PacketArrays.Rent();
        int used = 0;
        NetBufferList? done;
        try
        {
            while (!cursor.IsAtEnd)
            {
                var outcome = _sends.TranslateNext(ref cursor, completed, ref counts, out var packet);
                if (packet is not null)
                {
                    array[used++] = packet;
                    if (used == array.Length)
                        used = Flush(vc, array, used);
                }
                else if (outcome == TranslationOutcome.OutOfResources)
                {
                    // Hand down what we have (its completions refill the pools), then give up on the rest if still dry.
                    if (used > 0)
                    {
                        used = Flush(vc, array, used);
                        continue;
                    }
                    _sends.AbortRemaining(ref cursor, NdisStatus.Resources, completed, ref counts);
                }
            }
            if (used > 0)
                used = Flush(vc, array, used);
        }
        finally
        {
            PacketArrays.Release(array, used);
            done = completed.DequeueAll();
            PacketArrays.ReleaseQueue(completed);
        }
        _counters.Fold(ref counts);
        if (done is not null)
            Ndis.MCoSendNetBufferListsComplete(vc.Runtime, done, SendCompleteFlags.None);
    }

    public void MiniportReturnNetBufferLists(object? miniportAdapterContext, NetBufferList netBufferLists, ReturnFlags returnFlags)
    {
        var counts = default(TranslationCounts);
        var array = PacketArrays.Rent();
        int used = 0;
        try
        {
            for (var nbl = netBufferLists; nbl is not null;)
            {
                var next = nbl.Next;
                nbl.Next = null;
                var packet = _receives.Return(nbl, ref counts);
                if (packet is not null)
                {
                    array[used++] = packet;
                    if (used == array.Length)
                    {
                        Ndis5.ReturnPackets(array, (uint)used);
                        Array.Clear(array, 0, used);
                        used = 0;
                    }
                }
                nbl = next;
            }
            if (used > 0)
                Ndis5.ReturnPackets(array, (uint)used);
        }
        finally
        {
            PacketArrays.Release(array, used);
        }
        _counters.Fold(ref counts);
    }

    public void MiniportCancelSend(object? miniportAdapterContext, nint cancelId) => Ndis5.CancelSendPackets(LegacyBinding, cancelId);

    public NdisStatus MiniportCoOidRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest oidRequest) =>
        Ndis5.CoRequest(LegacyBinding, null, (miniportVcContext as TranslatedVc)?.Legacy, null, oidRequest);

    // ---- ILegacyCoClient: what the 5.x miniport indicates ----------------------------------------------

    /// <summary>ProtocolCoSendComplete: one packet is done; its NBL completes upward when it was the last.</summary>
    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        var completed = PacketArrays.RentQueue();
        var counts = default(TranslationCounts);
        bool last = _sends.CompletePacket(packet, status, completed, ref counts);
        var done = completed.DequeueAll();
        PacketArrays.ReleaseQueue(completed);
        _counters.Fold(ref counts);
        if (last)
            Ndis.MCoSendNetBufferListsComplete(vc.Runtime, done, SendCompleteFlags.None);
    }

    /// <summary>
    /// ProtocolCoReceivePacket: a packet with RESOURCES is copied into a runtime-owned NBL (the miniport gets it back
    /// when this returns: count 0); any other is wrapped without a copy and held (count 1) until the NBL is returned.
    /// </summary>
    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        var counts = default(TranslationCounts);
        var outcome = _receives.TranslateReceived(packet, ref counts, out var nbl);
        _counters.Fold(ref counts);
        if (nbl is null)
            return 0; // could not translate (counted): the packet goes straight back
        nbl.SourceHandle = vc.Runtime;
        Ndis.MCoIndicateReceiveNetBufferLists(vc.Runtime, nbl, 1, ReceiveFlags.None);
        return outcome == TranslationOutcome.BounceRequired ? 0u : 1u;
    }

    public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
    {
        if (Adapter is null)
            return;
        Ndis.MCoIndicateStatusEx(Adapter, (protocolVcContext as TranslatedVc)?.Runtime, new NdisStatusIndication((uint)generalStatus, statusBuffer));
    }

    public void ProtocolReceiveComplete(object? protocolBindingContext)
    {
    }

    /// <summary>Frees the translators' pools; returns the objects still outstanding (leaks).</summary>
    public int FreePools() => _sends.FreePools() + _receives.FreePools();

    private static int Flush(TranslatedVc vc, NdisPacket[] array, int used)
    {
        Ndis5.CoSendPackets(vc.Legacy, array, (uint)used);
        Array.Clear(array, 0, used);
        return 0;
    }
}
