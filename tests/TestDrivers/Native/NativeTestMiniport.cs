using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Info;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.TestDrivers;

/// <summary>
/// The NDIS 6 CoNDIS test miniport (MiniportCo* handlers of NDIS_MINIPORT_CO_CHARACTERISTICS, written against the
/// <see cref="Ndis"/> facade), one class for every test and benchmark, set up by the knobs of
/// <see cref="TestMiniport{TVcHandle, TSend}"/>: it completes sends inline, on demand or on its own thread; loops
/// every frame that completes successfully back as a receive (NBLs of one NB over several MDLs); pends activation and
/// deactivation when asked and deactivates only after its sends are done and its receives are home; cancels by cancel
/// ID; answers link speed, frame size and media state. Inline completion keeps no per-send state and takes no lock
/// when nothing is recorded or looped back, so the benchmarks measure the runtime through it. Receive NBLs it did not
/// indicate itself (a test or benchmark indicating its own through <see cref="Adapter"/>) are counted in
/// <see cref="ForeignReturns"/> and left to their owner.
/// </summary>
public sealed class NativeTestMiniport : TestMiniport<VirtualConnection, NetBufferList>, ICoMiniport, IConformanceMiniport
{
    private NetBufferListPool? _receivePool;
    private NetBufferPool? _receiveNbs;
    private long _foreignReturns;

    public CoMiniportAdapter Adapter { get; private set; } = null!;

    /// <summary>Set each completed NBL's status (off: leave whatever the sender put there, as a careless miniport does).</summary>
    public bool WritesSendStatus { get; set; } = true;

    /// <summary>NDIS_CO_LINK_SPEED in 100 bit/s units (155 Mbit/s).</summary>
    public ulong LinkSpeed { get; set; } = 1_550_000;

    public uint MaximumFrameSize { get; set; } = 9180;

    public bool MediaConnected { get; set; } = true;

    /// <summary>Receive NBLs returned that this miniport did not indicate, counted without a lock (one returning thread at a time).</summary>
    public long ForeignReturns => Volatile.Read(ref _foreignReturns);

    public int OutstandingPoolObjects =>
        (_receivePool?.Counters.Outstanding ?? 0) + (_receiveNbs?.Counters.Outstanding ?? 0) + Adapter.Handle.Mdls.Counters.Outstanding;

    /// <summary>Registers this miniport with <paramref name="runtime"/> (NdisMRegisterMiniportDriver) and makes its receive pools.</summary>
    public CoMiniportAdapter Register(CoNdisRuntime runtime, string name = "test miniport")
    {
        ArgumentNullException.ThrowIfNull(runtime);
        Adapter = runtime.RegisterMiniport(name, this, adapterContext: this);
        _receivePool = new NetBufferListPool(Adapter.Handle, new NetBufferListPoolParameters(), name: "rx NBLs");
        _receiveNbs = new NetBufferPool(Adapter.Handle, new NetBufferPoolParameters(), name: "rx NBs");
        return Adapter;
    }

    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, VirtualConnection ndisVcHandle, out object? miniportVcContext) =>
        CreateVc(ndisVcHandle, out miniportVcContext);

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => DeleteVc(miniportVcContext);

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(callParameters);
        if (callParameters.CallMgrParameters.Transmit.MaxSduSize is > 0 and < 64 and not FlowSpec.NotSpecified)
            return NdisStatus.InvalidData;
        return Activate((MiniportVc)miniportVcContext!);
    }

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => Deactivate((MiniportVc)miniportVcContext!);

    public void FinishPendedActivation(VirtualConnection vc, NdisStatus status) => FinishPended(Find(vc), status);

    public void MiniportCoSendNetBufferLists(object? miniportVcContext, NetBufferList netBufferLists, SendFlags sendFlags)
    {
        ArgumentNullException.ThrowIfNull(netBufferLists);
        var vc = (MiniportVc)miniportVcContext!;
        if (RecordSentFrames)
        {
            for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
                foreach (var nb in nbl.NetBuffers)
                    Record(nb.ToArray());
        }
        if (SendCompletion == SendCompletion.Inline && !Loopback)
        {
            // The benchmarks' path: the chain goes back as it came, with no state kept and no lock taken.
            if (WritesSendStatus)
            {
                for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
                    nbl.Status = NdisStatus.Success;
            }
            Ndis.MCoSendNetBufferListsComplete(vc.Handle, netBufferLists, SendCompleteFlags.None);
            return;
        }
        var sends = Unlink(netBufferLists);
        if (SendCompletion == SendCompletion.Inline)
            Complete(vc, sends, NdisStatus.Success, counted: false);
        else
            Accept(vc, sends);
    }

    public void MiniportCancelSend(object? miniportAdapterContext, nint cancelId) => Cancel(nbl => nbl.Info.CancelId == cancelId);

    public void Indicate(VirtualConnection vc, IReadOnlyList<byte[]> frames, bool resources) => Indicate(Find(vc), frames, resources, null);

    public void MiniportReturnNetBufferLists(object? miniportAdapterContext, NetBufferList netBufferLists, ReturnFlags returnFlags)
    {
        ArgumentNullException.ThrowIfNull(netBufferLists);
        if (!ReferenceEquals(netBufferLists.Pool, _receivePool))
        {
            // Not ours: a test or benchmark indicated it through our adapter and keeps it.
            _foreignReturns += NetBufferListChain.Count(netBufferLists);
            return;
        }
        var perVc = new Dictionary<MiniportVc, int>();
        for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
        {
            var vc = (MiniportVc)nbl.MiniportReserved[0]!;
            perVc[vc] = perVc.GetValueOrDefault(vc) + 1;
        }
        FreeReceives(netBufferLists);
        foreach (var (vc, count) in perVc)
            ReceivesBack(vc, count);
    }

    public NdisStatus MiniportCoOidRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest oidRequest)
    {
        ArgumentNullException.ThrowIfNull(oidRequest);
        if (oidRequest.RequestType != NdisRequestType.QueryInformation)
            return NdisStatus.NotSupported;
        return oidRequest.Oid switch
        {
            NdisOid.CoLinkSpeed => oidRequest.WriteUInt64(LinkSpeed | (LinkSpeed << 32)),
            NdisOid.GenMaximumFrameSize => oidRequest.WriteUInt32(MaximumFrameSize),
            NdisOid.CoMediaConnectStatus => oidRequest.WriteUInt32(MediaConnected ? 0u : 1u), // NdisMediaStateConnected is 0
            _ => NdisStatus.NotSupported,
        };
    }

    /// <summary>Completes the NBLs as one chain (NdisMCoSendNetBufferListsComplete); successful frames loop back afterwards.</summary>
    protected override void Complete(MiniportVc vc, NetBufferList[] sends, NdisStatus status, bool counted)
    {
        if (sends.Length == 0)
            return;
        List<byte[]>? echo = null;
        List<uint>? echoTags = null;
        bool loop = Loopback && status == NdisStatus.Success;
        for (int i = 0; i < sends.Length; i++)
        {
            var nbl = sends[i];
            nbl.Next = i + 1 < sends.Length ? sends[i + 1] : null;
            if (WritesSendStatus)
                nbl.Status = status;
            if (!loop)
                continue;
            foreach (var nb in nbl.NetBuffers)
            {
                (echo ??= []).Add(nb.ToArray());
                (echoTags ??= []).Add(nbl.Info.Ieee8021Q.Value); // a NIC strips the tag and reports it in the receive NBL's info
            }
        }
        Ndis.MCoSendNetBufferListsComplete(vc.Handle, sends[0], SendCompleteFlags.None);
        if (counted)
            Completed(vc, sends.Length);
        if (echo is not null)
            Indicate(vc, echo, resources: false, echoTags);
    }

    protected override void CompleteActivation(MiniportVc vc, NdisStatus status) =>
        Ndis.MCoActivateVcComplete(status, vc.Handle, vc.Handle.CallParameters ?? CoCallParameters.BestEffort(MaximumFrameSize));

    protected override void CompleteDeactivation(MiniportVc vc, NdisStatus status) => Ndis.MCoDeactivateVcComplete(status, vc.Handle);

    private static NetBufferList[] Unlink(NetBufferList chain)
    {
        var sends = new NetBufferList[NetBufferListChain.Count(chain)];
        int i = 0;
        for (var nbl = chain; nbl is not null; nbl = nbl.Next)
            sends[i++] = nbl;
        return sends;
    }

    /// <summary>One NBL per frame, one NB each over 1 to 3 MDLs (NdisMCoIndicateReceiveNetBufferLists); with RESOURCES freed when the call returns.</summary>
    private void Indicate(MiniportVc vc, IReadOnlyList<byte[]> frames, bool resources, List<uint>? tags)
    {
        NetBufferList? head = null, tail = null;
        for (int i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            var nb = TestFrames.Build(Adapter.Handle, _receiveNbs!, frame, 1 + (frame.Length % 3));
            var nbl = _receivePool!.AllocateNetBufferList() ?? throw new InvalidOperationException("test miniport: rx NBL pool exhausted");
            nbl.FirstNetBuffer = nb;
            nbl.SourceHandle = vc.Handle;
            nbl.MiniportReserved[0] = vc;
            if (tags is not null)
                nbl.Info.Ieee8021Q = new Ieee8021QInfo(tags[i]);
            if (tail is null)
                head = nbl;
            else
                tail.Next = nbl;
            tail = nbl;
        }
        if (head is null)
            return;
        if (!resources)
            ReceivesOut(vc, frames.Count);
        Ndis.MCoIndicateReceiveNetBufferLists(vc.Handle, head, frames.Count, resources ? ReceiveFlags.Resources : ReceiveFlags.None);
        if (resources)
            FreeReceives(head); // ours again the moment the indication returned
    }

    private void FreeReceives(NetBufferList? chain)
    {
        while (chain is not null)
        {
            var next = chain.Next;
            chain.Next = null;
            var nb = chain.FirstNetBuffer!;
            chain.FirstNetBuffer = null;
            chain.MiniportReserved[0] = null;
            TestFrames.Free(nb);
            _receivePool!.FreeNetBufferList(chain);
            chain = next;
        }
    }
}
