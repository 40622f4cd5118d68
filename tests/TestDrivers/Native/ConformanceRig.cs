using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.TestDrivers;

/// <summary>
/// One runtime with a miniport, a stand-alone call manager and a client bound to it, the AF open and a SAP
/// registered: the stage every conformance test plays on. Who takes the miniport and client roles is the caller's
/// choice (a native driver, a 5.x driver behind translation, a miniport on a simulated device): the rig asks the
/// factories it is given, so a test assembly supplies what it can build.
/// </summary>
public sealed class ConformanceRig : IDisposable
{
    /// <summary>The device token of a miniport that is its own device (completes and loops back in memory).</summary>
    public const string InlineDevice = "inline";

    /// <summary>The device token of a reference miniport over a simulated NIC plugged into a loopback link.</summary>
    public const string LoopbackDevice = "loopback";

    /// <summary>The device token of a reference miniport over a simulated NIC cabled to a second host (a pair link).</summary>
    public const string PairLinkDevice = "pair-link";

    public static readonly CoSap Sap = new(1, new byte[] { 0x47, 0x00, 0x05 });

    public ConformanceRig(
        Pairing pairing,
        string device,
        VerifierMode mode,
        Func<DriverKind, string, CoNdisRuntime, IConformanceMiniport> createMiniport,
        Func<DriverKind, CoNdisRuntime, CoMiniportAdapter, IConformanceClient> createClient)
    {
        ArgumentNullException.ThrowIfNull(pairing);
        ArgumentNullException.ThrowIfNull(createMiniport);
        ArgumentNullException.ThrowIfNull(createClient);
        Pairing = pairing;
        Device = device;
        Verifier = new NdisVerifier(mode);
        Runtime = new CoNdisRuntime(Verifier);
        Miniport = createMiniport(pairing.Miniport, device, Runtime);
        CallManager = new TestCallManager { MediaParameters = Miniport.ActivationParameters, DeactivatingVc = Miniport.CallManagerDeactivating };
        CallManager.Bind(Runtime, Miniport.Adapter);
        Client = createClient(pairing.Client, Runtime, Miniport.Adapter);
        var status = Ndis.ClOpenAddressFamilyEx(Client.Binding, TestCallManager.AddressFamily, Client, out var af);
        Check(status == NdisStatus.Success, $"ClOpenAddressFamilyEx: {status}");
        Af = af!;
        status = Ndis.ClRegisterSap(Af, Client, Sap, out var sap);
        Check(status == NdisStatus.Success, $"ClRegisterSap: {status}");
        SapHandle = sap;
    }

    public Pairing Pairing { get; }

    /// <summary>The device token the miniport runs on (<see cref="InlineDevice"/>, or a simulated device's).</summary>
    public string Device { get; }

    public NdisVerifier Verifier { get; }

    public CoNdisRuntime Runtime { get; }

    public IConformanceMiniport Miniport { get; }

    public TestCallManager CallManager { get; }

    public IConformanceClient Client { get; }

    public CoAfHandle Af { get; }

    public CoSapHandle SapHandle { get; }

    public static CoCallParameters CallParameters => CoCallParameters.BestEffort(9180);

    /// <summary>The native test client over the native test miniport on the inline device.</summary>
    public static ConformanceRig NativeInline(VerifierMode mode = VerifierMode.Strict) =>
        new(Pairing.NativeNative, InlineDevice, mode, CreateNativeMiniport, CreateNativeClient);

    /// <summary>The native miniport factory: <see cref="NativeTestMiniport"/> on the inline device.</summary>
    public static IConformanceMiniport CreateNativeMiniport(DriverKind kind, string device, CoNdisRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (kind != DriverKind.Native || device != InlineDevice)
            throw new NotSupportedException($"no {kind} test miniport on device '{device}' here");
        var miniport = new NativeTestMiniport();
        miniport.Register(runtime);
        return miniport;
    }

    /// <summary>The native client factory: <see cref="NativeTestClient"/>.</summary>
    public static IConformanceClient CreateNativeClient(DriverKind kind, CoNdisRuntime runtime, CoMiniportAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (kind != DriverKind.Native)
            throw new NotSupportedException($"no {kind} test client here");
        var client = new NativeTestClient();
        client.Bind(runtime, adapter);
        return client;
    }

    /// <summary>Creates a VC on the client's AF and makes an outgoing call on it; returns the connected VC.</summary>
    public VirtualConnection MakeCall(object? partyContext = null)
    {
        var vc = Client.CreateVc(Af);
        var status = Ndis.ClMakeCall(vc, CallParameters, partyContext, out _);
        if (status == NdisStatus.Pending)
            WaitUntil(() => vc.State == VcState.Connected, "the pended make-call to complete");
        else
            Check(status == NdisStatus.Success, $"ClMakeCall: {status}");
        return vc;
    }

    /// <summary>Closes the call on <paramref name="vc"/> and waits until the close completed.</summary>
    public void CloseCall(VirtualConnection vc)
    {
        var status = Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty);
        if (status == NdisStatus.Pending)
            WaitUntil(() => vc.State == VcState.Created, "the pended close to complete");
        else
            Check(status == NdisStatus.Success, $"ClCloseCall: {status}");
    }

    /// <summary>Waits (bounded: <paramref name="seconds"/>) for <paramref name="condition"/>; a timeout names <paramref name="what"/>.</summary>
    public static void WaitUntil(Func<bool> condition, string what, int seconds = 20)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for {what}");
            Thread.Sleep(1);
        }
    }

    /// <summary>Every client and miniport pool object is home and the verifier found nothing.</summary>
    public void AssertClean()
    {
        Check(Client.OutstandingPoolObjects == 0, $"client pool objects outstanding: {Client.OutstandingPoolObjects}");
        Check(Miniport.OutstandingPoolObjects == 0, $"miniport pool objects outstanding: {Miniport.OutstandingPoolObjects}");
        Check(Verifier.FindingCount == 0, $"verifier findings: {string.Join("; ", Verifier.RecentFindings)}");
    }

    public void Dispose() => (Miniport as IDisposable)?.Dispose();

    private static void Check(bool condition, string message)
    {
        if (!condition)
            throw new InvalidOperationException(message);
    }
}
