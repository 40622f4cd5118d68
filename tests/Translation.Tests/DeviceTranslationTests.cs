using System.Collections.Concurrent;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.LegacyPacket.Samples;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.Translation.Adapters;

namespace CoNdis.Translation.Tests;

/// <summary>
/// The device backend on all four client/miniport pairings: the native reference miniport (an MCM) and the 5.x one
/// under <see cref="LegacyMiniportAdapter"/>, an NDIS 5 MCM itself ("integrated") or with the stand-alone
/// <see cref="DeviceCallManager"/> ("stand-alone"), a native client or a 5.x client under
/// <see cref="LegacyClientAdapter"/>, over the loopback and the pair link. Test names carry the pairing
/// (client/miniport), the device and the call manager.
/// </summary>
public sealed class DeviceTranslationTests
{
    private const string Integrated = "integrated";
    private const string StandAlone = "stand-alone";

    public static TheoryData<string, string, string> PairingsAndDevices
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var pairing in new[] { "native/native", "native/legacy", "legacy/native", "legacy/legacy" })
            {
                foreach (var device in new[] { "loopback", "pair-link" })
                {
                    data.Add(pairing, device, Integrated);
                    if (pairing.EndsWith("/legacy", StringComparison.Ordinal))
                        data.Add(pairing, device, StandAlone); // the 5.x miniport without its MCM, the stand-alone call manager beside it
                }
            }
            return data;
        }
    }

    private static byte[][] Frames(int seed, int count) => Enumerable.Range(0, count).Select(i =>
    {
        var bytes = new byte[90 + (i * 53 % 600)];
        new Random(seed * 100 + i).NextBytes(bytes);
        bytes[12] = 0x88;
        bytes[13] = 0xB5;
        return bytes;
    }).ToArray();

    [Theory, MemberData(nameof(PairingsAndDevices))]
    public void A_call_connects_end_to_end_frames_cross_the_device_both_ways_byte_identical_and_everything_comes_home(string pairing, string device, string callManager)
    {
        var options = new NicOptions { CompletionMode = NicCompletionMode.Inline };
        using var rig = new Rig(pairing, device, options, callManager);
        var caller = rig.A.Client.Call(rig.B.Sap);
        var callee = rig.B.Client.Incoming ?? throw new InvalidOperationException("the callee saw no incoming call");
        Assert.Equal(VcState.Connected, caller.State);
        Assert.Equal(VcState.Connected, callee.State);

        var there = Frames(1, 12);
        var back = Frames(2, 7);
        rig.A.Client.Send(caller, there);
        rig.B.Client.Send(callee, back);
        long sends = ReferenceEquals(rig.A, rig.B) ? 19 : 12;
        Wait(() => rig.A.Client.Completed == sends && rig.B.Client.Completed == (ReferenceEquals(rig.A, rig.B) ? 19 : 7)
            && rig.B.Client.ReceivedOnIncoming.Count == 12 && rig.A.Client.ReceivedOnOutgoing.Count == 7, "frames both ways");
        Assert.Equal(0, rig.A.Client.Failed + rig.B.Client.Failed);
        Assert.Equal(there, rig.B.Client.ReceivedOnIncoming);
        Assert.Equal(back, rig.A.Client.ReceivedOnOutgoing);

        rig.A.Client.Close(caller);
        Wait(() => callee.State is VcState.IncomingClose or VcState.Created or VcState.Deleted, "the callee to hear the release");
        if (callee.State == VcState.IncomingClose)
            rig.B.Client.Close(callee);
        Wait(() => callee.State == VcState.Deleted && rig.A.ActiveCalls == 0 && rig.B.ActiveCalls == 0, "both call managers to forget the call");
        rig.AssertClean();
    }

    [Theory, MemberData(nameof(PairingsAndDevices))]
    public void A_thousand_frames_in_batches_arrive_in_order_and_every_send_completes_exactly_once(string pairing, string device, string callManager)
    {
        var options = new NicOptions { CompletionMode = NicCompletionMode.DeviceThread, ModerationPackets = 8, ModerationTime = TimeSpan.FromMicroseconds(30) };
        using var rig = new Rig(pairing, device, options, callManager);
        var caller = rig.A.Client.Call(rig.B.Sap);
        var callee = rig.B.Client.Incoming!;
        var all = new List<byte[]>();
        for (int batch = 0; batch < 50; batch++)
        {
            var frames = Frames(100 + batch, 20);
            all.AddRange(frames);
            rig.A.Client.Send(caller, frames);
            Wait(() => rig.A.Client.Completed >= all.Count - 200, "the device to keep up");
        }
        Wait(() => rig.A.Client.Completed == 1000 && rig.B.Client.ReceivedOnIncoming.Count == 1000, "1000 frames");
        Assert.Equal(0, rig.A.Client.Failed);
        Assert.Equal(all, rig.B.Client.ReceivedOnIncoming);
        rig.A.Client.Close(caller);
        Wait(() => callee.State is VcState.IncomingClose or VcState.Deleted, "the release");
        if (callee.State == VcState.IncomingClose)
            rig.B.Client.Close(callee);
        Wait(() => callee.State == VcState.Deleted, "the callee's VC to go");
        rig.AssertClean();
    }

    [Fact]
    public void A_native_mcm_host_and_a_5x_host_with_the_stand_alone_call_manager_call_each_other_over_the_pair_link()
    {
        var options = new NicOptions { CompletionMode = NicCompletionMode.Inline };
        var cable = new PairLink();
        using var a = new Host("native/native", cable.A, options, "A", new CoSap(1, new byte[] { 0xA }), Integrated);
        using var b = new Host("native/legacy", cable.B, options, "B", new CoSap(1, new byte[] { 0xB }), StandAlone);
        var ab = a.Client.Call(b.Sap);
        var ba = b.Client.Call(a.Sap);
        var atB = b.Client.Incoming!;
        var atA = a.Client.Incoming!;
        a.Client.Send(ab, Frames(3, 5));
        b.Client.Send(ba, Frames(4, 6));
        Wait(() => b.Client.ReceivedOnIncoming.Count == 5 && a.Client.ReceivedOnIncoming.Count == 6, "both calls to carry data");
        Assert.Equal(Frames(3, 5), b.Client.ReceivedOnIncoming);
        Assert.Equal(Frames(4, 6), a.Client.ReceivedOnIncoming);
        a.Client.Close(ab);
        b.Client.Close(ba);
        Wait(() => atA.State == VcState.IncomingClose && atB.State == VcState.IncomingClose, "both callees to hear the release");
        a.Client.Close(atA);
        b.Client.Close(atB);
        Wait(() => atA.State == VcState.Deleted && atB.State == VcState.Deleted, "both callees' VCs to go");
        a.AssertClean();
        b.AssertClean();
    }

    public static TheoryData<string, string> Clients => new() { { "native", "inline" }, { "legacy", "inline" }, { "native", "device-thread" }, { "legacy", "device-thread" } };

    [Theory, MemberData(nameof(Clients))]
    public void A_native_mcm_host_and_a_5x_mcm_host_call_each_other_over_the_pair_link_and_both_call_managers_forget_the_calls(string client, string mode)
    {
        var options = mode == "inline"
            ? new NicOptions { CompletionMode = NicCompletionMode.Inline }
            : new NicOptions { CompletionMode = NicCompletionMode.DeviceThread, ModerationPackets = 8, ModerationTime = TimeSpan.FromMicroseconds(30) };
        var cable = new PairLink();
        using var a = new Host($"{client}/native", cable.A, options, "A", new CoSap(1, new byte[] { 0xA }), Integrated);
        using var b = new Host($"{client}/legacy", cable.B, options, "B", new CoSap(1, new byte[] { 0xB }), Integrated);
        var ab = a.Client.Call(b.Sap); // native MCM calls the 5.x MCM
        var atB = b.Client.Incoming!;
        var ba = b.Client.Call(a.Sap); // and the other way round
        var atA = a.Client.Incoming!;
        Assert.Equal(2, a.ActiveCalls);
        Assert.Equal(2, b.ActiveCalls);
        a.Client.Send(ab, Frames(3, 5));
        b.Client.Send(ba, Frames(4, 6));
        b.Client.Send(atB, Frames(5, 2));
        Wait(() => b.Client.ReceivedOnIncoming.Count == 5 && a.Client.ReceivedOnIncoming.Count == 6 && a.Client.ReceivedOnOutgoing.Count == 2,
            "every call to carry data both ways");
        Assert.Equal(Frames(3, 5), b.Client.ReceivedOnIncoming);
        Assert.Equal(Frames(4, 6), a.Client.ReceivedOnIncoming);
        Assert.Equal(Frames(5, 2), a.Client.ReceivedOnOutgoing);
        var signals = b.Legacy!.Counters;
        Assert.True(signals.SignalsSent >= 2 && signals.SignalsReceived >= 2, $"the 5.x MCM signalled: {signals.SignalsSent} sent, {signals.SignalsReceived} received");
        a.Client.Close(ab); // released by the native side: the 5.x callee hears an incoming close
        b.Client.Close(ba); // released by the 5.x side: the native callee hears it
        Wait(() => atA.State == VcState.IncomingClose && atB.State == VcState.IncomingClose, "both callees to hear the release");
        a.Client.Close(atA);
        b.Client.Close(atB);
        Wait(() => atA.State == VcState.Deleted && atB.State == VcState.Deleted && a.ActiveCalls == 0 && b.ActiveCalls == 0,
            "both callees' VCs to go and both call managers to forget the calls");
        a.AssertClean();
        b.AssertClean();
    }

    public static TheoryData<string> Modes => new() { "inline", "device-thread" };

    [Theory, MemberData(nameof(Modes))]
    public void The_5x_mcm_refuses_a_call_to_a_sap_nobody_registered_with_invalid_address(string mode)
    {
        var options = mode == "inline"
            ? new NicOptions { CompletionMode = NicCompletionMode.Inline }
            : new NicOptions { CompletionMode = NicCompletionMode.DeviceThread, ModerationPackets = 8, ModerationTime = TimeSpan.FromMicroseconds(30) };
        using var host = new Host("native/legacy", new LoopbackLink(), options, "host", new CoSap(1, new byte[] { 0x47, 0x02 }), Integrated);
        var status = ((NativeClient)host.Client).TryCall(new CoSap(1, new byte[] { 9, 9 }), out var vc);
        Assert.Equal(NdisStatus.InvalidAddress, status); // the cause of the RELEASE COMPLETE the 5.x MCM answered its own SETUP with
        Assert.Equal(VcState.Created, vc.State);
        Assert.Equal(0, host.ActiveCalls);
        Assert.Equal(NdisStatus.Success, Ndis.CoDeleteVc(vc));
        host.AssertClean();
    }

    [Fact]
    public void A_permanent_vc_the_5x_mcm_offers_hears_its_own_frames_over_loopback_and_closes_from_the_far_end()
    {
        using var host = new Host("native/legacy", new LoopbackLink(), new NicOptions { CompletionMode = NicCompletionMode.Inline }, "host",
            new CoSap(1, new byte[] { 0x47, 0x03 }), Integrated);
        var legacyVc = host.Legacy!.OfferPermanentVc(host.Sap, ChannelBinding.Both(7)) ?? throw new InvalidOperationException("the client did not take the PVC");
        var vc = LegacyMiniportAdapter.RuntimeVcOf(legacyVc);
        Assert.Same(vc, host.Client.Incoming);
        Assert.Equal(VcState.Connected, vc.State);
        Assert.Equal(new ChannelBinding(7, 7), LegacyNicMiniport.ChannelsOf(legacyVc));
        var frames = Frames(6, 3);
        host.Client.Send(vc, frames);
        Wait(() => host.Client.ReceivedOnIncoming.Count == 3, "the frames to come back on the PVC");
        Assert.Equal(frames, host.Client.ReceivedOnIncoming);
        Assert.Equal(0, host.Legacy.Counters.SignalsSent); // a PVC needs no signalling
        host.Legacy.DispatchRemoteClose(legacyVc);
        Assert.Equal(VcState.IncomingClose, vc.State);
        host.Client.Close(vc);
        Wait(() => vc.State == VcState.Deleted, "the 5.x MCM to delete its PVC after the close");
        Assert.Equal(0, host.ActiveCalls);
        host.AssertClean();
    }

    [Theory, MemberData(nameof(Modes))]
    public void Two_ported_5x_clients_call_each_other_through_two_5x_mcms_over_the_pair_link_with_only_ndis_5_calls(string mode)
    {
        var options = mode == "inline"
            ? new NicOptions { CompletionMode = NicCompletionMode.Inline }
            : new NicOptions { CompletionMode = NicCompletionMode.DeviceThread, ModerationPackets = 8, ModerationTime = TimeSpan.FromMicroseconds(30) };
        var cable = new PairLink();
        using var a = new Ndis5Host(cable.A, options, "A");
        using var b = new Ndis5Host(cable.B, options, "B");
        var sapB = new CoSap(1, new byte[] { 0xB, 0x05 });
        Assert.Equal(NdisStatus.Success, a.Client.OpenAddressFamily(a.ClientAdapter.LegacyBinding, DeviceCallParameters.AddressFamily));
        Assert.Equal(NdisStatus.Success, b.Client.OpenAddressFamily(b.ClientAdapter.LegacyBinding, DeviceCallParameters.AddressFamily));
        Assert.Equal(NdisStatus.Success, b.Client.RegisterSap(sapB));

        // NdisCoCreateVc + NdisClMakeCall on A; B's MCM offers it (NdisMCmDispatchIncomingCall), B's client accepts.
        Assert.Equal(NdisStatus.Pending, a.Client.MakeCall(DeviceCallParameters.ForCall(sapB)));
        Wait(() => a.Client.CallEvents.Contains("MakeCallComplete Success"), "A's make-call to complete");
        Assert.Contains("IncomingCall -> Success", b.Client.CallEvents);
        Assert.Contains("CallConnected", b.Client.CallEvents);

        var there = Frames(7, 1)[0];
        var back = Frames(8, 1)[0];
        Assert.Equal(NdisStatus.Pending, a.Client.Send(Pinned(there))); // NdisCoSendPackets
        Assert.Equal(NdisStatus.Pending, b.Client.Send(Pinned(back)));   // on the VC B's MCM created for the call
        // The count is all the test reads while the device may still be adding; the lists are read once nothing more comes.
        Wait(() => b.Client.ReceivedFrames.Count == 1 && a.Client.ReceivedFrames.Count == 1 && a.Client.SendCompletions == 1 && b.Client.SendCompletions == 1,
            "one frame each way");
        Assert.Equal(there, Assert.Single(b.Client.ReceivedFrames));
        Assert.Equal(back, Assert.Single(a.Client.ReceivedFrames));
        Assert.Equal(0, a.Client.FailedSends + b.Client.FailedSends);

        // NdisClCloseCall on A: RELEASE reaches B as an incoming close; B closes too and its MCM deletes its VC.
        var closing = a.Client.CloseCall();
        Assert.True(closing is NdisStatus.Pending or NdisStatus.Success, $"NdisClCloseCall: {closing}");
        Wait(() => a.Client.CallEvents.Contains("CloseCallComplete Success") && b.Client.CallEvents.Any(e => e.StartsWith("IncomingCloseCall", StringComparison.Ordinal)),
            "A's close to complete and B to hear the release");
        closing = b.Client.CloseCall();
        Assert.True(closing is NdisStatus.Pending or NdisStatus.Success, $"NdisClCloseCall: {closing}");
        Wait(() => b.Client.CallEvents.Contains("DeleteVc") && a.Miniport.ActiveCalls == 0 && b.Miniport.ActiveCalls == 0,
            "B's MCM to delete the incoming VC and both to forget the call");
        Assert.Equal(NdisStatus.Success, a.Client.DeleteVc());
        a.AssertClean();
        b.AssertClean();
    }

    private static NdisMemory Pinned(byte[] frame)
    {
        var memory = NdisMemory.AllocatePinned(frame.Length);
        frame.CopyTo(memory.Span);
        return memory;
    }

    /// <summary>
    /// A host where both drivers are NDIS 5 ones: the 5.x reference miniport as MCM under <see cref="LegacyMiniportAdapter"/>
    /// and the ported 5.x client sample over <see cref="LegacyClientAdapter"/>, which makes every call-control call with Ndis5.
    /// </summary>
    private sealed class Ndis5Host : IDisposable
    {
        private readonly LegacyMiniportAdapter _adapter;
        private bool _disposed;

        public Ndis5Host(ILinkPort port, NicOptions options, string name)
        {
            Verifier = new NdisVerifier(VerifierMode.Strict);
            var runtime = new CoNdisRuntime(Verifier);
            Miniport = new LegacyNicMiniport(new SimulatedNic(port, options, name: $"{name} nic"),
                new NicMiniportOptions { IntegratedCallManager = true, WatchdogInterval = TimeSpan.Zero });
            _adapter = new LegacyMiniportAdapter(new NdisHandle($"{name} 5.x MCM", Verifier), Miniport, Miniport);
            var adapter = _adapter.Register(runtime, $"{name} 5.x MCM");
            Assert.Equal(NdisStatus.Success, Miniport.MiniportInitialize(_adapter.LegacyBinding));
            Client = new LegacyCoClientSample(new NdisHandle($"{name} 5.x client", Verifier), maxFrameSize: 9216);
            ClientAdapter = new LegacyClientAdapter(runtime, adapter, $"{name} 5.x client", Client, protocolBindingContext: Client);
        }

        public NdisVerifier Verifier { get; }

        public LegacyNicMiniport Miniport { get; }

        public LegacyCoClientSample Client { get; }

        public LegacyClientAdapter ClientAdapter { get; }

        public void AssertClean()
        {
            Wait(() => Miniport.OutstandingPoolObjects == 0 && _adapter.IsIdle && ClientAdapter.IsIdle && Client.HeldNow == 0, "every pool object to come home");
            Assert.True(Verifier.FindingCount == 0, string.Join("; ", Verifier.RecentFindings));
        }

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            int leaked = Miniport.Halt();
            Miniport.Nic.Dispose();
            leaked += _adapter.FreePools() + ClientAdapter.FreePools();
            Client.Close();
            Assert.Equal(0, leaked);
        }
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

    /// <summary>Two hosts: over loopback A and B are the same host (it calls its own SAP); over the pair link they are two.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly Host? _second;

        public Rig(string pairing, string device, NicOptions options, string callManager)
        {
            if (device == "loopback")
            {
                A = B = new Host(pairing, new LoopbackLink(), options, "host", new CoSap(1, new byte[] { 0x47, 0x01 }), callManager);
            }
            else
            {
                var cable = new PairLink();
                A = new Host(pairing, cable.A, options, "A", new CoSap(1, new byte[] { 0xA }), callManager);
                B = _second = new Host(pairing, cable.B, options, "B", new CoSap(1, new byte[] { 0xB }), callManager);
            }
        }

        public Host A { get; }

        public Host B { get; }

        public void AssertClean()
        {
            A.AssertClean();
            _second?.AssertClean();
        }

        public void Dispose()
        {
            A.Dispose();
            _second?.Dispose();
        }
    }

    /// <summary>
    /// A runtime with the device (the native MCM, the 5.x MCM, or the 5.x miniport with the stand-alone CM) and a client
    /// (native or 5.x) with a SAP.
    /// </summary>
    private sealed class Host : IDisposable
    {
        private readonly NicMiniport? _native;
        private readonly LegacyNicMiniport? _legacy;
        private readonly LegacyMiniportAdapter? _adapter;
        private readonly DeviceCallManager? _callManager;
        private bool _disposed;

        public Host(string pairing, ILinkPort port, NicOptions options, string name, CoSap sap, string callManager)
        {
            var parts = pairing.Split('/');
            Verifier = new NdisVerifier(VerifierMode.Strict);
            Runtime = new CoNdisRuntime(Verifier);
            var nic = new SimulatedNic(port, options, name: $"{name} nic");
            CoMiniportAdapter adapter;
            if (parts[1] == "native")
            {
                _native = new NicMiniport(nic, new NicMiniportOptions { WatchdogInterval = TimeSpan.Zero });
                adapter = _native.Register(Runtime, $"{name} native miniport");
            }
            else if (callManager == Integrated)
            {
                // An NDIS 5 MCM: NDIS knows the adapter before MiniportInitialize registers the AF (NdisMCmRegisterAddressFamily).
                _legacy = new LegacyNicMiniport(nic, new NicMiniportOptions { IntegratedCallManager = true, WatchdogInterval = TimeSpan.Zero });
                _adapter = new LegacyMiniportAdapter(new NdisHandle($"{name} 5.x miniport", Verifier), _legacy, _legacy);
                adapter = _adapter.Register(Runtime, $"{name} 5.x miniport");
                Assert.Equal(NdisStatus.Success, _legacy.MiniportInitialize(_adapter.LegacyBinding));
            }
            else
            {
                _legacy = new LegacyNicMiniport(nic, new NicMiniportOptions { IntegratedCallManager = false, WatchdogInterval = TimeSpan.Zero });
                _adapter = new LegacyMiniportAdapter(new NdisHandle($"{name} 5.x miniport", Verifier), _legacy, _legacy);
                Assert.Equal(NdisStatus.Success, _legacy.MiniportInitialize(_adapter.LegacyBinding));
                adapter = _adapter.Register(Runtime, $"{name} 5.x miniport");
                _callManager = new DeviceCallManager(options.Channels);
                _callManager.Bind(Runtime, adapter, $"{name} call manager");
            }
            Adapter = adapter;
            Client = parts[0] == "native" ? new NativeClient(Runtime, adapter) : new LegacyClient(Runtime, adapter);
            Sap = sap;
            Client.RegisterSap(sap);
        }

        public NdisVerifier Verifier { get; }

        public CoNdisRuntime Runtime { get; }

        public IDeviceClient Client { get; }

        public CoSap Sap { get; }

        public int ActiveCalls => _callManager?.ActiveCalls ?? _native?.ActiveCalls ?? _legacy!.ActiveCalls;

        /// <summary>The 5.x miniport, when the host has one.</summary>
        public LegacyNicMiniport? Legacy => _legacy;

        /// <summary>The runtime adapter the client is bound to.</summary>
        public CoMiniportAdapter Adapter { get; }

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
            (_native?.Nic ?? _legacy!.Nic).Dispose();
            if (_adapter is not null)
                leaked += _adapter.FreePools();
            Assert.Equal(0, leaked);
        }
    }

    private interface IDeviceClient
    {
        void RegisterSap(CoSap sap);

        /// <summary>Calls <paramref name="sap"/>; the connected runtime VC.</summary>
        VirtualConnection Call(CoSap sap);

        /// <summary>The runtime VC of the last incoming call.</summary>
        VirtualConnection? Incoming { get; }

        void Send(VirtualConnection vc, IReadOnlyList<byte[]> frames);

        /// <summary>NdisClCloseCall and, for the client's own VC, delete it.</summary>
        void Close(VirtualConnection vc);

        IReadOnlyList<byte[]> ReceivedOnIncoming { get; }

        IReadOnlyList<byte[]> ReceivedOnOutgoing { get; }

        long Completed { get; }

        long Failed { get; }

        int OutstandingPoolObjects { get; }
    }

    /// <summary>A native client (written against Ndis).</summary>
    private sealed class NativeClient : ICoClient, IDeviceClient
    {
        private readonly ConcurrentQueue<byte[]> _incoming = new();
        private readonly ConcurrentQueue<byte[]> _outgoing = new();
        private readonly CoBinding _binding;
        private readonly CoAfHandle _af;
        private readonly NetBufferListPool _nbls;
        private long _completed;
        private long _failed;
        private volatile NdisStatus _makeCallStatus;

        public NativeClient(CoNdisRuntime runtime, CoMiniportAdapter adapter)
        {
            _binding = runtime.OpenAdapter(adapter, "native client", this, this);
            _nbls = new NetBufferListPool(_binding.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = 2048 });
            Assert.Equal(NdisStatus.Success, Ndis.ClOpenAddressFamilyEx(_binding, DeviceCallParameters.AddressFamily, this, out var af));
            _af = af!;
        }

        public VirtualConnection? Incoming { get; private set; }

        public IReadOnlyList<byte[]> ReceivedOnIncoming => [.. _incoming];

        public IReadOnlyList<byte[]> ReceivedOnOutgoing => [.. _outgoing];

        public long Completed => Interlocked.Read(ref _completed);

        public long Failed => Interlocked.Read(ref _failed);

        public int OutstandingPoolObjects => _nbls.Outstanding;

        public void RegisterSap(CoSap sap) => Assert.Equal(NdisStatus.Success, Ndis.ClRegisterSap(_af, this, sap, out _));

        public VirtualConnection Call(CoSap sap)
        {
            Assert.Equal(NdisStatus.Success, TryCall(sap, out var vc));
            Assert.Equal(VcState.Connected, vc.State);
            return vc;
        }

        /// <summary>Calls <paramref name="sap"/>; the make-call's final status (ProtocolClMakeCallComplete's when it pended), and the VC.</summary>
        public NdisStatus TryCall(CoSap sap, out VirtualConnection vc)
        {
            Assert.Equal(NdisStatus.Success, Ndis.CoCreateVc(_binding, _af, "outgoing", out var created));
            vc = created!;
            var status = Ndis.ClMakeCall(vc, DeviceCallParameters.ForCall(sap), null, out _);
            if (status == NdisStatus.Pending)
            {
                var calling = vc;
                Wait(() => calling.State != VcState.Calling, "the make-call");
                status = _makeCallStatus;
            }
            return status;
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
            var queue = protocolVcContext is "outgoing" ? _outgoing : _incoming;
            for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
                queue.Enqueue(nbl.FirstNetBuffer!.ToArray());
            if ((receiveFlags & ReceiveFlags.Resources) == 0)
                Ndis.ReturnNetBufferLists(_binding, netBufferLists, ReturnFlags.None);
        }

        public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
        {
            protocolVcContext = "incoming";
            Incoming = ndisVcHandle;
            return NdisStatus.Success;
        }

        public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext) => NdisStatus.Success;

        public void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle)
        {
        }

        public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters) =>
            _makeCallStatus = status;

        public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext)
        {
        }

        public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters) => NdisStatus.Success;
    }

    /// <summary>A 5.x client (data path against Ndis5) under LegacyClientAdapter; its call control goes through the runtime.</summary>
    private sealed class LegacyClient : ILegacyCoClient, IDeviceClient
    {
        private readonly ConcurrentQueue<byte[]> _incoming = new();
        private readonly ConcurrentQueue<byte[]> _outgoing = new();
        private readonly ConcurrentDictionary<VirtualConnection, LegacyCoVc> _vcs = new();
        private readonly ConcurrentDictionary<VirtualConnection, TranslatedVc> _own = new();
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
                var runtimeVc = ((TranslatedVc)legacy.MiniportVcContext!).Runtime;
                _vcs[runtimeVc] = legacy;
                Incoming = runtimeVc;
            };
            Ndis5.AllocatePacketPool(out _, out var packets, 2048, 16, _adapter.Binding.Handle);
            Ndis5.AllocateBufferPool(out _, out _buffers, 2048, _adapter.Binding.Handle);
            _packets = packets!;
            Assert.Equal(NdisStatus.Success, Ndis.ClOpenAddressFamilyEx(_adapter.Binding, DeviceCallParameters.AddressFamily, this, out var af));
            _af = af!;
        }

        public VirtualConnection? Incoming { get; private set; }

        public IReadOnlyList<byte[]> ReceivedOnIncoming => [.. _incoming];

        public IReadOnlyList<byte[]> ReceivedOnOutgoing => [.. _outgoing];

        public long Completed => Interlocked.Read(ref _completed);

        public long Failed => Interlocked.Read(ref _failed);

        public int OutstandingPoolObjects => _packets.Usage + _buffers.Counters.Outstanding + (_adapter.IsIdle ? 0 : 1);

        public void RegisterSap(CoSap sap) => Assert.Equal(NdisStatus.Success, Ndis.ClRegisterSap(_af, this, sap, out _));

        public VirtualConnection Call(CoSap sap)
        {
            Assert.Equal(NdisStatus.Success, _adapter.CreateVc(_af, "outgoing", out var translated));
            var vc = translated!.Runtime;
            _vcs[vc] = translated.Legacy;
            _own[vc] = translated;
            var status = Ndis.ClMakeCall(vc, DeviceCallParameters.ForCall(sap), null, out _);
            if (status == NdisStatus.Pending)
                Wait(() => vc.State != VcState.Calling, "the make-call");
            Assert.Equal(VcState.Connected, vc.State);
            return vc;
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
            Ndis5.CoSendPackets(_vcs[vc], array, (uint)array.Length);
        }

        public void Close(VirtualConnection vc)
        {
            var status = Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty);
            if (status == NdisStatus.Pending)
                Wait(() => vc.State is VcState.Created or VcState.Deleted, "the close");
            if (_own.TryRemove(vc, out var translated))
                Assert.Equal(NdisStatus.Success, _adapter.DeleteVc(translated));
        }

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
            (protocolVcContext is "outgoing" ? _outgoing : _incoming).Enqueue(bytes);
            return 0;
        }

        public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
        {
        }

        public void ProtocolReceiveComplete(object? protocolBindingContext)
        {
        }
    }
}
