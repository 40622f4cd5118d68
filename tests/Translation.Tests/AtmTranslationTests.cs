using System.Collections.Concurrent;
using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.Translation.Adapters;

namespace CoNdis.Translation.Tests;

/// <summary>
/// UNI calls between two ATM hosts on all four client/miniport pairings: the native miniport with its integrated UNI
/// call manager or the 5.x miniport under <see cref="LegacyMiniportAdapter"/> with the device's stand-alone UNI call
/// manager, a native client or a 5.x client under <see cref="LegacyClientAdapter"/>. A calls B, the callee's VC
/// carries the parameters the caller asked for, traffic crosses both ways byte for byte, B releases, A hears the
/// incoming close, and every pool is full again. Test names carry the pairing (client/miniport).
/// </summary>
public sealed class AtmTranslationTests
{
    public static TheoryData<string> Pairings => new() { "native/native", "native/legacy", "legacy/native", "legacy/legacy" };

    private static byte[][] Packets(int seed, int count, int maxLength = 4000) => Enumerable.Range(0, count).Select(i =>
    {
        var bytes = new byte[20 + (i * 397 + seed * 13) % maxLength];
        new Random(seed * 1000 + i).NextBytes(bytes);
        bytes[0] = 0x45; // an IPv4 version nibble: the LLC/SNAP header names it IPv4
        return bytes;
    }).ToArray();

    [Theory, MemberData(nameof(Pairings))]
    public void A_calls_b_over_atm_traffic_crosses_both_ways_byte_identical_b_releases_and_a_hears_the_close(string pairing)
    {
        var options = new NicOptions { CompletionMode = NicCompletionMode.Inline };
        var cable = new PairLink("uni");
        using var a = new AtmHost(pairing, cable.A, options, "A", "4711");
        using var b = new AtmHost(pairing, cable.B, options, "B", "4712");
        var request = new Q2931CallManagerParameters
        {
            CalledParty = b.Address,
            CallingParty = a.Address,
            Encapsulation = Rfc2684Encapsulation.LlcSnapRouted,
            Forward = new AtmTrafficDescriptor(AtmServiceCategory.Vbr, 200_000, 50_000, 64),
            BackwardMaxSdu = 4470,
        };
        var (caller, status) = a.Client.Call(AtmCallParameters.ForCall(request));
        Assert.Equal(NdisStatus.Success, status);
        var callee = b.Client.Incoming ?? throw new InvalidOperationException("B saw no incoming call");
        Wait(() => callee.State == VcState.Connected, "B's call to connect");
        Assert.True(AtmCallParameters.TryGetCallManagerParameters(callee.CallParameters, out var seen));
        Assert.Equal((b.Address, a.Address, Rfc2684Encapsulation.LlcSnapRouted), (seen!.CalledParty, seen.CallingParty, seen.Encapsulation));
        Assert.Equal(request.Forward, seen.Forward);
        Assert.Equal(4470u, callee.CallParameters!.CallMgrParameters.Transmit.MaxSduSize);

        var there = Packets(1, 30);
        var back = Packets(2, 11, 4400);
        a.Client.Send(caller, there);
        b.Client.Send(callee, back);
        Wait(() => b.Client.ReceivedOn(callee).Count == there.Length && a.Client.ReceivedOn(caller).Count == back.Length, "traffic both ways");
        Assert.Equal(there, b.Client.ReceivedOn(callee));
        Assert.Equal(back, a.Client.ReceivedOn(caller));
        Wait(() => a.Client.Completed == there.Length && b.Client.Completed == back.Length, "every send to complete");
        Assert.Equal(0, a.Client.Failed + b.Client.Failed);

        b.Client.Close(callee);
        Wait(() => caller.State == VcState.IncomingClose, "A to hear B's release as an incoming close");
        a.Client.Close(caller);
        Wait(() => callee.State == VcState.Deleted && a.ActiveCalls == 0 && b.ActiveCalls == 0, "both call managers to forget the call");
        Assert.Equal(0, a.Device.Statistics.OpenConnections - 1); // only the signalling VC is left open
        a.AssertClean();
        b.AssertClean();
    }

    [Theory, MemberData(nameof(Pairings))]
    public void A_thousand_packets_in_batches_cross_the_atm_device_in_order_on_the_device_thread(string pairing)
    {
        var options = new NicOptions { CompletionMode = NicCompletionMode.DeviceThread, ModerationPackets = 8, ModerationTime = TimeSpan.FromMicroseconds(30) };
        var cable = new PairLink("uni");
        using var a = new AtmHost(pairing, cable.A, options, "A", "4711");
        using var b = new AtmHost(pairing, cable.B, options, "B", "4712");
        var (caller, status) = a.Client.Call(AtmCallParameters.ForCall(b.Address, Rfc2684Encapsulation.VcMuxRouted));
        Assert.Equal(NdisStatus.Success, status);
        var callee = b.Client.Incoming!;
        Wait(() => callee.State == VcState.Connected, "B's call to connect");
        var all = new List<byte[]>();
        for (int batch = 0; batch < 50; batch++)
        {
            var packets = Packets(100 + batch, 20, 1500);
            all.AddRange(packets);
            a.Client.Send(caller, packets);
            Wait(() => a.Client.Completed >= all.Count - 200, "the device to keep up");
        }
        Wait(() => a.Client.Completed == 1000 && b.Client.ReceivedOn(callee).Count == 1000, "1000 packets");
        Assert.Equal(0, a.Client.Failed);
        Assert.Equal(all, b.Client.ReceivedOn(callee));
        a.Client.Close(caller);
        Wait(() => callee.State == VcState.IncomingClose, "B to hear A's release");
        b.Client.Close(callee);
        Wait(() => callee.State == VcState.Deleted && a.ActiveCalls == 0 && b.ActiveCalls == 0, "the call to go");
        a.AssertClean();
        b.AssertClean();
    }

    [Theory, MemberData(nameof(Pairings))]
    public void A_call_to_an_unknown_number_is_refused_with_cause_1_the_calling_client_sees(string pairing)
    {
        var options = new NicOptions { CompletionMode = NicCompletionMode.Inline };
        var cable = new PairLink("uni");
        using var a = new AtmHost(pairing, cable.A, options, "A", "4711");
        using var b = new AtmHost(pairing, cable.B, options, "B", "4712");
        var (caller, status) = a.Client.Call(AtmCallParameters.ForCall(AtmAddress.E164("555")));
        Assert.Equal(NdisStatus.InvalidAddress, status);
        Assert.True(AtmCallParameters.TryGetCallManagerParameters(a.Client.LastMakeCallParameters, out var refused));
        Assert.Equal(Q2931Causes.UnallocatedNumber, refused!.Cause);
        Assert.Null(b.Client.Incoming);
        a.Client.Delete(caller);
        a.AssertClean();
        b.AssertClean();
    }

    [Theory, InlineData("native/legacy"), InlineData("legacy/legacy")]
    public void A_5x_mcm_speaks_uni_to_a_native_mcm_both_ways_and_hears_its_release(string pairing)
    {
        var options = new NicOptions { CompletionMode = NicCompletionMode.Inline };
        var cable = new PairLink("uni");
        using var a = new AtmHost("native/native", cable.A, options, "A", "4711");
        using var b = new AtmHost(pairing, cable.B, options, "B", "4712", legacyMcm: true);
        var (ab, s1) = a.Client.Call(AtmCallParameters.ForCall(b.Address));
        var (ba, s2) = b.Client.Call(AtmCallParameters.ForCall(a.Address));
        Assert.Equal((NdisStatus.Success, NdisStatus.Success), (s1, s2));
        var atB = b.Client.Incoming!;
        var atA = a.Client.Incoming!;
        Wait(() => atA.State == VcState.Connected && atB.State == VcState.Connected, "both callees connected");
        Assert.Equal(2, b.ActiveCalls);
        a.Client.Send(ab, Packets(7, 5));
        b.Client.Send(ba, Packets(8, 6, 1500));
        Wait(() => b.Client.ReceivedOn(atB).Count == 5 && a.Client.ReceivedOn(atA).Count == 6, "both calls to carry data");
        Assert.Equal(Packets(7, 5), b.Client.ReceivedOn(atB));
        Assert.Equal(Packets(8, 6, 1500), a.Client.ReceivedOn(atA));
        a.Client.Close(ab);
        Wait(() => atB.State == VcState.IncomingClose, "the 5.x MCM's client to hear A's release");
        b.Client.Close(atB);
        b.Client.Close(ba);
        Wait(() => atA.State == VcState.IncomingClose, "A's callee to hear the 5.x MCM's release");
        a.Client.Close(atA);
        Wait(() => atA.State == VcState.Deleted && atB.State == VcState.Deleted && a.ActiveCalls == 0 && b.ActiveCalls == 0, "every call to go");
        a.AssertClean();
        b.AssertClean();
    }

    [Fact]
    public void A_native_mcm_host_and_a_5x_host_with_the_stand_alone_uni_call_manager_call_each_other()
    {
        var options = new NicOptions { CompletionMode = NicCompletionMode.Inline };
        var cable = new PairLink("uni");
        using var a = new AtmHost("native/native", cable.A, options, "A", "4711");
        using var b = new AtmHost("legacy/legacy", cable.B, options, "B", "4712");
        var (ab, s1) = a.Client.Call(AtmCallParameters.ForCall(b.Address));
        var (ba, s2) = b.Client.Call(AtmCallParameters.ForCall(a.Address, Rfc2684Encapsulation.LlcSnapBridged));
        Assert.Equal((NdisStatus.Success, NdisStatus.Success), (s1, s2));
        var atB = b.Client.Incoming!;
        var atA = a.Client.Incoming!;
        Wait(() => atA.State == VcState.Connected && atB.State == VcState.Connected, "both callees connected");
        var ethernet = Packets(3, 6, 1500).Select(p => new byte[14].Concat(p).ToArray()).ToArray(); // bridged: Ethernet frames
        a.Client.Send(ab, Packets(4, 5));
        b.Client.Send(ba, ethernet);
        Wait(() => b.Client.ReceivedOn(atB).Count == 5 && a.Client.ReceivedOn(atA).Count == 6, "both calls to carry data");
        Assert.Equal(Packets(4, 5), b.Client.ReceivedOn(atB));
        Assert.Equal(ethernet, a.Client.ReceivedOn(atA));
        a.Client.Close(ab);
        b.Client.Close(ba);
        Wait(() => atA.State == VcState.IncomingClose && atB.State == VcState.IncomingClose, "both callees to hear the release");
        a.Client.Close(atA);
        b.Client.Close(atB);
        Wait(() => atA.State == VcState.Deleted && atB.State == VcState.Deleted, "both callees' VCs to go");
        a.AssertClean();
        b.AssertClean();
    }

    private static void Wait(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for {what}");
            Thread.Sleep(1);
        }
    }

    /// <summary>A runtime with the ATM device (native MCM or 5.x miniport + stand-alone UNI call manager) and a client (native or 5.x) registered at its number.</summary>
    private sealed class AtmHost : IDisposable
    {
        private readonly NicMiniport? _native;
        private readonly LegacyNicMiniport? _legacy;
        private readonly LegacyMiniportAdapter? _adapter;
        private readonly DeviceCallManager? _callManager;
        private bool _disposed;

        public AtmHost(string pairing, ILinkPort port, NicOptions options, string name, string number, bool legacyMcm = false)
        {
            var parts = pairing.Split('/');
            Verifier = new NdisVerifier(VerifierMode.Strict);
            Runtime = new CoNdisRuntime(Verifier);
            Device = new AtmDevice(port, nicOptions: options, name: $"{name} atm");
            CoMiniportAdapter adapter;
            if (parts[1] == "native")
            {
                _native = new NicMiniport(Device.Nic, new NicMiniportOptions { WatchdogInterval = TimeSpan.Zero });
                adapter = _native.Register(Runtime, $"{name} native miniport");
            }
            else if (legacyMcm)
            {
                // An NDIS 5 MCM: NDIS knows the adapter before MiniportInitialize registers the AF (NdisMCmRegisterAddressFamily).
                _legacy = new LegacyNicMiniport(Device.Nic, new NicMiniportOptions { IntegratedCallManager = true, WatchdogInterval = TimeSpan.Zero });
                _adapter = new LegacyMiniportAdapter(new NdisHandle($"{name} 5.x miniport", Verifier), _legacy, _legacy);
                adapter = _adapter.Register(Runtime, $"{name} 5.x MCM");
                Assert.Equal(NdisStatus.Success, _legacy.MiniportInitialize(_adapter.LegacyBinding));
            }
            else
            {
                _legacy = new LegacyNicMiniport(Device.Nic, new NicMiniportOptions { IntegratedCallManager = false, WatchdogInterval = TimeSpan.Zero });
                _adapter = new LegacyMiniportAdapter(new NdisHandle($"{name} 5.x miniport", Verifier), _legacy, _legacy);
                Assert.Equal(NdisStatus.Success, _legacy.MiniportInitialize(_adapter.LegacyBinding));
                adapter = _adapter.Register(Runtime, $"{name} 5.x miniport");
                _callManager = Device.CreateCallManager();
                _callManager.Bind(Runtime, adapter, $"{name} UNI call manager");
            }
            Address = AtmAddress.E164(number);
            Client = parts[0] == "native" ? new NativeClient(Runtime, adapter) : new LegacyClient(Runtime, adapter);
            Client.RegisterSap(AtmCallParameters.Sap(Address));
        }

        public NdisVerifier Verifier { get; }

        public CoNdisRuntime Runtime { get; }

        public AtmDevice Device { get; }

        public IAtmClient Client { get; }

        public AtmAddress Address { get; }

        public int ActiveCalls => _callManager?.ActiveCalls ?? _native?.ActiveCalls ?? _legacy!.ActiveCalls;

        public void AssertClean()
        {
            Wait(() => Client.OutstandingPoolObjects == 0 && (_native?.OutstandingPoolObjects ?? _legacy!.OutstandingPoolObjects) == 0
                && (_adapter?.IsIdle ?? true) && (_callManager?.OutstandingPoolObjects ?? 0) == 0, "every pool object to come home");
            Assert.True(Verifier.FindingCount == 0, string.Join("; ", Verifier.RecentFindings));
        }

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            _callManager?.Unbind();
            int leaked = _native?.Halt() ?? _legacy!.Halt();
            Device.Nic.Dispose();
            if (_adapter is not null)
                leaked += _adapter.FreePools();
            Assert.Equal(0, leaked);
        }
    }

    private interface IAtmClient
    {
        void RegisterSap(CoSap sap);

        /// <summary>Creates a VC and makes the call; the VC and the make-call's status.</summary>
        (VirtualConnection Vc, NdisStatus Status) Call(CoCallParameters parameters);

        /// <summary>The parameters the last make-call completed with.</summary>
        CoCallParameters? LastMakeCallParameters { get; }

        /// <summary>The runtime VC of the last incoming call.</summary>
        VirtualConnection? Incoming { get; }

        void Send(VirtualConnection vc, IReadOnlyList<byte[]> frames);

        /// <summary>NdisClCloseCall and, for the client's own VC, delete it.</summary>
        void Close(VirtualConnection vc);

        /// <summary>Deletes a client VC whose call never connected.</summary>
        void Delete(VirtualConnection vc);

        IReadOnlyList<byte[]> ReceivedOn(VirtualConnection vc);

        long Completed { get; }

        long Failed { get; }

        int OutstandingPoolObjects { get; }
    }

    /// <summary>A native client (written against Ndis).</summary>
    private sealed class NativeClient : ICoClient, IAtmClient
    {
        private readonly ConcurrentDictionary<VirtualConnection, ConcurrentQueue<byte[]>> _received = new();
        private readonly CoBinding _binding;
        private readonly CoAfHandle _af;
        private readonly NetBufferListPool _nbls;
        private long _completed;
        private long _failed;

        public NativeClient(CoNdisRuntime runtime, CoMiniportAdapter adapter)
        {
            _binding = runtime.OpenAdapter(adapter, "native client", this, this);
            _nbls = new NetBufferListPool(_binding.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 9216 });
            Assert.Equal(NdisStatus.Success, Ndis.ClOpenAddressFamilyEx(_binding, AtmCallParameters.AddressFamily, this, out var af));
            _af = af!;
        }

        public VirtualConnection? Incoming { get; private set; }

        public CoCallParameters? LastMakeCallParameters { get; private set; }

        public long Completed => Interlocked.Read(ref _completed);

        public long Failed => Interlocked.Read(ref _failed);

        public int OutstandingPoolObjects => _nbls.Outstanding;

        public IReadOnlyList<byte[]> ReceivedOn(VirtualConnection vc) => _received.TryGetValue(vc, out var queue) ? [.. queue] : [];

        public void RegisterSap(CoSap sap) => Assert.Equal(NdisStatus.Success, Ndis.ClRegisterSap(_af, this, sap, out _));

        public (VirtualConnection Vc, NdisStatus Status) Call(CoCallParameters parameters)
        {
            var context = new ClientVc();
            Assert.Equal(NdisStatus.Success, Ndis.CoCreateVc(_binding, _af, context, out var vc));
            context.Vc = vc!;
            var status = Ndis.ClMakeCall(vc!, parameters, null, out _);
            if (status == NdisStatus.Pending)
            {
                Wait(() => context.Status is not null, "the make-call");
                status = context.Status!.Value;
            }
            return (vc!, status);
        }

        public void Send(VirtualConnection vc, IReadOnlyList<byte[]> frames)
        {
            NetBufferList? head = null, tail = null;
            foreach (var frame in frames)
            {
                var nbl = _nbls.AllocateNetBufferList()!;
                var nb = nbl.FirstNetBuffer!;
                frame.CopyTo(nb.MdlChain!.Span);
                nb.DataLength = frame.Length;
                nbl.SourceHandle = vc;
                if (tail is null)
                    head = nbl;
                else
                    tail.Next = nbl;
                tail = nbl;
            }
            Ndis.CoSendNetBufferLists(vc, head, SendFlags.None);
        }

        public void Close(VirtualConnection vc)
        {
            var status = Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty);
            if (status == NdisStatus.Pending)
                Wait(() => vc.State is VcState.Created or VcState.Deleted, "the close");
            if (!vc.CreatedByCallManager)
                Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        }

        public void Delete(VirtualConnection vc) => Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));

        public void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
        {
            for (var nbl = netBufferLists; nbl is not null;)
            {
                var next = nbl.Next;
                nbl.Next = null;
                if (nbl.Status != NdisStatus.Success)
                    Interlocked.Increment(ref _failed);
                var nb = nbl.FirstNetBuffer!;
                nb.DataLength = nb.MdlChain!.ByteCount;
                _nbls.FreeNetBufferList(nbl);
                Interlocked.Increment(ref _completed);
                nbl = next;
            }
        }

        public void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
            int numberOfNetBufferLists, ReceiveFlags receiveFlags)
        {
            var queue = _received.GetOrAdd(((ClientVc)protocolVcContext!).Vc, _ => new ConcurrentQueue<byte[]>());
            for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
                queue.Enqueue(nbl.FirstNetBuffer!.ToArray());
            if ((receiveFlags & ReceiveFlags.Resources) == 0)
                Ndis.ReturnNetBufferLists(_binding, netBufferLists, ReturnFlags.None);
        }

        public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
        {
            protocolVcContext = new ClientVc { Vc = ndisVcHandle };
            Incoming = ndisVcHandle;
            return NdisStatus.Success;
        }

        public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext) => NdisStatus.Success;

        public void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle)
        {
        }

        public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
        {
            LastMakeCallParameters = callParameters;
            ((ClientVc)protocolVcContext!).Status = status;
        }

        public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext)
        {
        }

        public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters) => NdisStatus.Success;

        private sealed class ClientVc
        {
            public VirtualConnection Vc = null!;
            public NdisStatus? Status;
        }
    }

    /// <summary>
    /// A ported 5.x client under LegacyClientAdapter, written only against Ndis5: NdisClOpenAddressFamily with its
    /// NDIS_CLIENT_CHARACTERISTICS, NdisClRegisterSap, NdisCoCreateVc + NdisClMakeCall, NdisCoSendPackets, the Cl*
    /// handlers for incoming calls and closes, NdisClCloseCall and NdisCoDeleteVc.
    /// </summary>
    private sealed class LegacyClient : ILegacyCoClient, ILegacyCoCallClient, IAtmClient
    {
        private readonly ConcurrentDictionary<VirtualConnection, ConcurrentQueue<byte[]>> _received = new();
        private readonly ConcurrentDictionary<VirtualConnection, LegacyVc> _vcs = new();
        private readonly LegacyClientAdapter _adapter;
        private readonly CoAfHandle _af;
        private readonly NdisPacketPool _packets;
        private readonly NdisBufferPool _buffers;
        private long _completed;
        private long _failed;

        public LegacyClient(CoNdisRuntime runtime, CoMiniportAdapter adapter)
        {
            _adapter = new LegacyClientAdapter(runtime, adapter, "5.x client", this, this);
            _adapter.IncomingVcCreated += legacy =>
            {
                // The runtime VC behind the call manager's VC for an incoming call, known once the adapter made it.
                var context = (LegacyVc)legacy.ProtocolVcContext!;
                context.Runtime = LegacyClientAdapter.RuntimeVcOf(legacy);
                _vcs[context.Runtime] = context;
                Incoming = context.Runtime;
            };
            Ndis5.AllocatePacketPool(out _, out var packets, 2048, 16, _adapter.Binding.Handle);
            Ndis5.AllocateBufferPool(out _, out _buffers, 2048, _adapter.Binding.Handle);
            _packets = packets!;
            var characteristics = new NdisClientCharacteristics { Handlers = this };
            Assert.Equal(NdisStatus.Success, Ndis5.ClOpenAddressFamily(_adapter.LegacyBinding, AtmCallParameters.AddressFamily, this, characteristics,
                NdisClientCharacteristics.Size, out var af));
            _af = af!;
        }

        public VirtualConnection? Incoming { get; private set; }

        public CoCallParameters? LastMakeCallParameters { get; private set; }

        public long Completed => Interlocked.Read(ref _completed);

        public long Failed => Interlocked.Read(ref _failed);

        public int OutstandingPoolObjects => _packets.Usage + _buffers.Counters.Outstanding + (_adapter.IsIdle ? 0 : 1);

        public IReadOnlyList<byte[]> ReceivedOn(VirtualConnection vc) => _received.TryGetValue(vc, out var queue) ? [.. queue] : [];

        public void RegisterSap(CoSap sap) => Assert.Equal(NdisStatus.Success, Ndis5.ClRegisterSap(_af, this, sap, out _));

        public (VirtualConnection Vc, NdisStatus Status) Call(CoCallParameters parameters)
        {
            var context = new LegacyVc { Outgoing = true };
            Assert.Equal(NdisStatus.Success, Ndis5.CoCreateVc(_adapter.LegacyBinding, _af, context, out var legacy));
            context.Handle = legacy!;
            context.Runtime = LegacyClientAdapter.RuntimeVcOf(legacy!);
            _vcs[context.Runtime] = context;
            var status = Ndis5.ClMakeCall(legacy!, parameters, null, out _);
            if (status == NdisStatus.Pending)
            {
                Wait(() => context.MakeCallStatus is not null, "the make-call");
                status = context.MakeCallStatus!.Value;
            }
            return (context.Runtime, status);
        }

        public void Send(VirtualConnection vc, IReadOnlyList<byte[]> frames)
        {
            var array = new NdisPacket[frames.Count];
            for (int i = 0; i < frames.Count; i++)
            {
                Ndis5.AllocatePacket(out _, out var packet, _packets);
                var memory = NdisMemory.AllocatePinned(frames[i].Length);
                frames[i].CopyTo(memory.Span);
                Ndis5.AllocateBuffer(out _, out var buffer, _buffers, memory, (uint)frames[i].Length);
                Ndis5.ChainBufferAtBack(packet!, buffer!);
                array[i] = packet!;
            }
            Ndis5.CoSendPackets(_vcs[vc].Handle, array, (uint)array.Length);
        }

        public void Close(VirtualConnection vc)
        {
            var context = _vcs[vc];
            var status = Ndis5.ClCloseCall(context.Handle, null, null, 0);
            if (status == NdisStatus.Pending)
                Wait(() => vc.State is VcState.Created or VcState.Deleted, "the close");
            if (context.Outgoing)
                Delete(vc);
        }

        public void Delete(VirtualConnection vc)
        {
            Assert.True(_vcs.TryRemove(vc, out var context));
            Assert.Equal(NdisStatus.Success, Ndis5.CoDeleteVc(context!.Handle));
        }

        // ---- ILegacyCoClient: the data path ----

        public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
        {
            if (status != NdisStatus.Success)
                Interlocked.Increment(ref _failed);
            Ndis5.UnchainBufferAtFront(packet, out var buffer);
            if (buffer is not null)
                Ndis5.FreeBuffer(buffer);
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
            _received.GetOrAdd(((LegacyVc)protocolVcContext!).Runtime!, _ => new ConcurrentQueue<byte[]>()).Enqueue(bytes);
            return 0;
        }

        public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
        {
        }

        public void ProtocolReceiveComplete(object? protocolBindingContext)
        {
        }

        // ---- ILegacyCoCallClient: NDIS_CLIENT_CHARACTERISTICS ----

        public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, LegacyCoVc ndisVcHandle, out object? protocolVcContext)
        {
            protocolVcContext = new LegacyVc { Handle = ndisVcHandle };
            return NdisStatus.Success;
        }

        public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
        {
            if (((LegacyVc)protocolVcContext!).Runtime is { } runtime)
                _vcs.TryRemove(runtime, out _);
            return NdisStatus.Success;
        }

        public void ProtocolClOpenAfComplete(NdisStatus status, object? protocolAfContext, CoAfHandle? ndisAfHandle)
        {
        }

        public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
        {
            LastMakeCallParameters = callParameters;
            ((LegacyVc)protocolVcContext!).MakeCallStatus = status;
        }

        public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext)
        {
        }

        public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters) => NdisStatus.Success;

        public void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, byte[]? closeData, uint size)
        {
        }

        private sealed class LegacyVc
        {
            public LegacyCoVc Handle = null!;
            public VirtualConnection? Runtime;
            public bool Outgoing;
            public NdisStatus? MakeCallStatus;
        }
    }
}
