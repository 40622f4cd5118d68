using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Translation.Adapters;

/// <summary>
/// Runs an NDIS 5.x CoNDIS client over the NBL runtime, as NDIS 6 does for 5.x protocols: to the runtime it is an
/// <see cref="ICoClient"/> bound to an adapter; to the 5.x client it is the miniport side of a
/// <see cref="LegacyCoBinding"/>. Each packet the client sends is wrapped in an NBL (one NB, no copy) and completes
/// when its NBL does; each received NBL is described by a packet (partial MDLs, no copy) whose
/// ProtocolCoReceivePacket count holds the NBL until NdisReturnPackets brings it to zero (the 5.x binding keeps a
/// bias on the count so a racing return cannot hand the NBL back twice). Call control is translated too (the
/// CallControl part of this class): the 5.x client's NDIS 5 call-control DDIs reach the runtime, and a 5.x call manager
/// bound through this adapter serves its AFs to the runtime's clients.
/// <para>Chains stay chains: a received NBL chain reaches the 5.x client as NdisMCoIndicateReceivePacket arrays of up
/// to 64 packets, and the packets it gives back at once (count 0) go back to the runtime as one chain when the
/// indication ends; a packet array the client sends goes down as one NBL chain. Counters are folded once per batch.
/// A rule the 5.x client breaks is a finding of the runtime's verifier naming the rule, the packet and the VC.</para>
/// </summary>
public sealed partial class LegacyClientAdapter : ICoClient, ILegacyCoMiniport, ILegacyMiniportCancelSendPackets, ILegacyMiniportCoRequest
{
    private readonly PacketToNblTranslator _sends;
    private readonly NblToPacketTranslator _receives;
    private readonly TranslationCounters _counters = new();

    public LegacyClientAdapter(CoNdisRuntime runtime, CoMiniportAdapter adapter, string name, ILegacyCoClient client, object? protocolBindingContext,
        TranslatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(client);
        Binding = runtime.OpenAdapter(adapter, name, this, protocolBindingContext: this);
        _sends = new PacketToNblTranslator(Binding.Handle, options);
        _receives = new NblToPacketTranslator(Binding.Handle, options);
        LegacyBinding = new LegacyCoBinding(Binding.Handle, this, miniportAdapterContext: this, client, protocolBindingContext);
    }

    /// <summary>The runtime binding (the NBL side's NdisBindingHandle).</summary>
    public CoBinding Binding { get; }

    /// <summary>The binding the 5.x client sees (its NdisBindingHandle for the NDIS 5 calls).</summary>
    public LegacyCoBinding LegacyBinding { get; }

    /// <summary>What the translation did so far.</summary>
    public TranslationCounts Counters => _counters.Snapshot();

    /// <summary>True when no translated NBL or packet is outstanding.</summary>
    public bool IsIdle => _sends.IsIdle && _receives.IsIdle;

    /// <summary>The 5.x VC behind a runtime VC of this adapter.</summary>
    public static LegacyCoVc LegacyVcOf(VirtualConnection vc)
    {
        ArgumentNullException.ThrowIfNull(vc);
        return ((TranslatedVc)vc.ClientContext!).Legacy;
    }

    // ---- ILegacyCoMiniport: what the 5.x client does ---------------------------------------------------

    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, LegacyCoVc ndisVcHandle, out object? miniportVcContext)
    {
        miniportVcContext = new TranslatedVc(ndisVcHandle);
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => NdisStatus.Success;

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, object? callParameters) => NdisStatus.Success;

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => NdisStatus.Success;

    /// <summary>MiniportCoSendPackets: each packet becomes one NBL (one NB over its buffers); the array goes down as one chain.</summary>
    public void MiniportCoSendPackets(object? miniportVcContext, NdisPacket[] packetArray, uint numberOfPackets)
    {
        var vc = (TranslatedVc)miniportVcContext!;
        var counts = default(TranslationCounts);
        NetBufferList? head = null, tail = null;
        for (int i = 0; i < numberOfPackets; i++)
        {
            var packet = packetArray[i];
            var outcome = _sends.Wrap(packet, ref counts, out var nbl);
            if (nbl is null)
            {
                Ndis5.MCoSendComplete(outcome == TranslationOutcome.OutOfResources ? NdisStatus.Resources : NdisStatus.InvalidPacket, vc.Legacy, packet);
                continue;
            }
            nbl.SourceHandle = vc.Runtime;
            // A send's status is its result: NDIS 5 marks the packet PENDING while it is in flight, which must not
            // become the NBL's status should the miniport complete it without writing one.
            nbl.Status = NdisStatus.Success;
            if (tail is null)
                head = nbl;
            else
                tail.Next = nbl;
            tail = nbl;
        }
        _counters.Fold(ref counts);
        if (head is not null)
            Ndis.CoSendNetBufferLists(vc.Runtime, head, SendFlags.None);
    }

    /// <summary>
    /// MiniportReturnPacket: the 5.x client's count reached zero; the NBL goes back to the runtime, with the rest of
    /// the indication's chain when this happens inside it (a count of 0), alone otherwise.
    /// </summary>
    public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet)
    {
        var batch = AdapterBatch.Find(this, key: null);
        if (batch is not null)
        {
            if (_receives.ReturnPacket(packet, ref batch.Counts) is { } finished)
                batch.Add(finished);
            return;
        }
        var counts = default(TranslationCounts);
        var nbl = _receives.ReturnPacket(packet, ref counts);
        _counters.Fold(ref counts);
        if (nbl is not null)
            Ndis.ReturnNetBufferLists(Binding, nbl, ReturnFlags.None);
    }

    public void MiniportCancelSendPackets(object? miniportAdapterContext, nint cancelId) => Ndis.CancelSendNetBufferLists(Binding, cancelId);

    public NdisStatus MiniportCoRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest ndisRequest) =>
        Ndis.CoOidRequest(Binding, (miniportVcContext as TranslatedVc)?.Runtime, ndisRequest);

    // ---- ICoClient: what the runtime indicates -----------------------------------------------------------

    public void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        var counts = default(TranslationCounts);
        for (var nbl = netBufferLists; nbl is not null;)
        {
            var next = nbl.Next;
            nbl.Next = null;
            var packet = _sends.CompleteSend(nbl, ref counts);
            Ndis5.MCoSendComplete(packet.Status, vc.Legacy, packet);
            nbl = next;
        }
        _counters.Fold(ref counts);
    }

    /// <summary>
    /// ProtocolCoReceiveNetBufferLists: each NBL (one NB) is described by a packet and the chain is indicated to the 5.x
    /// client as packet arrays (NdisMCoIndicateReceivePacket with up to 64 packets), then NdisMCoReceiveComplete. With
    /// RESOURCES every packet carries NDIS_STATUS_RESOURCES, the client copies, nothing is returned, and the chain is
    /// left linked as it came; without it the NBLs come back when the client's counts reach zero.
    /// </summary>
    public void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
        int numberOfNetBufferLists, ReceiveFlags receiveFlags)
    {
        var vc = (TranslatedVc)protocolVcContext!;
        bool resources = (receiveFlags & ReceiveFlags.Resources) != 0;
        var batch = AdapterBatch.Open(this, key: null);
        var array = PacketArrays.Rent();
        var order = resources ? PacketArrays.RentChainOrder(netBufferLists) : null;
        int used = 0;
        try
        {
            var cursor = new NblToPacketCursor(netBufferLists);
            while (!cursor.IsAtEnd)
            {
                // An NBL that cannot be translated (counted) is finished into the batch at once.
                _receives.TranslateNext(ref cursor, batch.Nbls, ref batch.Counts, out var packet);
                if (packet is null)
                    continue;
                packet.Status = resources ? NdisStatus.Resources : NdisStatus.Success;
                array[used++] = packet;
                if (used == array.Length)
                    Indicate(vc, array, ref used, resources, batch);
            }
            if (used > 0)
                Indicate(vc, array, ref used, resources, batch);
            Ndis5.MCoReceiveComplete(LegacyBinding);
        }
        finally
        {
            PacketArrays.Release(array, used);
            var finished = batch.Close(out _, out var counts);
            _counters.Fold(ref counts);
            if (order is not null)
                PacketArrays.RestoreChainOrder(order); // RESOURCES: the miniport's chain, as it came
            else if (finished is not null)
                Ndis.ReturnNetBufferLists(Binding, finished, ReturnFlags.None);
        }
    }

    /// <summary>One NdisMCoIndicateReceivePacket; with RESOURCES the packets are reclaimed as soon as it returns.</summary>
    private void Indicate(TranslatedVc vc, NdisPacket[] array, ref int used, bool resources, AdapterBatch batch)
    {
        int count = used;
        used = 0;
        try
        {
            Ndis5.MCoIndicateReceivePacket(vc.Legacy, array, (uint)count);
        }
        catch
        {
            // A finding thrown at the 5.x client (strict mode) cut the array short: the packets it never saw go back
            // at once, so their NBLs still come home exactly once.
            if (!resources)
                ReclaimUnindicated(array, count, batch);
            throw;
        }
        finally
        {
            if (resources)
            {
                for (int i = 0; i < count; i++)
                    ReclaimResources(array[i], batch);
            }
            Array.Clear(array, 0, count);
        }
    }

    private void ReclaimUnindicated(NdisPacket[] array, int count, AdapterBatch batch)
    {
        for (int i = 0; i < count; i++)
        {
            var packet = array[i];
            if (packet.IsAllocated && packet.DataPathState == LegacyDataPathState.Idle && _receives.Built(packet)
                && _receives.ReturnPacket(packet, ref batch.Counts) is { } nbl)
                batch.Add(nbl);
        }
    }

    /// <summary>A RESOURCES packet is the translator's again once the indication returned; its NBL stays the miniport's.</summary>
    private void ReclaimResources(NdisPacket packet, AdapterBatch batch) => _ = _receives.ReturnPacket(packet, ref batch.Counts);

    public void ProtocolCoStatusEx(object? protocolBindingContext, object? protocolVcContext, NdisStatusIndication statusIndication) =>
        Ndis5.MCoIndicateStatus(LegacyBinding, (protocolVcContext as TranslatedVc)?.Legacy, (NdisStatus)statusIndication.StatusCode,
            statusIndication.StatusBuffer as byte[], (uint)((statusIndication.StatusBuffer as byte[])?.Length ?? 0));

    /// <summary>Frees the translators' pools; returns the objects still outstanding (leaks).</summary>
    public int FreePools() => _sends.FreePools() + _receives.FreePools();
}
