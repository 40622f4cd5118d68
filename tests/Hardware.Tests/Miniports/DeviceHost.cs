using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;
using Xunit;

namespace CoNdis.Hardware.Tests.Miniports;

/// <summary>
/// One host: a runtime with a strict verifier, a NIC on a link port, the native miniport (an MCM by default) and a
/// test client with the device's AF open and <see cref="Sap"/> registered. Two hosts on a pair link are two of these.
/// </summary>
internal sealed class DeviceHost : IDisposable
{
    public static readonly CoSap DefaultSap = new(1, new byte[] { 0x47, 0x00, 0x05, 0x80 });

    public DeviceHost(ILinkPort port, NicOptions? nic = null, NicMiniportOptions? miniport = null, string name = "host",
        DeviceClock? clock = null, CoSap? sap = null, VerifierMode mode = VerifierMode.Strict)
    {
        Verifier = new NdisVerifier(mode);
        Runtime = new CoNdisRuntime(Verifier);
        Nic = new SimulatedNic(port, nic ?? Inline, clock, $"{name} nic");
        Miniport = new NicMiniport(Nic, miniport ?? new NicMiniportOptions { WatchdogInterval = TimeSpan.Zero });
        Adapter = Miniport.Register(Runtime, $"{name} miniport");
        if (!Miniport.Options.IntegratedCallManager)
        {
            CallManager = new DeviceCallManager(Nic.Options.Channels);
            CallManager.Bind(Runtime, Adapter, $"{name} call manager");
        }
        Client = new DeviceTestClient().Bind(Runtime, Adapter, $"{name} client");
        Sap = sap ?? DefaultSap;
        Client.RegisterSap(Sap);
    }

    /// <summary>A NIC that runs inline with an interrupt per pass.</summary>
    public static NicOptions Inline { get; } = new() { CompletionMode = NicCompletionMode.Inline };

    /// <summary>A NIC on its own thread with light moderation.</summary>
    public static NicOptions Threaded { get; } = new()
    {
        CompletionMode = NicCompletionMode.DeviceThread,
        ModerationPackets = 16,
        ModerationTime = TimeSpan.FromMicroseconds(50),
    };

    public NdisVerifier Verifier { get; }

    public CoNdisRuntime Runtime { get; }

    public SimulatedNic Nic { get; }

    public NicMiniport Miniport { get; }

    public CoMiniportAdapter Adapter { get; }

    public DeviceTestClient Client { get; }

    /// <summary>The stand-alone call manager, when the miniport is not an MCM.</summary>
    public DeviceCallManager? CallManager { get; }

    /// <summary>Offers a permanent VC through whichever call manager the host has.</summary>
    public VirtualConnection OfferPermanentVc(ChannelBinding channels) =>
        (CallManager is null ? Miniport.OfferPermanentVc(Sap, channels) : CallManager.OfferPermanentVc(Sap, channels))
        ?? throw new InvalidOperationException("the client did not take the permanent VC");

    /// <summary>The far end closes <paramref name="vc"/>, through whichever call manager the host has.</summary>
    public void RemoteClose(VirtualConnection vc)
    {
        if (CallManager is null)
            Miniport.DispatchRemoteClose(vc);
        else
            CallManager.DispatchRemoteClose(vc);
    }

    public int ActiveCalls => CallManager?.ActiveCalls ?? Miniport.ActiveCalls;

    public CoSap Sap { get; }

    /// <summary>Every send came back, every receive went home, the verifier found nothing.</summary>
    public void AssertClean()
    {
        Wait.Until(() => Miniport.OutstandingPoolObjects == 0 && Client.OutstandingPoolObjects == 0 && (CallManager?.OutstandingPoolObjects ?? 0) == 0,
            "every pool object to come home", 10);
        Assert.Equal(0, Client.OutstandingPoolObjects);
        Assert.Equal(0, Miniport.OutstandingPoolObjects);
        Assert.Equal(0, CallManager?.OutstandingPoolObjects ?? 0);
        Assert.True(Verifier.FindingCount == 0, $"verifier findings: {string.Join("; ", Verifier.RecentFindings)}");
    }

    /// <summary>Halts the miniport: every pool freed without a leak.</summary>
    public void HaltClean()
    {
        CallManager?.Unbind();
        Assert.Equal(0, Miniport.Halt());
        Assert.True(Verifier.FindingCount == 0, $"verifier findings: {string.Join("; ", Verifier.RecentFindings)}");
    }

    public void Dispose() => Miniport.Dispose();

    public static byte[] Frame(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        // An EtherType no offload parses: the bytes must come back exactly.
        bytes[12] = 0x88;
        bytes[13] = 0xB5;
        return bytes;
    }

    public static byte[][] Frames(int seed, int count, int length = 100) =>
        Enumerable.Range(0, count).Select(i => Frame(seed * 1000 + i, length + (i * 37 % 400))).ToArray();
}
