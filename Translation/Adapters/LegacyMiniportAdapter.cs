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
/// <para>Chains stay chains: the packets of one NBL chain go down in arrays of up to 64, and the sends the 5.x miniport
/// completes inline (inside NdisCoSendPackets) join the chain the call completes upward once, at its end; the packets of
/// one NdisMCoIndicateReceivePacket array go up as one NBL chain. Counters are folded once per such batch. A completion
/// the miniport makes on its own thread (its DPC) stands alone, as NDIS 5 completes packet by packet.</para>
/// <para>A 5.x miniport with an integrated call manager (an MCM) registers its AFs through this adapter too (the
/// CallControl part of this class): NdisMCmRegisterAddressFamily and the NdisMCm* calls reach the runtime.</para>
/// <para>A rule the 5.x miniport breaks is a finding of the runtime's verifier naming the rule, the packet and the VC;
/// in strict mode it is thrown to the miniport, after every NBL this call finished has gone up, so nothing is lost.</para>
/// </summary>
public sealed partial class LegacyMiniportAdapter : ICoMiniport, ILegacyCoClient, ILegacyCoVcEvents, ILegacyCoIndicationBoundary
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

    /// <summary>
    /// Registers this adapter with <paramref name="runtime"/> as a CoNDIS miniport adapter. A handle made without a
    /// verifier takes the runtime's, so the 5.x miniport's findings (and those of its pools) are the runtime's.
    /// </summary>
    public CoMiniportAdapter Register(CoNdisRuntime runtime, string name)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        Handle.AssignVerifier(runtime.Verifier);
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

    /// <summary>
    /// MiniportCoDeactivateVc through the 5.x miniport's; when it is done at once but the runtime VC still has transfers
    /// the 5.x miniport cannot see (copies of its RESOURCES receives with the protocol, completed sends on their way
    /// up), PENDING, and NdisMCoDeactivateVcComplete once they are home.
    /// </summary>
    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext)
    {
        var vc = (TranslatedVc)miniportVcContext!;
        var status = Ndis5.CmDeactivateVc(vc.Legacy);
        return status == NdisStatus.Success && vc.DeferDeactivation() ? NdisStatus.Pending : status;
    }

    /// <summary>The 5.x miniport finished a pended activation (NdisMCoActivateVcComplete): so does the runtime VC.</summary>
    public void ProtocolCmActivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle, object? callParameters)
    {
        var vc = ((TranslatedVc)ndisVcHandle.ProtocolVcContext!).Runtime;
        Ndis.MCoActivateVcComplete(status, vc, callParameters as CoCallParameters ?? vc.CallParameters ?? CoCallParameters.BestEffort(FlowSpec.NotSpecified));
    }

    /// <summary>
    /// The 5.x miniport finished a pended deactivation (NdisMCoDeactivateVcComplete): so does the runtime VC, once the
    /// transfers only the runtime VC counts are home too.
    /// </summary>
    public void ProtocolCmDeactivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle)
    {
        var vc = (TranslatedVc)ndisVcHandle.ProtocolVcContext!;
        if (status == NdisStatus.Success && vc.DeferDeactivation())
            return; // completed when they are (FinishDeferredDeactivation)
        Ndis.MCoDeactivateVcComplete(status, vc.Runtime);
    }

    /// <summary>
    /// MiniportCoSendNetBufferLists: one packet per NB through the pure translation step, handed down in arrays of
    /// up to 64 (NdisCoSendPackets). NBLs finished while this call runs (rejected, or completed inline by the 5.x
    /// miniport) go up as one chain at the end; a pool that stays dry completes the rest with RESOURCES.
    /// </summary>
    public void MiniportCoSendNetBufferLists(object? miniportVcContext, NetBufferList netBufferLists, SendFlags sendFlags)
    {
        var vc = (TranslatedVc)miniportVcContext!;
        vc.SendsTaken(ChainLength(netBufferLists));
        var batch = AdapterBatch.Open(this, vc);
        var cursor = new NblToPacketCursor(netBufferLists);
        var array = PacketArrays.Rent();
        int used = 0;
        try
        {
            while (!cursor.IsAtEnd)
            {
                var outcome = _sends.TranslateNext(ref cursor, batch.Nbls, ref batch.Counts, out var packet);
                if (packet is not null)
                {
                    array[used++] = packet;
                    if (used == array.Length)
                        Flush(vc, array, ref used);
                }
                else if (outcome == TranslationOutcome.OutOfResources)
                {
                    // Hand down what we have (its completions refill the pools), then give up on the rest if still dry.
                    if (used > 0)
                    {
                        Flush(vc, array, ref used);
                        continue;
                    }
                    _sends.AbortRemaining(ref cursor, NdisStatus.Resources, batch.Nbls, ref batch.Counts);
                }
            }
            if (used > 0)
                Flush(vc, array, ref used);
        }
        catch
        {
            // A verifier finding thrown at the 5.x miniport (strict mode) cut the call short: what was not handed down
            // completes with a failure, so every NBL of the chain still comes back exactly once.
            ReclaimUnsent(array, used, batch);
            used = 0;
            if (!cursor.IsAtEnd)
                _sends.AbortRemaining(ref cursor, NdisStatus.Failure, batch.Nbls, ref batch.Counts);
            throw;
        }
        finally
        {
            PacketArrays.Release(array, used);
            var done = batch.Close(out _, out var counts);
            _counters.Fold(ref counts);
            if (done is not null)
                CompleteSendsUp(vc, done, ChainLength(done));
        }
    }

    /// <summary>NBLs go up (NdisMCoSendNetBufferListsComplete); then a deactivation that waited for them may finish.</summary>
    private static void CompleteSendsUp(TranslatedVc vc, NetBufferList chain, int count)
    {
        Ndis.MCoSendNetBufferListsComplete(vc.Runtime, chain, SendCompleteFlags.None);
        vc.SendsCompleted(count);
        FinishDeferredDeactivation(vc);
    }

    private static int ChainLength(NetBufferList? chain)
    {
        int count = 0;
        for (var nbl = chain; nbl is not null; nbl = nbl.Next)
            count++;
        return count;
    }

    /// <summary>A deactivation the 5.x miniport finished while the runtime VC still had transfers completes when they are home.</summary>
    private static void FinishDeferredDeactivation(TranslatedVc vc)
    {
        if (vc.TakeDeferredDeactivation())
            Ndis.MCoDeactivateVcComplete(NdisStatus.Success, vc.Runtime);
    }

    /// <summary>MiniportReturnNetBufferLists: each NBL's packet goes back to the 5.x miniport in NdisReturnPackets arrays.</summary>
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
                var owner = nbl.SourceHandle as VirtualConnection;
                var packet = _receives.Return(nbl, ref counts);
                if (packet is null)
                {
                    // A copy of a RESOURCES packet: the last one back may finish a deactivation that waited for it.
                    if (owner?.MiniportContext is TranslatedVc copied)
                    {
                        copied.CopyReturned();
                        FinishDeferredDeactivation(copied);
                    }
                }
                else
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
            _counters.Fold(ref counts);
        }
    }

    public void MiniportCancelSend(object? miniportAdapterContext, nint cancelId) => Ndis5.CancelSendPackets(LegacyBinding, cancelId);

    public NdisStatus MiniportCoOidRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest oidRequest) =>
        ForwardOidRequest(miniportVcContext as TranslatedVc, oidRequest);

    // ---- ILegacyCoClient: what the 5.x miniport indicates ----------------------------------------------

    /// <summary>
    /// ProtocolCoSendComplete: one packet is done. Inside this adapter's own send on the same VC (an inline completion)
    /// it joins that call's chain; otherwise its NBL goes up alone when this was its last packet.
    /// </summary>
    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        var batch = AdapterBatch.Find(this, vc);
        if (batch is not null)
        {
            if (_sends.CompletePacket(packet, status, ref batch.Counts) is { } finished)
                batch.Add(finished);
            return;
        }
        var counts = default(TranslationCounts);
        var nbl = _sends.CompletePacket(packet, status, ref counts);
        _counters.Fold(ref counts);
        if (nbl is not null)
            CompleteSendsUp(vc, nbl, 1);
    }

    /// <summary>An NdisMCoIndicateReceivePacket array begins on the VC: its packets will go up as one NBL chain.</summary>
    public void BeginPacketArray(object? protocolVcContext) => AdapterBatch.Open(this, protocolVcContext);

    /// <summary>The array ended: its NBLs go up in one NdisMCoIndicateReceiveNetBufferLists.</summary>
    public void EndPacketArray(object? protocolVcContext)
    {
        var batch = AdapterBatch.Find(this, protocolVcContext)!;
        var chain = batch.Close(out int count, out var counts);
        _counters.Fold(ref counts);
        if (chain is not null)
            Ndis.MCoIndicateReceiveNetBufferLists(((TranslatedVc)protocolVcContext!).Runtime, chain, count, ReceiveFlags.None);
    }

    /// <summary>
    /// ProtocolCoReceivePacket: a packet with RESOURCES is copied into a runtime-owned NBL (the miniport gets it back
    /// when this returns: count 0); any other is wrapped without a copy and held (count 1) until the NBL is returned.
    /// The NBL joins the array's chain.
    /// </summary>
    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        var batch = AdapterBatch.Find(this, vc);
        var counts = default(TranslationCounts);
        ref var tally = ref batch is null ? ref counts : ref batch.Counts;
        var outcome = _receives.TranslateReceived(packet, ref tally, out var nbl);
        if (nbl is null)
        {
            _counters.Fold(ref counts);
            return 0; // could not translate (counted): the packet goes straight back
        }
        if (outcome == TranslationOutcome.BounceRequired)
            vc.CopyIndicated(); // counted before the packet goes home, so a deactivation waits for the copy
        nbl.SourceHandle = vc.Runtime;
        if (batch is not null)
        {
            batch.Add(nbl);
        }
        else
        {
            _counters.Fold(ref counts);
            Ndis.MCoIndicateReceiveNetBufferLists(vc.Runtime, nbl, 1, ReceiveFlags.None);
        }
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

    /// <summary>Hands the array down (NdisCoSendPackets). From that call on its packets are the miniport's, even if it throws.</summary>
    private static void Flush(TranslatedVc vc, NdisPacket[] array, ref int used)
    {
        int count = used;
        used = 0;
        try
        {
            Ndis5.CoSendPackets(vc.Legacy, array, (uint)count);
        }
        finally
        {
            Array.Clear(array, 0, count);
        }
    }

    /// <summary>Packets translated but not handed down when a finding cut the call short complete with a failure.</summary>
    private void ReclaimUnsent(NdisPacket[] array, int used, AdapterBatch batch)
    {
        for (int i = 0; i < used; i++)
        {
            var packet = array[i];
            array[i] = null!;
            if (packet is not null && _sends.Built(packet) && _sends.CompletePacket(packet, NdisStatus.Failure, ref batch.Counts) is { } finished)
                batch.Add(finished);
        }
    }
}
