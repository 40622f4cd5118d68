using CoNdis.TestDrivers;
using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Verifier;
using CoNdis.Translation.Adapters;
using CoNdis.TestDrivers.Legacy;

namespace CoNdis.Translation.Tests;

/// <summary>
/// Every NDIS 5 rule a 5.x driver can break while it runs under translation is a finding of the runtime's verifier
/// that names the rule: in strict mode it is thrown to the driver that broke it and the process goes on; in lenient
/// mode it is counted once and traffic goes on. The 5.x drivers here allocate their pools with the handle NDIS gave
/// them (MiniportAdapterHandle, NdisBindingHandle) and never name a verifier, so the tests also prove their findings
/// land on the runtime's.
/// </summary>
public sealed class LegacyRuleFindingTests
{
    private static readonly byte[] s_frame = TestFrames.Make(42, 120);

    /// <summary>What a 5.x miniport under <see cref="LegacyMiniportAdapter"/> does wrong, and the rule it breaks.</summary>
    private static readonly Dictionary<string, (VerifierRule Rule, Action<MiniportRig> Misdeed)> s_miniportMisdeeds = new()
    {
        ["completes a packet twice"] = (VerifierRule.DoubleCompletion, rig =>
        {
            var packet = rig.SendAndHold();
            Ndis5.MCoSendComplete(NdisStatus.Success, rig.LegacyVc, packet);
            Ndis5.MCoSendComplete(NdisStatus.Success, rig.LegacyVc, packet);
        }),
        ["completes a packet it was never sent"] = (VerifierRule.CompletionOfUnsentPacket, rig =>
            Ndis5.MCoSendComplete(NdisStatus.Success, rig.LegacyVc, rig.Miniport.Pools.NewPacket(s_frame))),
        ["completes a packet on another VC than it was sent on"] = (VerifierRule.CompletionOfUnsentPacket, rig =>
        {
            var packet = rig.SendAndHold();
            var other = rig.OpenSecondVc();
            try
            {
                Ndis5.MCoSendComplete(NdisStatus.Success, other, packet);
            }
            finally
            {
                rig.Miniport.Held.Enqueue(packet); // still in flight on the first VC; completed at teardown
            }
        }),
        ["indicates a packet it freed"] = (VerifierRule.UseAfterFree, rig =>
        {
            var packet = rig.Miniport.Pools.NewPacket(s_frame);
            LegacyPacketPools.FreePacket(packet);
            rig.Miniport.Indicate(rig.LegacyVc, packet);
        }),
        ["indicates a packet again before it came back"] = (VerifierRule.TouchAfterCompletion, rig =>
        {
            rig.Client.ReceiveHandling = ReceiveHandling.Hold;
            var packet = rig.Miniport.Pools.NewPacket(s_frame);
            rig.Miniport.Indicate(rig.LegacyVc, packet);
            rig.Miniport.Indicate(rig.LegacyVc, packet);
        }),
        ["frees a packet the protocol still holds"] = (VerifierRule.FreeWhileInFlight, rig =>
        {
            rig.Client.ReceiveHandling = ReceiveHandling.Hold;
            var packet = rig.Miniport.Pools.NewPacket(s_frame);
            rig.Miniport.Indicate(rig.LegacyVc, packet);
            Ndis5.FreePacket(packet);
        }),
        ["indicates on a VC whose call was closed"] = (VerifierRule.IndicationOnInactiveVc, rig =>
        {
            var legacy = rig.LegacyVc;
            rig.CloseCall();
            rig.Miniport.Indicate(legacy, rig.Miniport.Pools.NewPacket(s_frame));
        }),
        ["frees a packet twice"] = (VerifierRule.DoubleFree, rig =>
        {
            var packet = rig.Miniport.Pools.NewPacket(s_frame);
            LegacyPacketPools.FreePacket(packet);
            Ndis5.FreePacket(packet);
        }),
        ["frees its packet pool with a packet still out"] = (VerifierRule.LeakAtPoolFree, rig =>
        {
            rig.Miniport.Pools.NewBarePacket(); // a descriptor without buffers: only the packet pool leaks
            rig.Miniport.Pools.FreeAndReallocate();
        }),
    };

    /// <summary>What a 5.x client over <see cref="LegacyClientAdapter"/> does wrong, and the rule it breaks.</summary>
    private static readonly Dictionary<string, (VerifierRule Rule, Action<ClientRig> Misdeed)> s_clientMisdeeds = new()
    {
        ["keeps a packet indicated with RESOURCES"] = (VerifierRule.ResourcesReceiveRetained, rig =>
        {
            rig.Client.Keep = true;
            rig.Miniport.Indicate(rig.Vc, [s_frame], resources: true);
        }),
        ["returns a packet more often than it promised"] = (VerifierRule.ReturnOfUnindicatedPacket, rig =>
        {
            rig.Client.Keep = true;
            rig.Miniport.Indicate(rig.Vc, [s_frame], resources: false);
            var packet = rig.Client.Kept.Dequeue();
            Ndis5.ReturnPackets([packet], 1);
            Ndis5.ReturnPackets([packet], 1);
        }),
        ["returns a packet it was never indicated"] = (VerifierRule.ReturnOfUnindicatedPacket, rig =>
        {
            var packet = rig.Client.Pools.NewPacket(s_frame);
            try
            {
                Ndis5.ReturnPackets([packet], 1);
            }
            finally
            {
                LegacyPacketPools.FreePacket(packet);
            }
        }),
        ["sends a packet that is still in flight"] = (VerifierRule.TouchAfterCompletion, rig =>
        {
            rig.Miniport.SendCompletion = SendCompletion.Held;
            var packet = rig.Client.Pools.NewPacket(s_frame);
            rig.Client.Send(rig.Legacy, packet);
            rig.Client.Send(rig.Legacy, packet);
        }),
        ["sends a packet it freed"] = (VerifierRule.UseAfterFree, rig =>
        {
            var packet = rig.Client.Pools.NewPacket(s_frame);
            LegacyPacketPools.FreePacket(packet);
            rig.Client.Send(rig.Legacy, packet);
        }),
        ["frees a packet it sent before its completion"] = (VerifierRule.FreeWhileInFlight, rig =>
        {
            rig.Miniport.SendCompletion = SendCompletion.Held;
            var packet = rig.Client.Pools.NewPacket(s_frame);
            rig.Client.Send(rig.Legacy, packet);
            Ndis5.FreePacket(packet);
        }),
        ["frees a packet it was indicated and still holds"] = (VerifierRule.FreeWhileInFlight, rig =>
        {
            rig.Client.Keep = true;
            rig.Miniport.Indicate(rig.Vc, [s_frame], resources: false);
            Ndis5.FreePacket(rig.Client.Kept.Peek());
        }),
        ["frees a packet twice"] = (VerifierRule.DoubleFree, rig =>
        {
            var packet = rig.Client.Pools.NewPacket(s_frame);
            LegacyPacketPools.FreePacket(packet);
            Ndis5.FreePacket(packet);
        }),
        ["frees its packet pool with a packet still out"] = (VerifierRule.LeakAtPoolFree, rig =>
        {
            rig.Client.Pools.NewBarePacket();
            rig.Client.Pools.FreeAndReallocate();
        }),
    };

    public static TheoryData<string> MiniportMisdeeds => [.. s_miniportMisdeeds.Keys];

    public static TheoryData<string> ClientMisdeeds => [.. s_clientMisdeeds.Keys];

    [Theory, MemberData(nameof(MiniportMisdeeds))]
    public void A_5x_miniport_that_breaks_a_rule_under_translation_is_told_by_a_strict_finding_naming_the_rule(string misdeed)
    {
        var (rule, act) = s_miniportMisdeeds[misdeed];
        using var rig = new MiniportRig(VerifierMode.Strict);
        var error = Assert.Throws<NdisVerifierException>(() => act(rig));
        Assert.Equal(rule, error.Rule);
        Assert.Contains($"[{rule}]", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, rig.Verifier.CountOf(rule));
    }

    [Theory, MemberData(nameof(MiniportMisdeeds))]
    public void A_5x_miniport_that_breaks_a_rule_under_translation_gets_one_lenient_finding_and_traffic_goes_on(string misdeed)
    {
        var (rule, act) = s_miniportMisdeeds[misdeed];
        using var rig = new MiniportRig(VerifierMode.Lenient);
        act(rig);
        Assert.Equal(1, rig.Verifier.CountOf(rule));
        Assert.Equal(1, rig.Verifier.FindingCount);
        rig.AssertTrafficFlows();
        Assert.Equal(1, rig.Verifier.FindingCount);
    }

    [Theory, MemberData(nameof(ClientMisdeeds))]
    public void A_5x_client_that_breaks_a_rule_under_translation_is_told_by_a_strict_finding_naming_the_rule(string misdeed)
    {
        var (rule, act) = s_clientMisdeeds[misdeed];
        using var rig = new ClientRig(VerifierMode.Strict);
        var error = Assert.Throws<NdisVerifierException>(() => act(rig));
        Assert.Equal(rule, error.Rule);
        Assert.Contains($"[{rule}]", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, rig.Verifier.CountOf(rule));
    }

    [Theory, MemberData(nameof(ClientMisdeeds))]
    public void A_5x_client_that_breaks_a_rule_under_translation_gets_one_lenient_finding_and_traffic_goes_on(string misdeed)
    {
        var (rule, act) = s_clientMisdeeds[misdeed];
        using var rig = new ClientRig(VerifierMode.Lenient);
        act(rig);
        Assert.Equal(1, rig.Verifier.CountOf(rule));
        Assert.Equal(1, rig.Verifier.FindingCount);
        rig.AssertTrafficFlows();
        Assert.Equal(1, rig.Verifier.FindingCount);
    }

    [Fact]
    public void A_finding_message_names_the_translated_vc_without_recursing_through_its_contexts()
    {
        using var rig = new MiniportRig(VerifierMode.Lenient);
        var packet = rig.SendAndHold();
        Ndis5.MCoSendComplete(NdisStatus.Success, rig.LegacyVc, packet);
        Ndis5.MCoSendComplete(NdisStatus.Success, rig.LegacyVc, packet);
        var finding = Assert.Single(rig.Verifier.RecentFindings);
        Assert.Contains($"LegacyVC#{rig.LegacyVc.Id}", finding.Message, StringComparison.Ordinal);
        Assert.Contains($"LegacyVC#{rig.LegacyVc.Id}", new TranslatedVc(rig.LegacyVc).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pool_allocated_without_a_handle_reports_to_the_verifier_of_the_first_binding_its_packets_cross()
    {
        using var rig = new ClientRig(VerifierMode.Lenient);
        Ndis5.AllocatePacketPool(out _, out var pool, 4, 16); // NdisAllocatePacketPool names no driver
        Ndis5.AllocateBufferPool(out _, out var buffers, 4);
        Assert.False(pool!.Handle.HasVerifier);
        Ndis5.AllocatePacket(out _, out var packet, pool);
        Ndis5.AllocateBuffer(out _, out var buffer, buffers, NdisMemory.AllocatePinned(s_frame.Length), (uint)s_frame.Length);
        Ndis5.ChainBufferAtBack(packet!, buffer!);
        rig.Miniport.SendCompletion = SendCompletion.Held;
        rig.Client.Send(rig.Legacy, packet!);
        Assert.Same(rig.Verifier, pool.Handle.Verifier);
        Assert.Same(rig.Verifier, buffers.Handle.Verifier);
        Ndis5.FreePacket(packet!); // still in flight: the runtime's (lenient) verifier counts it, nothing throws
        Assert.Equal(1, rig.Verifier.CountOf(VerifierRule.FreeWhileInFlight));
        rig.Miniport.CompleteQueued(NdisStatus.Success);
    }

    [Fact]
    public void A_5x_clients_count_holds_the_nbl_until_its_last_return_even_when_a_return_races_the_indication()
    {
        using var rig = new ClientRig(VerifierMode.Strict);
        rig.Client.OnReceive = packet =>
        {
            Ndis5.ReturnPackets([packet], 1); // another thread of the client returns one reference at once…
            return 2;                          // …and the handler promises two
        };
        rig.Miniport.Indicate(rig.Vc, [s_frame], resources: false);
        Assert.Equal(0, rig.Miniport.ReturnedReceives);
        Assert.Equal(1, rig.Vc.OutstandingReceives);
        Ndis5.ReturnPackets([rig.Client.LastReceived!], 1);
        Assert.Equal(1, rig.Miniport.ReturnedReceives);
        Assert.Equal(0, rig.Vc.OutstandingReceives);
    }

    /// <summary>A runtime with a 5.x miniport under translation, the test call manager and a native client on a connected call.</summary>
    private sealed class MiniportRig : IDisposable
    {
        public MiniportRig(VerifierMode mode)
        {
            Verifier = new NdisVerifier(mode);
            Runtime = new CoNdisRuntime(Verifier);
            Miniport = new LegacyRuleBreakingMiniport();
            Translation = new LegacyMiniportAdapter(new NdisHandle("rule-breaking 5.x miniport"), Miniport, miniportAdapterContext: Miniport);
            Adapter = Translation.Register(Runtime, "rule-breaking 5.x miniport");
            Miniport.Initialize(Translation.LegacyBinding.Ndis); // MiniportInitialize, with its MiniportAdapterHandle
            CallManager.Bind(Runtime, Adapter);
            Client.Bind(Runtime, Adapter);
            Ndis.ClOpenAddressFamilyEx(Client.Binding, TestCallManager.AddressFamily, Client, out var af);
            Af = af!;
            Vc = Connect();
        }

        public NdisVerifier Verifier { get; }

        public CoNdisRuntime Runtime { get; }

        public LegacyRuleBreakingMiniport Miniport { get; }

        public LegacyMiniportAdapter Translation { get; }

        public CoMiniportAdapter Adapter { get; }

        public TestCallManager CallManager { get; } = new();

        public NativeTestClient Client { get; } = new();

        public CoAfHandle Af { get; }

        public VirtualConnection Vc { get; private set; }

        public LegacyCoVc LegacyVc => LegacyMiniportAdapter.LegacyVcOf(Vc);

        /// <summary>The client sends one frame; the 5.x miniport holds its packet and hands it to the test.</summary>
        public NdisPacket SendAndHold()
        {
            Miniport.HoldSends = true;
            Client.Send(Vc, [[s_frame]]);
            Miniport.HoldSends = false;
            return Miniport.Held.Dequeue();
        }

        public LegacyCoVc OpenSecondVc() => LegacyMiniportAdapter.LegacyVcOf(Connect());

        public void CloseCall() => Assert.Equal(NdisStatus.Success, Ndis.ClCloseCall(Vc, null, ReadOnlyMemory<byte>.Empty));

        /// <summary>After the broken rule: a frame sent on a new call loops back through the 5.x miniport and completes.</summary>
        public void AssertTrafficFlows()
        {
            Client.ReceiveHandling = ReceiveHandling.ReturnAtOnce;
            var vc = Connect();
            int completed = Client.Completed.Count, received = Client.Received.Count;
            Miniport.Loopback = true;
            Client.Send(vc, [[s_frame]]);
            Assert.Equal(completed + 1, Client.Completed.Count);
            Assert.Equal(NdisStatus.Success, Client.Completed[^1].Status);
            Assert.Equal(received + 1, Client.Received.Count);
            Assert.Equal(s_frame, Client.Received[^1]);
        }

        public void Dispose()
        {
            // Whatever the misdeed left in flight goes home, so nothing of one test reaches the next.
            Verifier.Mode = VerifierMode.Off;
            while (Miniport.Held.TryDequeue(out var packet))
                Ndis5.MCoSendComplete(NdisStatus.Failure, LegacyMiniportAdapter.LegacyVcOf(Vc), packet);
        }

        private VirtualConnection Connect()
        {
            var vc = Client.CreateVc(Af);
            Assert.Equal(NdisStatus.Success, Ndis.ClMakeCall(vc, ConformanceRig.CallParameters, null, out _));
            return vc;
        }
    }

    /// <summary>A runtime with the native test miniport, the test call manager and a 5.x client over translation on a connected call.</summary>
    private sealed class ClientRig : IDisposable
    {
        public ClientRig(VerifierMode mode)
        {
            Verifier = new NdisVerifier(mode);
            Runtime = new CoNdisRuntime(Verifier);
            Miniport.Register(Runtime);
            CallManager.Bind(Runtime, Miniport.Adapter);
            Translation = new LegacyClientAdapter(Runtime, Miniport.Adapter, "rule-breaking 5.x client", Client, protocolBindingContext: Client);
            Client.Initialize(Translation.Binding.Handle); // ProtocolBindAdapter, with its NdisBindingHandle
            Ndis.ClOpenAddressFamilyEx(Translation.Binding, TestCallManager.AddressFamily, Client, out var af);
            Af = af!;
            (Vc, Legacy) = Connect();
        }

        public NdisVerifier Verifier { get; }

        public CoNdisRuntime Runtime { get; }

        public NativeTestMiniport Miniport { get; } = new();

        public TestCallManager CallManager { get; } = new();

        public LegacyRuleBreakingClient Client { get; } = new();

        public LegacyClientAdapter Translation { get; }

        public CoAfHandle Af { get; }

        public VirtualConnection Vc { get; }

        public LegacyCoVc Legacy { get; }

        /// <summary>After the broken rule: a frame the 5.x client sends on a new call loops back to it and completes.</summary>
        public void AssertTrafficFlows()
        {
            Client.Keep = false;
            var (vc, legacy) = Connect();
            Miniport.SendCompletion = SendCompletion.Inline;
            Miniport.Loopback = true;
            int completed = Client.Completions.Count, received = Client.Received.Count;
            Client.Send(legacy, Client.Pools.NewPacket(s_frame));
            Assert.Equal(completed + 1, Client.Completions.Count);
            Assert.Equal(NdisStatus.Success, Client.Completions[^1]);
            Assert.Equal(received + 1, Client.Received.Count);
            Assert.Equal(s_frame, Client.Received[^1]);
            Assert.Equal(0, vc.OutstandingReceives);
        }

        public void Dispose()
        {
            Verifier.Mode = VerifierMode.Off;
            Miniport.CompleteQueued(NdisStatus.Failure);
            Miniport.Dispose();
        }

        private (VirtualConnection, LegacyCoVc) Connect()
        {
            Assert.Equal(NdisStatus.Success, Translation.CreateVc(Af, Client, out var vc));
            Assert.Equal(NdisStatus.Success, Ndis.ClMakeCall(vc!.Runtime, ConformanceRig.CallParameters, null, out _));
            return (vc.Runtime, vc.Legacy);
        }
    }
}
